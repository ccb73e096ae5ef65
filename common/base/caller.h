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
  std::string domain_id;       // the user's domain
  std::string project_id;      // empty unless project-scoped
  std::string project_domain_id;
  std::string scope_domain_id;  // set for domain-scoped tokens
  bool system_scope = false;
  std::vector<std::string> roles;  // effective role names, implications expanded
  std::string audit_id;            // the token's audit id, safe to log

  bool HasRole(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace gureum
