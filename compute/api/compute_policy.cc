// Nova's default policy and its checks for compute-api's manager classes.
#include "compute/api/compute_policy.h"

#include "absl/strings/str_cat.h"

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
                        "resume", "lock", "unlock", "console_output", "create_image"}) {
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
  add("os_compute_api:os-volumes-attachments:index", "rule:project_reader_or_admin");
  add("os_compute_api:os-volumes-attachments:show", "rule:project_reader_or_admin");
  add("os_compute_api:os-volumes-attachments:create", "rule:project_member_or_admin");
  add("os_compute_api:os-volumes-attachments:delete", "rule:project_member_or_admin");
  // Block storage's service user tells compute of a grown volume (Nova's service_api).
  add("os_compute_api:os-server-external-events:create", "rule:admin_api or role:service");
  add("os_compute_api:ips:index", "rule:project_reader_or_admin");
  add("os_compute_api:ips:show", "rule:project_reader_or_admin");
  // Nova's network proxies (network_proxy_manager.h); gureum-network checks its own too.
  for (const char* r : {"os-security-groups:get", "os-security-groups:show",
                        "os-security-groups:list", "os-floating-ips:list", "os-floating-ips:show",
                        "os-floating-ip-pools:list", "os-networks:list", "os-networks:show",
                        "os-tenant-networks:list", "os-tenant-networks:show"}) {
    add(absl::StrCat("os_compute_api:", r), "rule:project_reader_or_admin");
  }
  for (const char* r :
       {"os-security-groups:create", "os-security-groups:update", "os-security-groups:delete",
        "os-security-groups:rule:create", "os-security-groups:rule:delete",
        "os-security-groups:add", "os-security-groups:remove", "os-floating-ips:create",
        "os-floating-ips:delete", "os-floating-ips:add", "os-floating-ips:remove"}) {
    add(absl::StrCat("os_compute_api:", r), "rule:project_member_or_admin");
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
  add("os_compute_api:os-admin-actions:reset_state", "rule:admin_api");
  add("os_compute_api:os-simple-tenant-usage:list", "rule:admin_api");
  add("os_compute_api:os-simple-tenant-usage:show", "rule:project_reader_or_admin");
  add("os_compute_api:os-instance-usage-audit-log", "rule:admin_api");
  add("os_compute_api:os-migrations:index", "rule:admin_api");
  add("os_compute_api:os-server-diagnostics", "rule:admin_api");
  add("os_compute_api:os-deferred-delete:restore", "rule:project_member_or_admin");
  add("os_compute_api:os-deferred-delete:force", "rule:project_member_or_admin");
  add("os_compute_api:os-quota-class-sets:show", "rule:admin_api");
  add("os_compute_api:os-quota-class-sets:update", "rule:admin_api");
  add("os_compute_api:os-availability-zone:list", "@");
  add("os_compute_api:os-availability-zone:detail", "rule:admin_api");
  return rules;
}

absl::Status ComputePolicy::Enforce(const RequestContext& ctx, const std::string& rule,
                                    const std::string& project_id,
                                    const std::string& user_id) const {
  policy::Target target;
  target["project_id"] = project_id.empty() ? ctx.caller.project_id : project_id;
  target["user_id"] = user_id.empty() ? ctx.caller.user_id : user_id;
  if (enforcer_.Allowed(rule, ctx.caller, target)) return absl::OkStatus();
  return absl::PermissionDeniedError("Policy doesn't allow " + rule + " to be performed.");
}

bool ComputePolicy::IsAdmin(const RequestContext& ctx) const {
  return enforcer_.Allowed("admin_api", ctx.caller, {});
}

}  // namespace gureum::compute
