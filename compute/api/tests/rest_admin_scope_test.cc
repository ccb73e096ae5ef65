// One meaning of admin (issue 16, hole 5): the admin role on one project (what a domain
// admin can grant) is not a cloud admin. Only the admin on the admin project (the token's
// is_admin_project) sees and deletes other projects' servers, unless [policy]
// legacy_admin brings back OpenStack's legacy rule.
#include <catch2/catch.hpp>

#include "compute/api/tests/cloud.h"

namespace gureum::compute::testing {
namespace {

TEST_CASE("an admin of one project neither lists nor deletes another project's server") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "a-vm", "1");

  CHECK(cloud.Call("token-c-admin", "GET", "/servers/detail?all_tenants=1").status == 403);
  CHECK(cloud.Call("token-c-admin", "GET", "/servers/detail").body["servers"].empty());
  CHECK(cloud.Call("token-c-admin", "GET", "/servers/" + id).status == 404);
  CHECK(cloud.Call("token-c-admin", "DELETE", "/servers/" + id).status == 404);
  CHECK(cloud.Call("token-c-admin", "POST", "/servers/" + id + "/action", {{"os-stop", nullptr}})
            .status == 404);
  CHECK(cloud.Call("token-c-admin", "GET", "/os-hypervisors").status == 403);
  CHECK(cloud
            .Call("token-c-admin", "POST", "/flavors",
                  {{"flavor", {{"name", "big"}, {"vcpus", 64}, {"ram", 65536}, {"disk", 100}}}})
            .status == 403);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id).status == 200);

  // admin-openrc (the admin project) is the cloud admin.
  CHECK(cloud.Call("token-admin", "GET", "/servers/detail?all_tenants=1").body["servers"].size() ==
        1);
  CHECK(cloud.Call("token-admin", "GET", "/servers/" + id).status == 200);
  CHECK(cloud.Call("token-admin", "DELETE", "/servers/" + id).status == 204);
}

TEST_CASE("with [policy] legacy_admin an admin of any project is a cloud admin again") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "a-vm", "1");
  CHECK(
      cloud.Call("token-c-admin", "GET", "/servers/detail?all_tenants=1").body["servers"].size() ==
      1);
  CHECK(cloud.Call("token-c-admin", "GET", "/servers/" + id).status == 200);
  CHECK(cloud.Call("token-c-admin", "DELETE", "/servers/" + id).status == 204);
}

}  // namespace
}  // namespace gureum::compute::testing
