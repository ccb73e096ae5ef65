// HttpClient on cpp-httplib: one connection per request (httplib's client is not
// thread-safe to share), bounded connect/read/write timeouts.
#pragma once

#include "absl/time/time.h"

#include "dashboard/http_client.h"

namespace gureum::dashboard {

struct HttplibOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration io_timeout = absl::Seconds(120);  // each read or write
};

class HttplibHttpClient final : public HttpClient {
 public:
  explicit HttplibHttpClient(HttplibOptions options = {}) : options_(options) {}
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  const HttplibOptions options_;
};

}  // namespace gureum::dashboard
