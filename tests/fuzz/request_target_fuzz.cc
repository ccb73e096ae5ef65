// libFuzzer target: the request target of every REST request (path and query), as the
// http server handles it before any handler runs: percent-decoding, the query split, the
// UTF-8 check (common/validate), the route match over patterns like those the services register,
// and an error answer that names the decoded path (as a 404 of an unknown id does). Nothing may
// crash or throw; whatever the path's bytes, the answer must be JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/http/request.h"
#include "common/http/router.h"
#include "common/validate/validate.h"

namespace {

const gureum::http::Router& Routes() {
  static const gureum::http::Router* router = [] {
    auto* r = new gureum::http::Router;
    auto none = [](gureum::http::Request&, gureum::http::Response&) {};
    for (const char* p : {"/", "/v3/projects/{project_id}",
                          "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
                          "/v2.0/ports/{port_id}", "/v2.0/extensions/{alias}",
                          "/v2/images/{image_id}/file", "/v2/images/{image_id}/tags/{tag}",
                          "/v2.1/servers/{server_id}/action", "/allocations/{consumer_uuid}"}) {
      for (const char* m : {"GET", "PUT", "DELETE"}) r->Add(m, p, none, {});
    }
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string target(reinterpret_cast<const char*>(data), size);
  const size_t q = target.find('?');
  const std::string path = gureum::http::PercentDecode(target.substr(0, q), false);
  std::multimap<std::string, std::string> query;
  if (q != std::string::npos)
    gureum::http::ParseQuery(absl::string_view(target).substr(q + 1), query);
  const bool utf8 = gureum::IsValidUtf8(path);
  if (utf8) {
    absl::flat_hash_map<std::string, std::string> params;
    for (const char* method : {"GET", "HEAD", "POST"}) (void)Routes().Find(method, path, params);
  }
  // Any bytes at all in a message (a handler naming an id it could not find) still make
  // a JSON answer: the 500 this used to be (json type_error.316) must not come back.
  gureum::http::Response res;
  res.Error(absl::NotFoundError("Could not find " + path + "."));
  if (!nlohmann::json::accept(res.body)) __builtin_trap();
  return 0;
}
