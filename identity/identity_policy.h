// The default policy rules of gureum-identity's Keystone v3 API, in oslo.policy's
// language (common/policy). Operators override any of them in /etc/gureum/policy.yaml.
//
// The rules follow Keystone's secure-RBAC defaults, with one compatibility rule kept from
// Keystone's legacy ones: an `admin` on the admin project (the project bootstrap makes,
// what the standard admin-openrc scopes to) is a cloud administrator, like a system-scoped
// admin. That is common/policy's cloud_admin, the same in every service: the token says
// is_admin_project (set by the manager from IdentityOptions::admin_project_name). The
// adapters still put the admin project's id in targets as %(admin_project_id)s, for
// operators' policy files. Target keys the rules use:
//   target.domain_id   the domain of the resource acted on (for grants: of the grant's
//                      target, left unset for the admin project so that only cloud admins
//                      grant roles there)
//   target.project_id  the project acted on
//   target.user_id     the user acted on, or owning the resource (app credentials, tokens)
//   target.actor_domain_id  grants: the domain of the user or group receiving the role
#pragma once

#include <vector>

#include "common/policy/enforcer.h"

namespace gureum::identity {

// Every identity:* rule and the helper rules they refer to.
std::vector<policy::Rule> IdentityPolicyDefaults();

}  // namespace gureum::identity
