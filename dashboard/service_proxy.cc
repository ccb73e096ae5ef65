#include "dashboard/service_proxy.h"

#include "absl/strings/str_cat.h"

#include "dashboard/proxy_path.h"

namespace gureum::dashboard {

const char* const kForwardedHeaders[6] = {"Content-Type",          "Accept",
                                          "OpenStack-API-Version", "X-OpenStack-Nova-API-Version",
                                          "X-Image-Meta-Size",     "X-Container-Read"};
const char* const kReturnedHeaders[4] = {"Location", "OpenStack-API-Version",
                                         "X-OpenStack-Nova-API-Version", "X-Container-Read"};

absl::StatusOr<HttpResponse> ServiceProxy::Forward(const Session& session,
                                                   const ProxyRequest& request) {
  if (session.scoped.value.empty()) {
    return absl::FailedPreconditionError("You have no project: ask an administrator for a role.");
  }
  auto endpoint = session.scoped.endpoints.find(request.service_type);
  if (endpoint == session.scoped.endpoints.end()) {
    return absl::NotFoundError(absl::StrCat("The service \"", request.service_type,
                                            "\" is not in your project's catalog."));
  }
  absl::StatusOr<std::string> url = UpstreamUrl(endpoint->second, request.path, request.query);
  if (!url.ok()) return url.status();
  HttpRequest out{.method = request.method,
                  .url = *std::move(url),
                  .headers = request.headers,
                  .body = request.body,
                  .stream = request.stream,
                  .stream_length = request.stream_length};
  out.headers.emplace_back("X-Auth-Token", session.scoped.value);
  return http_.Send(out);
}

}  // namespace gureum::dashboard
