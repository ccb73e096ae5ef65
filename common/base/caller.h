// Who is calling: what the auth hook established from the request's token. Handlers use
// it for policy checks and to scope every store query to the caller's project.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace gureum {

struct Caller {
  std::string user_id;
  std::string user_name;
  std::string domain_id;   // the user's domain
  std::string project_id;  // empty unless project-scoped
  std::string project_domain_id;
  // The project is the cloud's admin project (the token's is_admin_project): with the
  // admin role, the caller is a cloud administrator (common/policy rule cloud_admin).
  bool is_admin_project = false;
  std::string scope_domain_id;  // set for domain-scoped tokens
  bool system_scope = false;
  std::vector<std::string> roles;  // effective role names, implications expanded
  std::string audit_id;            // the token's audit id, safe to log

  // Whether the token names `role`. The admin role alone does not make a cloud
  // administrator (an admin of any project has it): ask the service's policy, whose
  // admin rules all go through common/policy's cloud_admin.
  bool HasRole(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace gureum
