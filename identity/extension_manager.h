// Keystone API resources that gureum-identity keeps and returns but does not act on:
// policy blobs (/v3/policies), OAuth1 consumers (OS-OAUTH1, CRUD only: no OAuth1 flow),
// endpoint groups (OS-EP-FILTER: the token catalog does not filter by them) and domain
// configurations (/v3/domains/{id}/config: stored and shown; every domain uses Gureum's one
// SQL backend whatever its configuration says). Each is a StoredDocument in the store.
//
// Policy: cloud readers read, cloud admins write (identity:<verb>_<resource>).
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

struct PolicyBlobUpdate {
  std::optional<std::string> type, blob;
};

struct CreatedOAuthConsumer {
  OAuthConsumer consumer;
  std::string secret;  // shown once; only its SHA-256 is kept
};

struct EndpointGroupUpdate {
  std::optional<std::string> name, description;
  std::optional<std::vector<std::pair<std::string, std::string>>> filters;
};

// A domain configuration: {"group": {"option": value, ...}, ...} with the groups "identity"
// and "ldap", as Keystone.
using DomainConfig = nlohmann::json;

class ExtensionManager {
 public:
  explicit ExtensionManager(const ManagerDeps& deps);

  // ---- policies: InvalidArgument for an empty type or blob ----
  absl::StatusOr<PolicyBlob> CreatePolicy(const Caller& caller, PolicyBlob policy);
  absl::StatusOr<PolicyBlob> GetPolicy(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<PolicyBlob>> ListPolicies(const Caller& caller,
                                                       const std::optional<std::string>& type);
  absl::StatusOr<PolicyBlob> UpdatePolicy(const Caller& caller, const std::string& id,
                                          const PolicyBlobUpdate& update);
  absl::Status DeletePolicy(const Caller& caller, const std::string& id);

  // ---- OAuth1 consumers ----
  absl::StatusOr<CreatedOAuthConsumer> CreateConsumer(const Caller& caller,
                                                      const std::string& description);
  absl::StatusOr<OAuthConsumer> GetConsumer(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<OAuthConsumer>> ListConsumers(const Caller& caller);
  absl::StatusOr<OAuthConsumer> UpdateConsumer(const Caller& caller, const std::string& id,
                                               const std::string& description);
  absl::Status DeleteConsumer(const Caller& caller, const std::string& id);

  // ---- endpoint groups: filters on service_id, region_id, interface only ----
  absl::StatusOr<EndpointGroup> CreateEndpointGroup(const Caller& caller, EndpointGroup group);
  absl::StatusOr<EndpointGroup> GetEndpointGroup(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<EndpointGroup>> ListEndpointGroups(const Caller& caller);
  absl::StatusOr<EndpointGroup> UpdateEndpointGroup(const Caller& caller, const std::string& id,
                                                    const EndpointGroupUpdate& update);
  absl::Status DeleteEndpointGroup(const Caller& caller, const std::string& id);

  // ---- domain configurations ----
  // Replaces the domain's configuration; *created tells whether it had none.
  absl::StatusOr<DomainConfig> SetDomainConfig(const Caller& caller, const std::string& domain_id,
                                               const DomainConfig& config, bool* created);
  // The whole configuration, one group ({"group": {...}}) or one option ({"option": v});
  // NotFound when absent.
  absl::StatusOr<DomainConfig> GetDomainConfig(const Caller& caller, const std::string& domain_id,
                                               const std::string& group = "",
                                               const std::string& option = "");
  // Merges `patch` (the whole configuration's shape; with `group`, {"group": {...}}; with
  // `option` too, {"option": v}) into the stored configuration and returns all of it.
  absl::StatusOr<DomainConfig> UpdateDomainConfig(const Caller& caller,
                                                  const std::string& domain_id,
                                                  const std::string& group,
                                                  const std::string& option,
                                                  const DomainConfig& patch);
  absl::Status DeleteDomainConfig(const Caller& caller, const std::string& domain_id,
                                  const std::string& group = "", const std::string& option = "");
  // Keystone's defaults for the groups a domain may configure (shaped as GetDomainConfig).
  absl::StatusOr<DomainConfig> DefaultDomainConfig(const Caller& caller,
                                                   const std::string& group = "",
                                                   const std::string& option = "");

 private:
  absl::StatusOr<DomainConfig> StoredConfig(const std::string& domain_id);
  absl::Status SaveConfig(const std::string& domain_id, const DomainConfig& config);

  IdentityStore& store_;
  IdGenerator& ids_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
