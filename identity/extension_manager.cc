#include "identity/extension_manager.h"

#include <sodium.h>

#include <algorithm>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

using nlohmann::json;

constexpr char kPolicy[] = "policy";
constexpr char kConsumer[] = "oauth_consumer";
constexpr char kEndpointGroup[] = "endpoint_group";
constexpr char kDomainConfig[] = "domain_config";

json Parse(const StoredDocument& d) {
  json j = json::parse(d.body, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

PolicyBlob ToPolicy(const StoredDocument& d) {
  json j = Parse(d);
  return PolicyBlob{d.id, Text(j, "type"), Text(j, "blob")};
}

StoredDocument FromPolicy(const PolicyBlob& p) {
  return {kPolicy, p.id, json{{"type", p.type}, {"blob", p.blob}}.dump()};
}

OAuthConsumer ToConsumer(const StoredDocument& d) {
  return OAuthConsumer{d.id, Text(Parse(d), "description")};
}

EndpointGroup ToEndpointGroup(const StoredDocument& d) {
  json j = Parse(d);
  EndpointGroup g{d.id, Text(j, "name"), Text(j, "description"), {}};
  if (j.contains("filters") && j["filters"].is_object()) {
    for (const auto& [k, v] : j["filters"].items()) {
      if (v.is_string()) g.filters.push_back({k, v.get<std::string>()});
    }
  }
  return g;
}

StoredDocument FromEndpointGroup(const EndpointGroup& g) {
  json filters = json::object();
  for (const auto& [k, v] : g.filters) filters[k] = v;
  return {kEndpointGroup, g.id,
          json{{"name", g.name}, {"description", g.description}, {"filters", filters}}.dump()};
}

absl::Status CheckFilters(std::vector<std::pair<std::string, std::string>>& filters) {
  for (const auto& [key, value] : filters) {
    if (key != "service_id" && key != "region_id" && key != "interface") {
      return InvalidFieldError("filters", "only service_id, region_id and interface filter");
    }
    GUREUM_RETURN_IF_ERROR(ValidateName("filters", value));
  }
  std::sort(filters.begin(), filters.end());
  return absl::OkStatus();
}

// Keystone's domain-specific configuration groups and their defaults.
const json& Defaults() {
  static const json* defaults = new json{{"identity", {{"driver", "sql"}, {"list_limit", nullptr}}},
                                         {"ldap",
                                          {{"url", "ldap://localhost"},
                                           {"user", nullptr},
                                           {"suffix", "cn=example,cn=com"},
                                           {"query_scope", "one"},
                                           {"page_size", 0},
                                           {"user_tree_dn", nullptr},
                                           {"user_filter", nullptr},
                                           {"user_objectclass", "inetOrgPerson"},
                                           {"group_tree_dn", nullptr},
                                           {"group_filter", nullptr},
                                           {"group_objectclass", "groupOfNames"}}}};
  return *defaults;
}

absl::Status CheckGroup(const std::string& group) {
  if (group != "identity" && group != "ldap") {
    return InvalidFieldError("config", "groups are identity and ldap, not '" + group + "'");
  }
  return absl::OkStatus();
}

// {"group": {"option": value}} with known groups only.
absl::Status CheckConfig(const json& config) {
  if (!config.is_object() || config.empty()) {
    return InvalidFieldError("config", "must be an object of groups");
  }
  for (const auto& [group, options] : config.items()) {
    GUREUM_RETURN_IF_ERROR(CheckGroup(group));
    if (!options.is_object()) return InvalidFieldError("config", "a group is an object");
  }
  return ValidateText("config", config.dump());
}

// The part of `config` that `group` and `option` name, shaped as Keystone shows it.
absl::StatusOr<json> Select(const json& config, const std::string& domain_id,
                            const std::string& group, const std::string& option) {
  if (group.empty()) return config;
  GUREUM_RETURN_IF_ERROR(CheckGroup(group));
  if (!config.contains(group)) return NotFoundError("domain config group", group);
  if (option.empty()) return json{{group, config[group]}};
  if (!config[group].contains(option)) return NotFoundError("domain config option", option);
  return json{{option, config[group][option]}};
}

}  // namespace

ExtensionManager::ExtensionManager(const ManagerDeps& deps)
    : store_(deps.store), ids_(deps.ids), access_(deps.access) {}

// ---- policies ----

absl::StatusOr<PolicyBlob> ExtensionManager::CreatePolicy(const Caller& caller, PolicyBlob p) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_policy", caller));
  if (p.type.empty()) return InvalidFieldError("type", "must not be empty");
  if (p.blob.empty()) return InvalidFieldError("blob", "must not be empty");
  GUREUM_RETURN_IF_ERROR(ValidateName("type", p.type));
  GUREUM_RETURN_IF_ERROR(ValidateText("blob", p.blob));
  p.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateDocument(FromPolicy(p)));
  return p;
}

absl::StatusOr<PolicyBlob> ExtensionManager::GetPolicy(const Caller& caller,
                                                       const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_policy", caller));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kPolicy, id));
  return ToPolicy(d);
}

absl::StatusOr<std::vector<PolicyBlob>> ExtensionManager::ListPolicies(
    const Caller& caller, const std::optional<std::string>& type) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_policies", caller));
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_.ListDocuments(kPolicy));
  std::vector<PolicyBlob> out;
  for (const StoredDocument& d : docs) {
    PolicyBlob p = ToPolicy(d);
    if (!type || p.type == *type) out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<PolicyBlob> ExtensionManager::UpdatePolicy(const Caller& caller,
                                                          const std::string& id,
                                                          const PolicyBlobUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_policy", caller));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kPolicy, id));
  PolicyBlob p = ToPolicy(d);
  if (update.type) p.type = *update.type;
  if (update.blob) p.blob = *update.blob;
  if (p.type.empty()) return InvalidFieldError("type", "must not be empty");
  if (p.blob.empty()) return InvalidFieldError("blob", "must not be empty");
  GUREUM_RETURN_IF_ERROR(ValidateName("type", p.type));
  GUREUM_RETURN_IF_ERROR(ValidateText("blob", p.blob));
  GUREUM_RETURN_IF_ERROR(store_.UpdateDocument(FromPolicy(p)));
  return p;
}

absl::Status ExtensionManager::DeletePolicy(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_policy", caller));
  return store_.DeleteDocument(kPolicy, id);
}

// ---- OAuth1 consumers ----

absl::StatusOr<CreatedOAuthConsumer> ExtensionManager::CreateConsumer(
    const Caller& caller, const std::string& description) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_consumer", caller));
  GUREUM_RETURN_IF_ERROR(CheckDescription(description));
  unsigned char raw[24];
  randombytes_buf(raw, sizeof(raw));
  std::string secret(sizeof(raw) * 2 + 1, '\0');
  sodium_bin2hex(secret.data(), secret.size(), raw, sizeof(raw));
  secret.pop_back();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  std::string digest_hex(sizeof(digest) * 2 + 1, '\0');
  sodium_bin2hex(digest_hex.data(), digest_hex.size(), digest, sizeof(digest));
  digest_hex.pop_back();
  OAuthConsumer c{ids_.NewUuid(), description};
  GUREUM_RETURN_IF_ERROR(store_.CreateDocument(
      {kConsumer, c.id, json{{"description", description}, {"secret_sha256", digest_hex}}.dump()}));
  return CreatedOAuthConsumer{c, secret};
}

absl::StatusOr<OAuthConsumer> ExtensionManager::GetConsumer(const Caller& caller,
                                                            const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_consumer", caller));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kConsumer, id));
  return ToConsumer(d);
}

absl::StatusOr<std::vector<OAuthConsumer>> ExtensionManager::ListConsumers(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_consumers", caller));
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_.ListDocuments(kConsumer));
  std::vector<OAuthConsumer> out;
  for (const StoredDocument& d : docs) out.push_back(ToConsumer(d));
  return out;
}

absl::StatusOr<OAuthConsumer> ExtensionManager::UpdateConsumer(const Caller& caller,
                                                               const std::string& id,
                                                               const std::string& description) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_consumer", caller));
  GUREUM_RETURN_IF_ERROR(CheckDescription(description));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kConsumer, id));
  json j = Parse(d);
  j["description"] = description;
  d.body = j.dump();
  GUREUM_RETURN_IF_ERROR(store_.UpdateDocument(d));
  return ToConsumer(d);
}

absl::Status ExtensionManager::DeleteConsumer(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_consumer", caller));
  return store_.DeleteDocument(kConsumer, id);
}

// ---- endpoint groups ----

absl::StatusOr<EndpointGroup> ExtensionManager::CreateEndpointGroup(const Caller& caller,
                                                                    EndpointGroup g) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_endpoint_group", caller));
  GUREUM_RETURN_IF_ERROR(CheckName(g.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(g.description));
  GUREUM_RETURN_IF_ERROR(CheckFilters(g.filters));
  g.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateDocument(FromEndpointGroup(g)));
  return g;
}

absl::StatusOr<EndpointGroup> ExtensionManager::GetEndpointGroup(const Caller& caller,
                                                                 const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_endpoint_group", caller));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kEndpointGroup, id));
  return ToEndpointGroup(d);
}

absl::StatusOr<std::vector<EndpointGroup>> ExtensionManager::ListEndpointGroups(
    const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_endpoint_groups", caller));
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_.ListDocuments(kEndpointGroup));
  std::vector<EndpointGroup> out;
  for (const StoredDocument& d : docs) out.push_back(ToEndpointGroup(d));
  return out;
}

absl::StatusOr<EndpointGroup> ExtensionManager::UpdateEndpointGroup(
    const Caller& caller, const std::string& id, const EndpointGroupUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_endpoint_group", caller));
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kEndpointGroup, id));
  EndpointGroup g = ToEndpointGroup(d);
  if (update.name) g.name = *update.name;
  if (update.description) g.description = *update.description;
  if (update.filters) g.filters = *update.filters;
  GUREUM_RETURN_IF_ERROR(CheckName(g.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(g.description));
  GUREUM_RETURN_IF_ERROR(CheckFilters(g.filters));
  GUREUM_RETURN_IF_ERROR(store_.UpdateDocument(FromEndpointGroup(g)));
  return g;
}

absl::Status ExtensionManager::DeleteEndpointGroup(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_endpoint_group", caller));
  return store_.DeleteDocument(kEndpointGroup, id);
}

// ---- domain configurations ----

absl::StatusOr<DomainConfig> ExtensionManager::StoredConfig(const std::string& domain_id) {
  absl::StatusOr<StoredDocument> d = store_.GetDocument(kDomainConfig, domain_id);
  if (absl::IsNotFound(d.status())) return NotFoundError("domain config", domain_id);
  GUREUM_RETURN_IF_ERROR(d.status());
  return Parse(*d);
}

absl::Status ExtensionManager::SaveConfig(const std::string& domain_id,
                                          const DomainConfig& config) {
  StoredDocument d{kDomainConfig, domain_id, config.dump()};
  absl::Status s = store_.UpdateDocument(d);
  return absl::IsNotFound(s) ? store_.CreateDocument(d) : s;
}

absl::StatusOr<DomainConfig> ExtensionManager::SetDomainConfig(const Caller& caller,
                                                               const std::string& domain_id,
                                                               const DomainConfig& config,
                                                               bool* created) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:create_domain_config", caller, DomainTarget(domain_id)));
  GUREUM_RETURN_IF_ERROR(store_.GetDomain(domain_id).status());
  GUREUM_RETURN_IF_ERROR(CheckConfig(config));
  *created = absl::IsNotFound(store_.GetDocument(kDomainConfig, domain_id).status());
  GUREUM_RETURN_IF_ERROR(SaveConfig(domain_id, config));
  return config;
}

absl::StatusOr<DomainConfig> ExtensionManager::GetDomainConfig(const Caller& caller,
                                                               const std::string& domain_id,
                                                               const std::string& group,
                                                               const std::string& option) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:get_domain_config", caller, DomainTarget(domain_id)));
  GUREUM_ASSIGN_OR_RETURN(DomainConfig config, StoredConfig(domain_id));
  return Select(config, domain_id, group, option);
}

absl::StatusOr<DomainConfig> ExtensionManager::UpdateDomainConfig(const Caller& caller,
                                                                  const std::string& domain_id,
                                                                  const std::string& group,
                                                                  const std::string& option,
                                                                  const DomainConfig& patch) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:update_domain_config", caller, DomainTarget(domain_id)));
  GUREUM_ASSIGN_OR_RETURN(DomainConfig config, StoredConfig(domain_id));
  // Shape the patch as a whole configuration.
  json whole = patch;
  if (!option.empty()) {
    if (!patch.is_object() || !patch.contains(option)) {
      return InvalidFieldError("config", "must set option '" + option + "'");
    }
    whole = json{{group, {{option, patch[option]}}}};
  }
  GUREUM_RETURN_IF_ERROR(CheckConfig(whole));
  if (!group.empty() && (whole.size() != 1 || !whole.contains(group))) {
    return InvalidFieldError("config", "must hold group '" + group + "' only");
  }
  for (const auto& [g, options] : whole.items()) {
    for (const auto& [name, value] : options.items()) config[g][name] = value;
  }
  GUREUM_RETURN_IF_ERROR(CheckConfig(config));
  GUREUM_RETURN_IF_ERROR(SaveConfig(domain_id, config));
  return config;
}

absl::Status ExtensionManager::DeleteDomainConfig(const Caller& caller,
                                                  const std::string& domain_id,
                                                  const std::string& group,
                                                  const std::string& option) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:delete_domain_config", caller, DomainTarget(domain_id)));
  GUREUM_ASSIGN_OR_RETURN(DomainConfig config, StoredConfig(domain_id));
  GUREUM_RETURN_IF_ERROR(Select(config, domain_id, group, option).status());
  if (group.empty()) return store_.DeleteDocument(kDomainConfig, domain_id);
  if (option.empty()) {
    config.erase(group);
  } else {
    config[group].erase(option);
  }
  if (config.empty()) return store_.DeleteDocument(kDomainConfig, domain_id);
  return SaveConfig(domain_id, config);
}

absl::StatusOr<DomainConfig> ExtensionManager::DefaultDomainConfig(const Caller& caller,
                                                                   const std::string& group,
                                                                   const std::string& option) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_domain_config_default", caller));
  return Select(Defaults(), "", group, option);
}

}  // namespace gureum::identity
