// Default policy rules of gureum-image (Glance's defaults, secure-RBAC flavour),
// overridable in /etc/gureum/policy.yaml. Targets carry "target.project_id" (the image
// owner) and, for member changes, "target.member_id".
#pragma once

#include <vector>

#include "common/policy/enforcer.h"

namespace gureum::image {

std::vector<policy::Rule> ImagePolicyDefaults();

}  // namespace gureum::image
