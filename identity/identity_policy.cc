#include "identity/identity_policy.h"

namespace gureum::identity {

namespace {

using Rules = std::vector<policy::Rule>;

constexpr char kCloudRead[] = "rule:cloud_reader";
constexpr char kCloudWrite[] = "rule:cloud_admin";
constexpr char kAnyToken[] = "";

void Add(Rules& rules, const char* name, const char* check) { rules.push_back({name, check, ""}); }

void AddProjectRules(Rules& rules) {
  // Domains: a token scoped to a domain, or to one of its projects, reads that domain.
  Add(rules, "identity:get_domain",
      "rule:cloud_reader or rule:domain_reader or project_domain_id:%(target.domain_id)s");
  Add(rules, "identity:list_domains", kCloudRead);
  Add(rules, "identity:create_domain", kCloudWrite);
  Add(rules, "identity:update_domain", kCloudWrite);
  Add(rules, "identity:delete_domain", kCloudWrite);

  // Projects: domain admins manage their domain's projects; a project's own tokens read it.
  Add(rules, "identity:get_project",
      "rule:cloud_reader or rule:domain_reader or project_id:%(target.project_id)s");
  Add(rules, "identity:list_projects", "rule:cloud_reader or rule:domain_reader");
  Add(rules, "identity:list_user_projects",
      "rule:cloud_reader or rule:domain_reader or rule:owner");
  Add(rules, "identity:create_project", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:update_project", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:delete_project", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:list_project_tags", "rule:identity:get_project");
  Add(rules, "identity:update_project_tags",
      "rule:cloud_admin or rule:domain_admin or rule:project_admin");
}

void AddUserRules(Rules& rules) {
  // Users: domain admins manage their domain's users; a user reads themselves and
  // changes their own password (a cloud admin may too: the original password is checked
  // either way, as Keystone checks only that).
  Add(rules, "identity:get_user", "rule:cloud_reader or rule:domain_reader or rule:owner");
  Add(rules, "identity:list_users", "rule:cloud_reader or rule:domain_reader");
  Add(rules, "identity:create_user", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:update_user", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:delete_user", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:change_password", "rule:owner or rule:cloud_admin");

  // Groups and membership: the group's domain admin, for users of the same domain.
  Add(rules, "identity:get_group", "rule:cloud_reader or rule:domain_reader");
  Add(rules, "identity:list_groups", "rule:cloud_reader or rule:domain_reader");
  Add(rules, "identity:list_groups_for_user",
      "rule:cloud_reader or rule:domain_reader or rule:owner");
  Add(rules, "identity:create_group", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:update_group", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:delete_group", "rule:cloud_admin or rule:domain_admin");
  Add(rules, "identity:list_users_in_group", "rule:cloud_reader or rule:domain_reader");
  Add(rules, "identity:check_user_in_group",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:add_user_to_group",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:remove_user_from_group",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
}

void AddRoleRules(Rules& rules) {
  // Roles are global; admins of any scope read them (they need them to grant).
  Add(rules, "identity:get_role", "rule:cloud_reader or role:admin");
  Add(rules, "identity:list_roles", "rule:cloud_reader or role:admin");
  Add(rules, "identity:create_role", kCloudWrite);
  Add(rules, "identity:update_role", kCloudWrite);
  Add(rules, "identity:delete_role", kCloudWrite);
  Add(rules, "identity:get_implied_role", kCloudRead);
  Add(rules, "identity:list_implied_roles", kCloudRead);
  Add(rules, "identity:list_role_inference_rules", kCloudRead);
  Add(rules, "identity:create_implied_role", kCloudWrite);
  Add(rules, "identity:delete_implied_role", kCloudWrite);

  // Grants on projects and domains (and inherited ones): a domain admin grants within
  // their domain, to actors of their domain. System grants: cloud admins only, so no
  // project or domain admin can make anyone a system admin.
  Add(rules, "identity:check_grant",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:list_grants",
      "rule:cloud_reader or (rule:domain_reader and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:create_grant",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:revoke_grant",
      "rule:cloud_admin or (rule:domain_admin and domain_id:%(target.actor_domain_id)s)");
  Add(rules, "identity:check_system_grant", kCloudRead);
  Add(rules, "identity:list_system_grants", kCloudRead);
  Add(rules, "identity:create_system_grant", kCloudWrite);
  Add(rules, "identity:revoke_system_grant", kCloudWrite);
  // target.domain_id: the scope.domain.id filter; target.user_id: the user.id filter.
  Add(rules, "identity:list_role_assignments",
      "rule:cloud_reader or rule:domain_reader or rule:owner");
}

void AddCatalogRules(Rules& rules) {
  // Catalog: anyone reads regions (as Keystone); services and endpoints are for readers
  // of the cloud (users get their catalog in the token).
  Add(rules, "identity:get_region", kAnyToken);
  Add(rules, "identity:list_regions", kAnyToken);
  Add(rules, "identity:create_region", kCloudWrite);
  Add(rules, "identity:update_region", kCloudWrite);
  Add(rules, "identity:delete_region", kCloudWrite);
  Add(rules, "identity:get_service", kCloudRead);
  Add(rules, "identity:list_services", kCloudRead);
  Add(rules, "identity:create_service", kCloudWrite);
  Add(rules, "identity:update_service", kCloudWrite);
  Add(rules, "identity:delete_service", kCloudWrite);
  Add(rules, "identity:get_endpoint", kCloudRead);
  Add(rules, "identity:list_endpoints", kCloudRead);
  Add(rules, "identity:create_endpoint", kCloudWrite);
  Add(rules, "identity:update_endpoint", kCloudWrite);
  Add(rules, "identity:delete_endpoint", kCloudWrite);

  // What identity keeps without acting on it (extension_manager.h): policy blobs, OAuth1
  // consumers, endpoint groups, domain configurations.
  for (const char* resource : {"policy", "consumer", "endpoint_group", "domain_config"}) {
    const std::string r = resource;
    Add(rules, ("identity:get_" + r).c_str(), kCloudRead);
    Add(rules, ("identity:create_" + r).c_str(), kCloudWrite);
    Add(rules, ("identity:update_" + r).c_str(), kCloudWrite);
    Add(rules, ("identity:delete_" + r).c_str(), kCloudWrite);
  }
  Add(rules, "identity:list_policies", kCloudRead);
  Add(rules, "identity:list_consumers", kCloudRead);
  Add(rules, "identity:list_endpoint_groups", kCloudRead);
  Add(rules, "identity:get_domain_config_default", kCloudRead);

  // Trusts (trust_manager.h): the trustor creates and deletes; trustor, trustee or a cloud
  // reader reads; a cloud admin deletes any.
  Add(rules, "identity:create_trust", "user_id:%(target.trust.trustor_user_id)s");
  Add(rules, "identity:get_trust",
      "rule:cloud_reader or user_id:%(target.trust.trustor_user_id)s or "
      "user_id:%(target.trust.trustee_user_id)s");
  Add(rules, "identity:list_trusts", kCloudRead);
  Add(rules, "identity:delete_trust",
      "rule:cloud_admin or user_id:%(target.trust.trustor_user_id)s");
}

void AddCredentialAndTokenRules(Rules& rules) {
  // Application credentials belong to their user (the manager also insists that only the
  // user creates them, with a project-scoped password or token authentication).
  Add(rules, "identity:get_application_credential", "rule:cloud_reader or rule:owner");
  Add(rules, "identity:list_application_credentials", "rule:cloud_reader or rule:owner");
  Add(rules, "identity:create_application_credential", "rule:owner");
  Add(rules, "identity:delete_application_credential", "rule:cloud_admin or rule:owner");

  // Credentials (/v3/credentials, OS-EC2) belong to their user; listing without the cloud
  // reader rule shows the caller's own. A cloud admin binds an EC2 credential to any
  // project; a service reads an EC2 secret by access key to verify a signature (S3).
  Add(rules, "identity:get_credential", "rule:cloud_reader or rule:owner");
  Add(rules, "identity:list_credentials", kCloudRead);
  Add(rules, "identity:create_credential", "rule:cloud_admin or rule:owner");
  Add(rules, "identity:update_credential", "rule:cloud_admin or rule:owner");
  Add(rules, "identity:delete_credential", "rule:cloud_admin or rule:owner");
  Add(rules, "identity:ec2_get_credential", "rule:cloud_reader or rule:owner");
  Add(rules, "identity:ec2_list_credentials", "rule:cloud_reader or rule:owner");
  Add(rules, "identity:ec2_create_credential", "rule:cloud_admin or rule:owner");
  Add(rules, "identity:ec2_create_credential_any_project", kCloudWrite);
  Add(rules, "identity:ec2_delete_credential", "rule:cloud_admin or rule:owner");
  Add(rules, "identity:get_ec2_secret", "rule:cloud_admin or rule:service_role");

  // Tokens: a token's own user, a service, or a cloud reader validates it.
  Add(rules, "identity:validate_token",
      "rule:cloud_reader or rule:service_role or rule:token_subject");
  Add(rules, "identity:revoke_token",
      "rule:cloud_admin or rule:service_role or rule:token_subject");
  Add(rules, "identity:get_auth_catalog", kAnyToken);
  Add(rules, "identity:get_auth_projects", kAnyToken);
  Add(rules, "identity:get_auth_domains", kAnyToken);
  Add(rules, "identity:get_auth_system", kAnyToken);
}

}  // namespace

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

  for (auto add :
       {AddProjectRules, AddUserRules, AddRoleRules, AddCatalogRules, AddCredentialAndTokenRules}) {
    add(rules);
  }
  return rules;
}

}  // namespace gureum::identity
