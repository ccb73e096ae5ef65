#include "identity/identity_policy.h"

namespace gureum::identity {

std::vector<policy::Rule> IdentityPolicyDefaults() {
  // Helper rules. Reader checks name member and admin too, so that they hold whether or
  // not the deployment has the admin -> member -> reader implications.
  // cloud_admin, project_admin and owner come from common/policy, the same in every
  // service: a system-scoped admin, or an admin on the admin project (admin-openrc).
  std::vector<policy::Rule> rules = policy::BaseRules();
  std::vector<policy::Rule> own = {
      {"reader_role", "role:reader or role:member or role:admin", "Any of the default roles"},
      {"cloud_reader", "rule:cloud_admin or (rule:reader_role and system_scope:all)",
       "Cloud-wide read access"},
      {"domain_admin", "role:admin and domain_id:%(target.domain_id)s",
       "An admin with a token scoped to the target's domain"},
      {"domain_reader", "rule:reader_role and domain_id:%(target.domain_id)s",
       "A reader with a token scoped to the target's domain"},
      {"token_subject", "user_id:%(target.token.user_id)s", "The user the token belongs to"},
      {"service_role", "role:service", "Another service validating a user's token"},
  };
  rules.insert(rules.end(), own.begin(), own.end());
  auto add = [&rules](const char* name, const char* check) { rules.push_back({name, check, ""}); };
  const char* kCloudRead = "rule:cloud_reader";
  const char* kCloudWrite = "rule:cloud_admin";
  const char* kAnyToken = "";

  // Domains: a token scoped to a domain, or to one of its projects, reads that domain.
  add("identity:get_domain",
      "rule:cloud_reader or rule:domain_reader or project_domain_id:%(target.domain_id)s");
  add("identity:list_domains", kCloudRead);
  add("identity:create_domain", kCloudWrite);
  add("identity:update_domain", kCloudWrite);
  add("identity:delete_domain", kCloudWrite);

  // Projects: domain admins manage their domain's projects; a project's own tokens read it.
  add("identity:get_project",
      "rule:cloud_reader or rule:domain_reader or project_id:%(target.project_id)s");
  add("identity:list_projects", "rule:cloud_reader or rule:domain_reader");
  add("identity:list_user_projects", "rule:cloud_reader or rule:domain_reader or rule:owner");
  add("identity:create_project", "rule:cloud_admin or rule:domain_admin");
  add("identity:update_project", "rule:cloud_admin or rule:domain_admin");
  add("identity:delete_project", "rule:cloud_admin or rule:domain_admin");
  add("identity:list_project_tags", "rule:identity:get_project");
  add("identity:update_project_tags",
      "rule:cloud_admin or rule:domain_admin or rule:project_admin");

  // Users: domain admins manage their domain's users; a user reads themselves and
  // changes their own password.
  add("identity:get_user", "rule:cloud_reader or rule:domain_reader or rule:owner");
  add("identity:list_users", "rule:cloud_reader or rule:domain_reader");
  add("identity:create_user", "rule:cloud_admin or rule:domain_admin");
  add("identity:update_user", "rule:cloud_admin or rule:domain_admin");
  add("identity:delete_user", "rule:cloud_admin or rule:domain_admin");
  add("identity:change_password", "rule:owner");

  // Groups and membership: the group's domain admin, for users of the same domain.
  add("identity:get_group", "rule:cloud_reader or rule:domain_reader");
  add("identity:list_groups", "rule:cloud_reader or rule:domain_reader");
  add("identity:list_groups_for_user", "rule:cloud_reader or rule:domain_reader or rule:owner");
  add("identity:create_group", "rule:cloud_admin or rule:domain_admin");
  add("identity:update_group", "rule:cloud_admin or rule:domain_admin");
  add("identity:delete_group", "rule:cloud_admin or rule:domain_admin");
  add("identity:list_users_in_group", "rule:cloud_reader or rule:domain_reader");
  add("identity:check_user_in_group",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  add("identity:add_user_to_group",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  add("identity:remove_user_from_group",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");

  // Roles are global; admins of any scope read them (they need them to grant).
  add("identity:get_role", "rule:cloud_reader or role:admin");
  add("identity:list_roles", "rule:cloud_reader or role:admin");
  add("identity:create_role", kCloudWrite);
  add("identity:update_role", kCloudWrite);
  add("identity:delete_role", kCloudWrite);
  add("identity:get_implied_role", kCloudRead);
  add("identity:list_implied_roles", kCloudRead);
  add("identity:list_role_inference_rules", kCloudRead);
  add("identity:create_implied_role", kCloudWrite);
  add("identity:delete_implied_role", kCloudWrite);

  // Grants on projects and domains (and inherited ones): a domain admin grants within
  // their domain, to actors of their domain. System grants: cloud admins only, so no
  // project or domain admin can make anyone a system admin.
  add("identity:check_grant",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  add("identity:list_grants",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  add("identity:create_grant",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  add("identity:revoke_grant",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  add("identity:check_system_grant", kCloudRead);
  add("identity:list_system_grants", kCloudRead);
  add("identity:create_system_grant", kCloudWrite);
  add("identity:revoke_system_grant", kCloudWrite);
  // target.domain_id: the scope.domain.id filter; target.user_id: the user.id filter.
  add("identity:list_role_assignments", "rule:cloud_reader or rule:domain_reader or rule:owner");

  // Catalog: anyone reads regions (as Keystone); services and endpoints are for readers
  // of the cloud (users get their catalog in the token).
  add("identity:get_region", kAnyToken);
  add("identity:list_regions", kAnyToken);
  add("identity:create_region", kCloudWrite);
  add("identity:update_region", kCloudWrite);
  add("identity:delete_region", kCloudWrite);
  add("identity:get_service", kCloudRead);
  add("identity:list_services", kCloudRead);
  add("identity:create_service", kCloudWrite);
  add("identity:update_service", kCloudWrite);
  add("identity:delete_service", kCloudWrite);
  add("identity:get_endpoint", kCloudRead);
  add("identity:list_endpoints", kCloudRead);
  add("identity:create_endpoint", kCloudWrite);
  add("identity:update_endpoint", kCloudWrite);
  add("identity:delete_endpoint", kCloudWrite);

  // Application credentials belong to their user (the manager also insists that only the
  // user creates them, with a project-scoped password or token authentication).
  add("identity:get_application_credential", "rule:cloud_reader or rule:owner");
  add("identity:list_application_credentials", "rule:cloud_reader or rule:owner");
  add("identity:create_application_credential", "rule:owner");
  add("identity:delete_application_credential", "rule:cloud_admin or rule:owner");

  // Tokens: a token's own user, a service, or a cloud reader validates it.
  add("identity:validate_token", "rule:cloud_reader or rule:service_role or rule:token_subject");
  add("identity:revoke_token", "rule:cloud_admin or rule:service_role or rule:token_subject");
  add("identity:get_auth_catalog", kAnyToken);
  add("identity:get_auth_projects", kAnyToken);
  add("identity:get_auth_domains", kAnyToken);
  add("identity:get_auth_system", kAnyToken);
  return rules;
}

}  // namespace gureum::identity
