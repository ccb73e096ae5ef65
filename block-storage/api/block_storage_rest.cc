// The Cinder REST adapter: version discovery, microversion negotiation (in
// RestApiOptions::before), the project-in-the-path check, and helpers the route files share.
#include "block-storage/api/block_storage_rest.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

int MaxMinor() {
  int m = 0;
  (void)absl::SimpleAtoi(absl::StripPrefix(kMaxMicroversion, "3."), &m);
  return m;
}

absl::StatusOr<int> Negotiate(const http::Request& req) {
  std::string wanted;
  for (absl::string_view part : absl::StrSplit(req.Header("OpenStack-API-Version"), ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::StartsWithIgnoreCase(part, "volume ")) {
      wanted = std::string(absl::StripAsciiWhitespace(part.substr(7)));
    }
  }
  if (wanted.empty()) return 0;
  if (absl::AsciiStrToLower(wanted) == "latest") return MaxMinor();
  absl::StatusOr<int64_t> minor = absl::StartsWith(wanted, "3.")
                                      ? http::ParseInteger(wanted.substr(2), "version", 0, 1000)
                                      : absl::InvalidArgumentError("not 3.x");
  if (!minor.ok()) {
    return absl::InvalidArgumentError("Invalid API version request string " + wanted + ".");
  }
  if (*minor > MaxMinor()) {
    return WithHttpStatus(absl::InvalidArgumentError(absl::StrCat(
                              "Version ", wanted, " is not supported by the API. Minimum is ",
                              kMinMicroversion, " and maximum is ", kMaxMicroversion, ".")),
                          406);
  }
  return static_cast<int>(*minor);
}

absl::Status NegotiateAndAnnounce(http::Request& req, http::Response& res) {
  GUREUM_ASSIGN_OR_RETURN(int minor, Negotiate(req));
  res.SetHeader("OpenStack-API-Version", absl::StrCat("volume 3.", minor));
  res.SetHeader("Vary", "OpenStack-API-Version");
  return absl::OkStatus();
}

json VersionJson(const std::string& base) {
  return {{"id", "v3.0"},
          {"status", "CURRENT"},
          {"version", kMaxMicroversion},
          {"min_version", kMinMicroversion},
          {"updated", "2022-08-31T00:00:00Z"},
          {"links", json::array({{{"rel", "self"}, {"href", base + "/v3/"}},
                                 {{"rel", "describedby"},
                                  {"type", "text/html"},
                                  {"href", "https://docs.openstack.org/"}}})},
          {"media-types",
           json::array({{{"base", "application/json"},
                         {"type", "application/vnd.openstack.volume+json;version=3"}}})}};
}

}  // namespace

void Routes::Add(const std::string& method, const std::string& pattern, CallHandler handler) {
  api_.Authed(
      method, "/v3/{project_id}" + pattern,
      [&managers = managers_, handler = std::move(handler)](http::RestCall& rest) {
        GUREUM_ASSIGN_OR_RETURN(int minor, Negotiate(rest.req));
        Call call{rest, managers, {rest.caller, rest.token}, minor};
        if (call.project() != rest.caller.project_id && !managers.policy().IsAdmin(call.rc)) {
          return absl::PermissionDeniedError(
              "The project in the URL is not the project of the token.");
        }
        return handler(call);
      });
}

absl::StatusOr<json> Entity(const http::Request& req, const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(json body, req.JsonBody());
  if (!body.is_object() || !body.contains(key) || !body[key].is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Missing required element '", key, "' in request body."));
  }
  return body[key];
}

absl::StatusOr<Metadata> StringMap(const json& value, const std::string& what) {
  if (value.is_null()) return Metadata{};
  if (!value.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: ", what, " must be an object of strings."));
  }
  Metadata out;
  for (const auto& [k, v] : value.items()) {
    if (!v.is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid input received: ", what, " value of '", k, "' must be a string."));
    }
    out[k] = v.get<std::string>();
  }
  return out;
}

absl::StatusOr<Metadata> MetadataBody(const http::Request& req) {
  GUREUM_ASSIGN_OR_RETURN(json body, req.JsonBody());
  if (!body.is_object() || !body.contains("metadata")) {
    return absl::InvalidArgumentError("Malformed request body: metadata is required.");
  }
  return StringMap(body["metadata"], "metadata");
}

absl::StatusOr<Metadata> MetaItemBody(const Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  if (!body.is_object() || !body.contains("meta") || !body["meta"].is_object() ||
      body["meta"].size() != 1) {
    return absl::InvalidArgumentError("Malformed request body: meta must hold one item.");
  }
  GUREUM_ASSIGN_OR_RETURN(Metadata m, StringMap(body["meta"], "meta"));
  if (m.begin()->first != call.Param("key")) {
    return absl::InvalidArgumentError("Request body and URI mismatch");
  }
  return m;
}

absl::StatusOr<json> MetaItem(const Metadata& metadata, const std::string& key,
                              const std::string& owner) {
  auto it = metadata.find(key);
  if (it == metadata.end()) {
    return absl::NotFoundError(absl::StrCat(owner, " has no metadata with key ", key, "."));
  }
  return json{{"meta", {{it->first, it->second}}}};
}

std::string Time(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", t, absl::UTCTimeZone());
}

BlockStorageRest::BlockStorageRest(BlockStorageManagers& managers, http::TokenVerifier verify,
                                   BlockStorageRestOptions options)
    : managers_(managers),
      verify_(std::move(verify)),
      base_url_(http::ApiBaseUrl(options.public_url, "localhost", 8776, "/v3")) {}

void BlockStorageRest::Register(http::Server& server) {
  http::RestApi api(server,
                    {.base_url = base_url_, .verify = verify_, .before = NegotiateAndAnnounce});
  for (const char* path : {"/", "/v3", "/v3/"}) {
    const bool root = std::string(path) == "/";
    api.Public("GET", path, [base = base_url_, root](http::Request&, http::Response& res) {
      res.Json(root ? 300 : 200, {{"versions", json::array({VersionJson(base)})}});
      return absl::OkStatus();
    });
  }
  Routes routes(api, managers_);
  RegisterVolumeRoutes(routes);
  RegisterVolumeActionRoutes(routes);
  RegisterSnapshotRoutes(routes);
  RegisterTypeRoutes(routes);
  RegisterAttachmentRoutes(routes);
  RegisterQuotaRoutes(routes);
  RegisterServiceRoutes(routes);
}

http::ServerOptions BlockStorageRest::ServerOptions(metrics::Metrics* metrics) {
  http::ServerOptions options;
  options.max_body_bytes = 1 << 20;
  options.error_style = ErrorStyle::kNova;
  options.metrics = metrics;
  return options;
}

http::ServerOptions BlockStorageRest::ServerOptions(const std::string& host, int port,
                                                    metrics::Metrics* metrics) {
  http::ServerOptions options = ServerOptions(metrics);
  options.host = host;
  options.port = port;
  return options;
}

}  // namespace gureum::block_storage
