// What the files of the Nova REST adapter share (compute_rest*.cc). Not a public interface.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "common/http/json_reader.h"
#include "common/http/query.h"
#include "common/http/request.h"
#include "common/http/rest.h"
#include "compute/api/compute_managers.h"
#include "compute/api/compute_rest.h"

namespace gureum::compute {

using nlohmann::json;

// A microversion "2.x" as its minor number.
struct Microversion {
  int minor = 1;
  bool AtLeast(int m) const { return minor >= m; }
};

// One request on a Nova route: the kit's authenticated call (http::RestCall) and what is
// Nova's own, the negotiated microversion, the managers and the RequestContext they take.
struct Call {
  http::RestCall& rest;
  ComputeManagers& managers_;
  RequestContext rc;
  Microversion version;
  http::Request& req = rest.req;
  http::Response& res = rest.res;
  const std::string& base = rest.base_url;  // "http://ctl:8774"

  ComputeManagers& managers() { return managers_; }
  const std::string& Param(const std::string& name) const { return rest.Param(name); }
  std::string Link(const std::string& path) const { return rest.Link("/v2.1" + path); }
};

using CallHandler = std::function<absl::Status(Call&)>;

// The Nova routes on the kit's authenticated routes (http::RestApi::Authed, with the
// microversion negotiated in RestApiOptions::before): each handler gets a Call.
class NovaRoutes {
 public:
  NovaRoutes(http::RestApi& api, ComputeManagers& managers) : api_(api), managers_(managers) {}

  void Add(const std::string& method, const std::string& pattern, CallHandler handler);

 private:
  http::RestApi& api_;
  ComputeManagers& managers_;
};

// `OpenStack-API-Version: compute 2.x` or `X-OpenStack-Nova-API-Version: 2.x` ("latest"
// allowed; none: 2.1); 400 for a malformed version, 406 out of range.
absl::StatusOr<Microversion> Negotiate(const http::Request& req);

void RegisterServerRoutes(NovaRoutes& routes);
void RegisterActionRoutes(NovaRoutes& routes);
void RegisterFlavorRoutes(NovaRoutes& routes);
void RegisterKeypairRoutes(NovaRoutes& routes);  // + server groups, quotas
void RegisterHostRoutes(NovaRoutes& routes);
void RegisterVolumeAttachmentRoutes(NovaRoutes& routes);  // os-volume_attachments
void RegisterExternalEventRoutes(NovaRoutes& routes);     // os-server-external-events
void RegisterServerIpsRoutes(NovaRoutes& routes);         // servers/{id}/ips
void RegisterImageRoutes(NovaRoutes& routes);             // images: Nova's image proxy
void RegisterExtensionRoutes(NovaRoutes& routes);         // extensions (Nova's fixed list)
void RegisterOsHostRoutes(NovaRoutes& routes);  // os-hosts, os-hypervisors search/servers/uptime
void RegisterUsageRoutes(NovaRoutes& routes);   // os-simple-tenant-usage, audit log
// Nova's network proxies (os-security-groups, os-floating-ips, os-networks, ...):
// compute_rest_network_proxies.cc; with the server actions below.
void RegisterNetworkProxyRoutes(NovaRoutes& routes);
// addSecurityGroup, removeSecurityGroup, addFloatingIp, removeFloatingIp.
bool IsNetworkProxyAction(const std::string& key);
absl::Status NetworkProxyAction(Call& call, const std::string& key, const json& arg);
void RegisterMigrationRoutes(NovaRoutes& routes);    // os-migrations
void RegisterQuotaClassRoutes(NovaRoutes& routes);   // os-quota-class-sets
void RegisterDiagnosticsRoutes(NovaRoutes& routes);  // servers/{id}/diagnostics

// ---- decoding ----
absl::StatusOr<json> BodyEntity(const http::Request& req, const std::string& key);
absl::StatusOr<json> BodyEntity(const json& body, const std::string& key);
// additionalProperties: false. 400 "Invalid input for field/attribute <path>. Additional
// properties are not allowed ('x' was unexpected)" naming at most a few of them.
absl::Status CheckKnownFields(const json& obj, const std::string& path,
                              std::initializer_list<const char*> allowed);
// Fields are read with http::JsonReader (one reader per object, then Finish()); Nova's
// objects take unknown fields (open readers) except where CheckKnownFields says otherwise.
// A string field: null reads as absent, as in Nova's schemas.
inline constexpr http::StringRule kNullable{.nullable = true};
// An integer field in [min, max]: a JSON integer or its digits in a string (Nova's
// schemas take both); null reads as absent. False when absent or wrong.
bool OptionalInt(http::JsonReader& r, const json& obj, const char* field,
                 std::optional<int64_t>* out, int64_t min = INT32_MIN, int64_t max = INT32_MAX);
// A boolean field: JSON true/false or a string http::ParseBool takes; null reads as absent.
bool OptionalBool(http::JsonReader& r, const json& obj, const char* field,
                  std::optional<bool>* out);
// OS-DCF:diskConfig of a create, rebuild, resize or update body: AUTO (true) or MANUAL
// (false); anything else fails the reader (400); null or absent leaves `out` unset.
void ReadDiskConfig(http::JsonReader& r, std::optional<bool>* out);
std::string DiskConfigName(bool auto_disk_config);  // "AUTO" | "MANUAL"

// ---- encoding ----
std::string IsoTime(absl::Time t);    // 2026-01-01T12:00:00Z
std::string IsoMicros(absl::Time t);  // 2026-01-01T12:00:00.000000
json TimeOrNull(const std::optional<absl::Time>& t, bool micros = false);
json Links(const Call& call, const std::string& collection, const std::string& id);
json FlavorJson(const Call& call, const FlavorRecord& f);
json ServerJson(Call& call, const Instance& i, bool detail);
json KeypairJson(const Keypair& k, bool detail, bool with_type);
// A guest password as Nova makes one when a create or rebuild gives none: 12 random
// letters and digits (libsodium's CSPRNG).
std::string NewAdminPass();
// ServerJson's detail without the extended attributes: the update and rebuild answers.
json ServerBasicJson(Call& call, const Instance& i);
json ServerGroupJson(const Call& call, const ServerGroup& g);
json ServiceJson(const Call& call, const HostState& h);
// Nova's aggregate: `created` (the create answer) without hosts and metadata; uuid from 2.41.
json AggregateJson(const Call& call, const Aggregate& a, bool created = false);
json QuotaSetJson(const std::string& project, const QuotaLimits& q);
json VolumeAttachmentJson(const Call& call, const VolumeAttachment& a);

}  // namespace gureum::compute
