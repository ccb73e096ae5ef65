#include "block-storage/api/block_storage_policy.h"

namespace gureum::block_storage {

std::vector<policy::Rule> BlockStoragePolicyDefaults() {
  std::vector<policy::Rule> rules = policy::BaseRules();
  auto add = [&](const std::string& name, const std::string& check) {
    rules.push_back({name, check, ""});
  };
  add("admin_api", "rule:cloud_admin");
  add("project_member_api", "role:member and project_id:%(project_id)s");
  add("project_reader_api", "role:reader and project_id:%(project_id)s");
  add("service_api", "rule:admin_api or role:service");
  add("member_or_admin", "rule:admin_api or rule:project_member_api");
  add("member_or_service", "rule:member_or_admin or rule:service_api");
  add("reader_or_admin", "rule:admin_api or rule:project_reader_api");
  for (const char* r :
       {"volume:create", "volume:update", "volume:extend", "volume:extend_attached_volume",
        "volume:update_readonly_flag", "volume_extension:volume_actions:upload_image",
        "volume:create_snapshot", "volume:update_snapshot", "volume:delete_snapshot",
        "volume:update_volume_metadata", "volume:set_bootable", "volume:retype"}) {
    add(r, "rule:member_or_admin");
  }
  // Compute attaches for the user (compute-api with the user's token) and finishes the
  // attach on the host (the agent, as the service user).
  // Compute also deletes, as the service user, the volumes of a deleted server that were
  // marked delete_on_termination (boot from volume).
  for (const char* r :
       {"volume:attachment_create", "volume:attachment_update", "volume:attachment_delete",
        "volume:attachment_complete", "volume:delete"}) {
    add(r, "rule:member_or_service");
  }
  add("volume:get", "rule:reader_or_admin or rule:service_api");
  for (const char* r :
       {"volume:get_all", "volume:get_snapshot", "volume:get_all_snapshots",
        "volume:attachment_get", "volume:attachment_get_all", "volume_extension:quotas:show",
        "volume_extension:type_get", "volume_extension:types_extra_specs:index"}) {
    add(r, "rule:reader_or_admin");
  }
  for (const char* r :
       {"volume:force_delete", "volume:get_all_tenants",
        "volume_extension:volume_admin_actions:"
        "reset_status",
        "volume_extension:snapshot_admin_actions:reset_status",
        "volume_extension:snapshot_admin_actions:force_delete",
        "volume_extension:volume_admin_actions:force_delete",
        "volume_extension:volume_admin_actions:force_detach", "volume_extension:types_manage",
        "volume_extension:volume_type_access:addProjectAccess",
        "volume_extension:volume_actions:upload_public", "volume_extension:volume_type_access",
        "volume_extension:quotas:update", "volume_extension:quotas:delete",
        "volume_extension:quota_classes:update", "volume_extension:services:index",
        "volume_extension:services:update", "volume_extension:volume_host_attribute",
        "volume_extension:capacity_pools", "volume_extension:capabilities"}) {
    add(r, "rule:admin_api");
  }
  add("volume_extension:availability_zone_list", "@");
  add("volume_extension:types_list", "@");
  add("volume:get_limits", "@");
  return rules;
}

absl::Status BlockStoragePolicy::Enforce(const RequestContext& ctx, const std::string& rule,
                                         const std::string& project_id) const {
  policy::Target target;
  target["project_id"] = project_id.empty() ? ctx.caller.project_id : project_id;
  if (enforcer_.Allowed(rule, ctx.caller, target)) return absl::OkStatus();
  return absl::PermissionDeniedError("Policy doesn't allow " + rule + " to be performed.");
}

bool BlockStoragePolicy::IsAdmin(const RequestContext& ctx) const {
  return enforcer_.Allowed("admin_api", ctx.caller, {});
}

bool BlockStoragePolicy::IsService(const RequestContext& ctx) const {
  return enforcer_.Allowed("service_api", ctx.caller, {});
}

}  // namespace gureum::block_storage
