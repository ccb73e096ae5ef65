// The dashboard's backend for every resource page: forwards a page's request to one
// service of the session's catalog with the session's token (which never reaches the
// browser) and hands back the service's status and body as they are. The services'
// own policy decides (a member calling an admin API gets the service's 403).
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

#include "dashboard/http_client.h"
#include "dashboard/model.h"

namespace gureum::dashboard {

struct ProxyRequest {
  std::string method;
  std::string service_type;  // a catalog type: "compute", "image", "network", "volumev3"
  std::string path;          // decoded, starting with '/', appended to the endpoint
  std::multimap<std::string, std::string> query;
  std::vector<std::pair<std::string, std::string>> headers;  // see kForwardedHeaders
  std::string body;
  std::function<absl::Status(const http::BodyReader&)> stream;  // uploads; may be empty
  long long stream_length = -1;
};

// The request headers a page may pass on to a service (everything else is dropped).
// X-Container-Read: object storage's public-read ACL (".r:*").
extern const char* const kForwardedHeaders[6];
// The answer headers passed back to the page besides Content-Type.
extern const char* const kReturnedHeaders[4];

class ServiceProxy {
 public:
  explicit ServiceProxy(HttpClient& http) : http_(http) {}

  // NotFound when the service type is not in the session's catalog, InvalidArgument for
  // a path the proxy refuses (proxy_path.h), Unavailable when the service is unreachable;
  // otherwise the service's answer, whatever its status.
  absl::StatusOr<HttpResponse> Forward(const Session& session, const ProxyRequest& request);

 private:
  HttpClient& http_;
};

}  // namespace gureum::dashboard
