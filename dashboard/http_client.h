// Outgoing HTTP for the dashboard: identity's REST API and the service proxy's calls.
// One interface so that tests fake the network; HttplibHttpClient (httplib_http_client.h)
// is the real one, and the only file that includes cpp-httplib.
// Thread-safe. A transport failure is Unavailable; any HTTP answer (also 4xx/5xx) is OK
// with its status, so that the proxy passes the service's own errors through.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/request.h"

namespace gureum::dashboard {

struct HttpRequest {
  std::string method;
  std::string url;  // absolute: http://host:port/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Streamed upload instead of `body` (may be empty): pushes the body to the reader;
  // `stream_length` is its length, or -1 to send it chunked.
  std::function<absl::Status(const http::BodyReader&)> stream;
  long long stream_length = -1;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // A header, matched case-insensitively; empty if absent.
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace gureum::dashboard
