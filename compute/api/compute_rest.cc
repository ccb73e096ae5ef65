// The Nova REST adapter on common/http's REST kit: the routes (NovaRoutes over
// RestApi::Authed, the microversion negotiated in RestApiOptions::before), version
// discovery, and Nova's own decoding helpers beside the kit's JsonReader.
#include "compute/api/compute_rest.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/http/json_reader.h"
#include "common/http/query.h"
#include "common/http/rest.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

int MaxMinor() {
  int m = 1;
  (void)absl::SimpleAtoi(absl::StripPrefix(kMaxMicroversion, "2."), &m);
  return m;
}

void VersionHeaders(http::Response& res, const Microversion& v) {
  const std::string version = absl::StrCat("2.", v.minor);
  res.SetHeader("OpenStack-API-Version", "compute " + version);
  res.SetHeader("X-OpenStack-Nova-API-Version", version);
  res.SetHeader("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
}

// Runs before the token check: a bad version is 400/406 whoever asks; the headers set
// here stay on the answer, errors included.
absl::Status NegotiateAndAnnounce(http::Request& req, http::Response& res) {
  GUREUM_ASSIGN_OR_RETURN(Microversion version, Negotiate(req));
  VersionHeaders(res, version);
  // Nova answers the request id under its own name too (Tempest reads it).
  res.SetHeader("x-compute-request-id", req.request_id);
  return absl::OkStatus();
}

// The legacy v2.0 API: the same routes under /v2 at microversion 2.1 (Nova's v2.0
// compatibility endpoint), listed first as Nova does.
json LegacyVersionJson(const std::string& base) {
  return {{"id", "v2.0"},
          {"status", "SUPPORTED"},
          {"version", ""},
          {"min_version", ""},
          {"updated", "2011-01-21T11:33:21Z"},
          {"links", json::array({{{"rel", "self"}, {"href", base + "/v2/"}},
                                 {{"rel", "describedby"},
                                  {"type", "text/html"},
                                  {"href", "http://docs.openstack.org/"}}})},
          {"media-types",
           json::array({{{"base", "application/json"},
                         {"type", "application/vnd.openstack.compute+json;version=2"}}})}};
}

json VersionJson(const std::string& base) {
  return {{"id", "v2.1"},
          {"status", "CURRENT"},
          {"version", kMaxMicroversion},
          {"min_version", kMinMicroversion},
          {"updated", "2013-07-23T11:33:21Z"},
          {"links", json::array({{{"rel", "self"}, {"href", base + "/v2.1/"}},
                                 {{"rel", "describedby"},
                                  {"type", "text/html"},
                                  {"href", "http://docs.openstack.org/"}}})},
          {"media-types",
           json::array({{{"base", "application/json"},
                         {"type", "application/vnd.openstack.compute+json;version=2.1"}}})}};
}

}  // namespace

absl::StatusOr<Microversion> Negotiate(const http::Request& req) {
  std::string wanted;
  for (absl::string_view part : absl::StrSplit(req.Header("OpenStack-API-Version"), ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::StartsWithIgnoreCase(part, "compute ")) {
      wanted = std::string(absl::StripAsciiWhitespace(part.substr(8)));
    }
  }
  if (wanted.empty())
    wanted = std::string(absl::StripAsciiWhitespace(req.Header("X-OpenStack-Nova-API-Version")));
  if (wanted.empty()) return Microversion{1};
  if (absl::AsciiStrToLower(wanted) == "latest") return Microversion{MaxMinor()};
  absl::StatusOr<int64_t> minor =
      absl::StartsWith(wanted, "2.") ? http::ParseInteger(wanted.substr(2), "version", 0, INT32_MAX)
                                     : absl::InvalidArgumentError("not 2.x");
  if (!minor.ok())
    return absl::InvalidArgumentError("Invalid API version request string " + wanted);
  if (*minor < 1 || *minor > MaxMinor()) {
    return WithHttpStatus(absl::InvalidArgumentError(absl::StrCat(
                              "Version ", wanted, " is not supported by the API. Minimum is ",
                              kMinMicroversion, " and maximum is ", kMaxMicroversion, ".")),
                          406);
  }
  return Microversion{static_cast<int>(*minor)};
}

void NovaRoutes::Add(const std::string& method, const std::string& pattern, CallHandler handler) {
  if (absl::StartsWith(pattern, "/v2.1/")) {
    // The legacy /v2 API has no microversions: always 2.1.
    api_.Authed(
        method, "/v2/" + pattern.substr(6),
        [&managers = managers_, handler](http::RestCall& rest) -> absl::Status {
          Call call{
              rest, managers, {rest.caller, rest.token, rest.req.request_id}, Microversion{1}};
          return handler(call);
        });
  }
  api_.Authed(
      method, pattern,
      [&managers = managers_, handler = std::move(handler)](http::RestCall& rest) -> absl::Status {
        // Negotiated (and checked) already in RestApiOptions::before.
        GUREUM_ASSIGN_OR_RETURN(Microversion version, Negotiate(rest.req));
        Call call{rest, managers, {rest.caller, rest.token, rest.req.request_id}, version};
        return handler(call);
      });
}

ComputeRest::ComputeRest(ComputeManagers& managers, TokenAuth auth, ComputeRestOptions options)
    : managers_(managers),
      auth_(std::move(auth)),
      base_url_(http::ApiBaseUrl(options.public_url, "localhost", 8774, "/v2.1")) {}

void ComputeRest::Register(http::Server& server) {
  http::RestApi api(server,
                    {.base_url = base_url_, .verify = auth_, .before = NegotiateAndAnnounce});
  api.Public("GET", "/", [base = base_url_](http::Request&, http::Response& res) {
    res.Json(200, {{"versions", json::array({LegacyVersionJson(base), VersionJson(base)})}});
    return absl::OkStatus();
  });
  for (const char* path : {"/v2.1", "/v2"}) {
    const bool legacy = std::string(path) == "/v2";
    api.Public("GET", path, [base = base_url_, legacy](http::Request&, http::Response& res) {
      res.Json(200, {{"version", legacy ? LegacyVersionJson(base) : VersionJson(base)}});
      return absl::OkStatus();
    });
  }
  NovaRoutes routes(api, managers_);
  RegisterServerRoutes(routes);
  RegisterActionRoutes(routes);
  RegisterFlavorRoutes(routes);
  RegisterKeypairRoutes(routes);
  RegisterHostRoutes(routes);
  RegisterVolumeAttachmentRoutes(routes);
  RegisterExternalEventRoutes(routes);
  RegisterServerIpsRoutes(routes);
  RegisterImageRoutes(routes);
  RegisterExtensionRoutes(routes);
  RegisterOsHostRoutes(routes);
  RegisterUsageRoutes(routes);
  RegisterNetworkProxyRoutes(routes);
  RegisterMigrationRoutes(routes);
  RegisterQuotaClassRoutes(routes);
  RegisterDiagnosticsRoutes(routes);
}

http::ServerOptions ComputeRest::ServerOptions(metrics::Metrics* metrics) {
  http::ServerOptions options;
  options.max_body_bytes = 1 << 20;
  options.error_style = ErrorStyle::kNova;
  options.metrics = metrics;
  return options;
}

http::ServerOptions ComputeRest::ServerOptions(const std::string& host, int port,
                                               metrics::Metrics* metrics) {
  http::ServerOptions options = ServerOptions(metrics);
  options.host = host;
  options.port = port;
  return options;
}

absl::StatusOr<json> BodyEntity(const http::Request& req, const std::string& key) {
  absl::StatusOr<json> body = req.JsonBody();
  if (!body.ok()) return body.status();
  return BodyEntity(*body, key);
}

absl::StatusOr<json> BodyEntity(const json& body, const std::string& key) {
  if (!body.is_object() || !body.contains(key) || !body[key].is_object()) {
    return absl::InvalidArgumentError("Invalid input for field/attribute " + key +
                                      ". Value: missing. '" + key + "' is a required property");
  }
  return body[key];
}

absl::Status CheckKnownFields(const json& obj, const std::string& path,
                              std::initializer_list<const char*> allowed) {
  if (!obj.is_object()) return absl::OkStatus();
  std::vector<std::string> unexpected;
  size_t count = 0;
  for (const auto& [k, v] : obj.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || k == a;
    if (known) continue;
    ++count;
    if (unexpected.size() < 5) {
      // A key may be long: quote at most 64 bytes of it, cut on a character boundary.
      std::string shown = k;
      if (shown.size() > 64) {
        size_t cut = 64;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "...";
      }
      unexpected.push_back("'" + shown + "'");
    }
  }
  if (count == 0) return absl::OkStatus();
  std::string names = absl::StrJoin(unexpected, ", ");
  if (count > unexpected.size())
    absl::StrAppend(&names, " and ", count - unexpected.size(), " more");
  return absl::InvalidArgumentError(absl::StrCat("Invalid input for field/attribute ",
                                                 path.empty() ? std::string("body") : path,
                                                 ". Additional properties are not allowed (", names,
                                                 count == 1 ? " was" : " were", " unexpected)"));
}

bool OptionalInt(http::JsonReader& r, const json& obj, const char* field,
                 std::optional<int64_t>* out, int64_t min, int64_t max) {
  if (obj.is_object() && obj.contains(field) && obj[field].is_null()) {
    r.Known({field});
    return false;
  }
  int64_t n = 0;
  if (!r.Int(field, &n, min, max, /*allow_string=*/true)) return false;
  *out = n;
  return true;
}

bool OptionalBool(http::JsonReader& r, const json& obj, const char* field,
                  std::optional<bool>* out) {
  if (obj.is_object() && obj.contains(field) && obj[field].is_null()) {
    r.Known({field});
    return false;
  }
  bool b = false;
  if (!r.Bool(field, &b, /*allow_string=*/true)) return false;
  *out = b;
  return true;
}

void ReadDiskConfig(http::JsonReader& r, std::optional<bool>* out) {
  std::optional<std::string> value;
  if (!r.OptionalString("OS-DCF:diskConfig", &value, kNullable) || !value) return;
  if (*value != "AUTO" && *value != "MANUAL") {
    r.Fail("OS-DCF:diskConfig", "one of 'AUTO', 'MANUAL'");
    return;
  }
  *out = *value == "AUTO";
}

std::string DiskConfigName(bool auto_disk_config) { return auto_disk_config ? "AUTO" : "MANUAL"; }

}  // namespace gureum::compute
