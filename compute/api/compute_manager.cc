// The manager's constructor and policy; flavors, keypairs, server groups and quotas.
#include "compute/api/compute_manager.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "common/validate/validate.h"
#include "compute/api/keypair_crypto.h"

namespace gureum::compute {

std::vector<policy::Rule> ComputePolicyDefaults() {
  std::vector<policy::Rule> rules = policy::BaseRules();
  auto add = [&](const std::string& name, const std::string& check) {
    rules.push_back({name, check, ""});
  };
  // Every project's servers, flavors, hosts: a cloud admin (common/policy), not an admin
  // of some project.
  add("admin_api", "rule:cloud_admin");
  add("project_member_api", "role:member and project_id:%(project_id)s");
  add("project_reader_api", "role:reader and project_id:%(project_id)s");
  add("project_member_or_admin", "rule:admin_api or rule:project_member_api");
  add("project_reader_or_admin", "rule:admin_api or rule:project_reader_api");
  add("owner_or_admin", "rule:admin_api or user_id:%(user_id)s");
  for (const char* r : {"create", "delete", "update", "start", "stop", "reboot", "rebuild",
                        "resize", "confirm_resize", "revert_resize", "pause", "unpause", "suspend",
                        "resume", "lock", "unlock", "console_output"}) {
    add(absl::StrCat("os_compute_api:servers:", r), "rule:project_member_or_admin");
  }
  for (const char* r : {"index", "detail", "show", "instance_actions"}) {
    add(absl::StrCat("os_compute_api:servers:", r), "rule:project_reader_or_admin");
  }
  for (const char* r : {"index:get_all_tenants", "detail:get_all_tenants", "migrate", "evacuate",
                        "unlock:unlock_override", "show:host_status", "create:forced_host",
                        "instance_actions:events:details"}) {
    add(absl::StrCat("os_compute_api:servers:", r), "rule:admin_api");
  }
  add("os_compute_api:os-flavor-manage", "rule:admin_api");
  add("os_compute_api:os-flavor-access", "rule:admin_api");
  add("os_compute_api:os-keypairs", "rule:owner_or_admin");
  add("os_compute_api:os-server-groups:create", "rule:project_member_or_admin");
  add("os_compute_api:os-server-groups:delete", "rule:project_member_or_admin");
  add("os_compute_api:os-server-groups:show", "rule:project_reader_or_admin");
  add("os_compute_api:os-server-groups:index:all_projects", "rule:admin_api");
  add("os_compute_api:os-quota-sets:show", "rule:project_reader_or_admin");
  add("os_compute_api:os-quota-sets:update", "rule:admin_api");
  add("os_compute_api:os-quota-sets:delete", "rule:admin_api");
  add("os_compute_api:os-services", "rule:admin_api");
  add("os_compute_api:os-hypervisors", "rule:admin_api");
  add("os_compute_api:os-aggregates", "rule:admin_api");
  add("os_compute_api:os-availability-zone:list", "@");
  add("os_compute_api:os-availability-zone:detail", "rule:admin_api");
  return rules;
}

ComputeManager::ComputeManager(ComputeStore& store, amqp::Bus& bus, ImageLookup& images,
                               PlacementClient& placement, const policy::Enforcer& enforcer,
                               const Clock& clock, IdGenerator& ids, ComputeOptions options)
    : store_(store),
      bus_(bus),
      images_(images),
      placement_(placement),
      enforcer_(enforcer),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)) {}

absl::Status ComputeManager::Enforce(const RequestContext& ctx, const std::string& rule,
                                     const std::string& project_id,
                                     const std::string& user_id) const {
  policy::Target target;
  target["project_id"] = project_id.empty() ? ctx.caller.project_id : project_id;
  target["user_id"] = user_id.empty() ? ctx.caller.user_id : user_id;
  if (enforcer_.Allowed(rule, ctx.caller, target)) return absl::OkStatus();
  return absl::PermissionDeniedError("Policy doesn't allow " + rule + " to be performed.");
}

bool ComputeManager::IsAdmin(const RequestContext& ctx) const {
  return enforcer_.Allowed("admin_api", ctx.caller, {});
}

// ---- flavors ----

namespace {

// Decodes the code points of valid UTF-8 (ValidateName has checked it).
std::vector<uint32_t> NovaNameCodePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Unicode's "Other" characters that Nova's printable-name pattern leaves out: controls
// (Cc), the format characters (Cf) of the BMP, private use (Co) and noncharacters.
bool IsNovaNonPrintable(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x600 && c <= 0x605) ||
         c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE000 && c <= 0xF8FF) ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE || c >= 0xF0000 ||
         (c >= 0xE0000 && c <= 0xE007F);
}

// Unicode's separators (Zs, Zl, Zp): a name may not start or end with one.
bool IsNovaSeparator(uint32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Nova's parameter_types.name ("format": "name"): printable characters, no leading or
// trailing whitespace; InvalidName (400) otherwise.
absl::Status ValidatePrintableName(const std::string& name) {
  const std::vector<uint32_t> cps = NovaNameCodePoints(name);
  bool ok = !cps.empty() && !IsNovaSeparator(cps.front()) && !IsNovaSeparator(cps.back());
  for (uint32_t c : cps) ok = ok && !IsNovaNonPrintable(c);
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not "
      "start or end with whitespace.");
}

// Nova's flavor id: 1 to 255 of [a-zA-Z0-9. _-], not starting or ending with a space.
absl::Status ValidateFlavorId(const std::string& id) {
  bool ok = !id.empty() && id.size() <= kMaxNameLength && id.front() != ' ' && id.back() != ' ';
  for (char c : id) {
    ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ' ' ||
                c == '_' || c == '-');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "Invalid input for field/attribute id. It must be 1 to 255 of the characters "
      "[a-zA-Z0-9. _-] and must not start or end with a space.");
}

absl::Status ValidateFlavor(const FlavorRecord& f) {
  if (f.name.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", f.name));
  GUREUM_RETURN_IF_ERROR(ValidatePrintableName(f.name));
  if (!f.id.empty() && f.id != "auto") GUREUM_RETURN_IF_ERROR(ValidateFlavorId(f.id));
  if (f.vcpus <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute vcpus: must be >= 1");
  if (f.ram_mb <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute ram: must be >= 1");
  if (f.disk_gb < 0 || f.ephemeral_gb < 0 || f.swap_mb < 0) {
    return absl::InvalidArgumentError("Invalid input: disk, ephemeral and swap must be >= 0");
  }
  if (f.rxtx_factor <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute rxtx_factor");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FlavorRecord> ComputeManager::CreateFlavor(const RequestContext& ctx,
                                                          FlavorRecord f) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-manage"));
  GUREUM_RETURN_IF_ERROR(ValidateFlavor(f));
  if (f.id.empty() || f.id == "auto") f.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateFlavor(f));
  return store_.GetFlavor(f.id);
}

absl::StatusOr<FlavorRecord> ComputeManager::FlavorForCaller(const RequestContext& ctx,
                                                             const std::string& id) {
  absl::StatusOr<FlavorRecord> f = store_.GetFlavor(id);
  if (!f.ok() && f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("Flavor " + id + " could not be found.");
  }
  if (!f.ok() || f->is_public || IsAdmin(ctx)) return f;
  GUREUM_ASSIGN_OR_RETURN(auto projects, store_.ListFlavorAccess(id));
  for (const std::string& p : projects) {
    if (p == ctx.caller.project_id) return f;
  }
  return absl::NotFoundError("Flavor " + id + " could not be found.");
}

absl::StatusOr<FlavorRecord> ComputeManager::GetFlavor(const RequestContext& ctx,
                                                       const std::string& id) {
  return FlavorForCaller(ctx, id);
}

absl::StatusOr<std::vector<FlavorRecord>> ComputeManager::ListFlavors(const RequestContext& ctx,
                                                                      FlavorFilter filter) {
  // Nova: admins see private flavors too unless they filter; others see public ones and
  // the private ones their project has access to.
  filter.all = IsAdmin(ctx);
  filter.project_id = ctx.caller.project_id;
  return store_.ListFlavors(filter);
}

absl::Status ComputeManager::DeleteFlavor(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-manage"));
  return store_.DeleteFlavor(id);
}

absl::StatusOr<FlavorRecord> ComputeManager::UpdateFlavor(const RequestContext& ctx,
                                                          const std::string& id,
                                                          const std::string& description) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-manage"));
  GUREUM_RETURN_IF_ERROR(store_.UpdateFlavorDescription(id, description));
  return store_.GetFlavor(id);
}

absl::StatusOr<StringMap> ComputeManager::SetExtraSpecs(const RequestContext& ctx,
                                                        const std::string& id,
                                                        const StringMap& specs) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-manage"));
  for (const auto& [k, v] : specs) {
    if (k.empty() || k.size() > 255 || v.size() > 255) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute extra_specs: keys and "
          "values must be 1 to 255 characters");
    }
  }
  GUREUM_RETURN_IF_ERROR(store_.SetExtraSpecs(id, specs));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  return f.extra_specs;
}

absl::Status ComputeManager::DeleteExtraSpec(const RequestContext& ctx, const std::string& id,
                                             const std::string& key) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-manage"));
  return store_.DeleteExtraSpec(id, key);
}

absl::StatusOr<std::vector<std::string>> ComputeManager::FlavorAccess(const RequestContext& ctx,
                                                                      const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-access"));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  if (f.is_public) {
    return absl::NotFoundError("Access list not available for public flavors.");
  }
  return store_.ListFlavorAccess(id);
}

absl::Status ComputeManager::AddFlavorAccess(const RequestContext& ctx, const std::string& id,
                                             const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-access"));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  if (f.is_public) {
    return WithHttpStatus(absl::FailedPreconditionError("Can not add access to a public flavor."),
                          409);
  }
  return store_.AddFlavorAccess(id, project);
}

absl::Status ComputeManager::RemoveFlavorAccess(const RequestContext& ctx, const std::string& id,
                                                const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-flavor-access"));
  return store_.RemoveFlavorAccess(id, project);
}

// ---- keypairs ----

absl::StatusOr<ComputeManager::NewKeypair> ComputeManager::CreateKeypair(
    const RequestContext& ctx, const std::string& name, const std::string& public_key,
    const std::string& type, const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  if (name.empty() || name.size() > 255 ||
      name.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .@") !=
          std::string::npos) {
    return absl::InvalidArgumentError(
        "Keypair data is invalid: Keypair name contains unsafe characters");
  }
  if (!type.empty() && type != "ssh" && type != "x509") {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute type: must be ssh or x509");
  }
  NewKeypair out;
  out.keypair.user_id = user;
  out.keypair.name = name;
  out.keypair.type = type.empty() ? "ssh" : type;
  if (public_key.empty()) {
    GUREUM_ASSIGN_OR_RETURN(GeneratedKeypair g, GenerateEd25519Keypair("Generated-by-Gureum"));
    out.keypair.public_key = g.public_key;
    out.keypair.fingerprint = g.fingerprint;
    out.private_key = std::move(g.private_key);
  } else {
    GUREUM_ASSIGN_OR_RETURN(out.keypair.fingerprint, PublicKeyFingerprint(public_key));
    out.keypair.public_key = public_key;
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(ctx.caller.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(store_.CreateKeypair(out.keypair, limits.key_pairs));
  GUREUM_ASSIGN_OR_RETURN(out.keypair, store_.GetKeypair(user, name));
  return out;
}

absl::StatusOr<Keypair> ComputeManager::GetKeypair(const RequestContext& ctx,
                                                   const std::string& name,
                                                   const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.GetKeypair(user, name);
}

absl::StatusOr<std::vector<Keypair>> ComputeManager::ListKeypairs(const RequestContext& ctx,
                                                                  const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.ListKeypairs(user);
}

absl::Status ComputeManager::DeleteKeypair(const RequestContext& ctx, const std::string& name,
                                           const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.DeleteKeypair(user, name);
}

// ---- server groups ----

absl::StatusOr<ServerGroup> ComputeManager::CreateServerGroup(const RequestContext& ctx,
                                                              const std::string& name,
                                                              const std::string& policy,
                                                              int max_per_host) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-server-groups:create"));
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", name));
  if (policy != "affinity" && policy != "anti-affinity" && policy != "soft-affinity" &&
      policy != "soft-anti-affinity") {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute policies: '" + policy +
        "' is not one of ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity']");
  }
  if (max_per_host < 0 || (max_per_host > 0 && policy != "anti-affinity")) {
    return absl::InvalidArgumentError(
        "Invalid input: max_server_per_host is only valid for anti-affinity and must be >= 1");
  }
  ServerGroup g{.uuid = ids_.NewUuid(),
                .name = name,
                .project_id = ctx.caller.project_id,
                .user_id = ctx.caller.user_id,
                .policy = policy,
                .max_server_per_host = max_per_host};
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(g.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(store_.CreateServerGroup(g, limits.server_groups));
  return store_.GetServerGroup(g.uuid);
}

absl::StatusOr<ServerGroup> ComputeManager::GetServerGroup(const RequestContext& ctx,
                                                           const std::string& id) {
  // Nova checks the policy on the caller's own project before the lookup: a caller
  // without a reader role is refused (403) whatever the id; a group of another project
  // is then as unknown (404).
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-server-groups:show"));
  GUREUM_ASSIGN_OR_RETURN(ServerGroup g, store_.GetServerGroup(id));
  if (!Enforce(ctx, "os_compute_api:os-server-groups:show", g.project_id).ok()) {
    return absl::NotFoundError("Instance group " + id + " could not be found.");
  }
  return g;
}

absl::StatusOr<std::vector<ServerGroup>> ComputeManager::ListServerGroups(const RequestContext& ctx,
                                                                          bool all_projects) {
  if (all_projects) {
    GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-server-groups:index:all_projects"));
    return store_.ListServerGroups("");
  }
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-server-groups:show"));
  return store_.ListServerGroups(ctx.caller.project_id);
}

absl::Status ComputeManager::DeleteServerGroup(const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(ServerGroup g, GetServerGroup(ctx, id));
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-server-groups:delete", g.project_id));
  return store_.DeleteServerGroup(id);
}

// ---- quotas ----

absl::StatusOr<QuotaLimits> ComputeManager::GetQuotas(const RequestContext& ctx,
                                                      const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-quota-sets:show", project));
  return store_.GetQuotaLimits(project, options_.default_quotas);
}

absl::StatusOr<QuotaUsage> ComputeManager::GetQuotaUsage(const RequestContext& ctx,
                                                         const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-quota-sets:show", project));
  return store_.GetQuotaUsage(project, ctx.caller.user_id);
}

absl::StatusOr<QuotaLimits> ComputeManager::UpdateQuotas(
    const RequestContext& ctx, const std::string& project,
    const std::map<std::string, int64_t>& limits) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-quota-sets:update", project));
  static const char* kKnown[] = {"instances",     "cores",         "ram",
                                 "key_pairs",     "server_groups", "server_group_members",
                                 "metadata_items"};
  for (const auto& [resource, limit] : limits) {
    bool known = false;
    for (const char* k : kKnown) known = known || resource == k;
    if (!known) {
      return absl::InvalidArgumentError("Bad key(s) " + resource + " in quota_set");
    }
    if (limit < -1) {
      return absl::InvalidArgumentError("Quota limit " + std::to_string(limit) + " for " +
                                        resource + " must be -1 or greater.");
    }
  }
  for (const auto& [resource, limit] : limits) {
    GUREUM_RETURN_IF_ERROR(store_.SetQuotaLimit(project, resource, limit));
  }
  return store_.GetQuotaLimits(project, options_.default_quotas);
}

absl::Status ComputeManager::ResetQuotas(const RequestContext& ctx, const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os_compute_api:os-quota-sets:delete", project));
  return store_.DeleteQuotas(project);
}

}  // namespace gureum::compute
