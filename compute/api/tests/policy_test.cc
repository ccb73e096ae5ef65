// compute-api's default policy: admin_api is common/policy's cloud_admin, so the admin
// role on an ordinary project does not reach other projects' servers (issue 16, hole 5).
#include <catch2/catch.hpp>

#include "compute/api/compute_policy.h"

namespace gureum::compute {
namespace {

Caller AdminOf(const std::string& project, bool is_admin_project) {
  Caller c;
  c.user_id = "u";
  c.project_id = project;
  c.is_admin_project = is_admin_project;
  c.roles = {"admin", "member", "reader"};
  return c;
}

TEST_CASE("admin_api: the admin on the admin project or the system, not any project admin") {
  auto e = policy::Enforcer::Create(ComputePolicyDefaults());
  REQUIRE(e.ok());
  const policy::Target other = {{"project_id", "project-a"}};
  const Caller project_admin = AdminOf("project-c", false);
  CHECK_FALSE((*e)->Allowed("admin_api", project_admin));
  CHECK_FALSE((*e)->Allowed("os_compute_api:servers:index:get_all_tenants", project_admin));
  CHECK_FALSE((*e)->Allowed("os_compute_api:servers:delete", project_admin, other));
  CHECK(
      (*e)->Allowed("os_compute_api:servers:delete", project_admin, {{"project_id", "project-c"}}));

  const Caller cloud_admin = AdminOf("admin", true);
  CHECK((*e)->Allowed("admin_api", cloud_admin));
  CHECK((*e)->Allowed("os_compute_api:servers:delete", cloud_admin, other));
  Caller system_admin = AdminOf("", false);
  system_admin.system_scope = true;
  CHECK((*e)->Allowed("admin_api", system_admin));

  auto legacy = policy::Enforcer::Create(ComputePolicyDefaults(), "", {.legacy_admin = true});
  REQUIRE(legacy.ok());
  CHECK((*legacy)->Allowed("admin_api", project_admin));
  CHECK((*legacy)->Allowed("os_compute_api:servers:delete", project_admin, other));
}

}  // namespace
}  // namespace gureum::compute
