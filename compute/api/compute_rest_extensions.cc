// GET /v2.1/extensions (+/{alias}): Nova's fixed list of the v2 extensions, kept by Nova
// for old clients since v2.1 has no extensions of its own; every deployment answers the
// same list. Gureum answers the part of it that names what compute-api serves, and
// os-consoles and os-hosts, which Nova always lists (Tempest asks for both).
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

struct Extension {
  const char* alias;
  const char* name;
};

constexpr Extension kExtensions[] = {
    {"os-admin-actions", "AdminActions"},
    {"os-aggregates", "Aggregates"},
    {"os-availability-zone", "AvailabilityZone"},
    {"os-consoles", "Consoles"},
    {"os-console-output", "ConsoleOutput"},
    {"os-create-backup", "CreateBackup"},
    {"os-evacuate", "Evacuate"},
    {"os-extended-availability-zone", "ExtendedAvailabilityZone"},
    {"OS-EXT-IPS", "ExtendedIps"},
    {"OS-EXT-IPS-MAC", "ExtendedIpsMac"},
    {"OS-EXT-SRV-ATTR", "ExtendedServerAttributes"},
    {"OS-EXT-STS", "ExtendedStatus"},
    {"os-extended-volumes", "ExtendedVolumes"},
    {"os-flavor-access", "FlavorAccess"},
    {"os-flavor-extra-specs", "FlavorExtraSpecs"},
    {"os-flavor-manage", "FlavorManage"},
    {"OS-FLV-DISABLED", "FlavorDisabled"},
    {"OS-FLV-EXT-DATA", "FlavorExtraData"},
    {"os-hosts", "Hosts"},
    {"os-hypervisors", "Hypervisors"},
    {"os-instance-actions", "InstanceActions"},
    {"os-keypairs", "Keypairs"},
    {"os-lock-server", "LockServer"},
    {"os-migrate-server", "MigrateServer"},
    {"os-pause-server", "PauseServer"},
    {"os-quota-sets", "Quotas"},
    {"os-server-external-events", "ServerExternalEvents"},
    {"os-server-groups", "ServerGroups"},
    {"os-services", "Services"},
    {"os-suspend-server", "SuspendServer"},
    {"os-volumes", "Volumes"},
};

json ExtensionJson(const Extension& e) {
  return {{"alias", e.alias},
          {"name", e.name},
          {"description", std::string(e.name) + " support."},
          {"namespace", "http://docs.openstack.org/compute/ext/fake_xml"},
          {"updated", "2014-12-03T00:00:00Z"},
          {"links", json::array()}};
}

absl::Status ListExtensions(Call& call) {
  json list = json::array();
  for (const Extension& e : kExtensions) list.push_back(ExtensionJson(e));
  call.res.Json(200, {{"extensions", list}});
  return absl::OkStatus();
}

absl::Status ShowExtension(Call& call) {
  for (const Extension& e : kExtensions) {
    if (call.Param("alias") == e.alias) {
      call.res.Json(200, {{"extension", ExtensionJson(e)}});
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("Extension " + call.Param("alias") + " could not be found.");
}

}  // namespace

void RegisterExtensionRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/extensions", ListExtensions);
  routes.Add("GET", "/v2.1/extensions/{alias}", ShowExtension);
}

}  // namespace gureum::compute
