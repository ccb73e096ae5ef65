// One meaning of admin (issue 16, hole 5): the admin role on some project does not make a
// cloud administrator. Only an admin on the admin project (the token's is_admin_project)
// or a system-scoped admin sees and deletes other projects' networks, unless the operator
// turns [policy] legacy_admin on.
#include "network/server/network_policy.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

// What a domain admin can make: the admin role on one ordinary project.
Caller AdminOfProject(const std::string& project) {
  Caller c = Member(project);
  c.roles = {"admin", "member", "reader"};
  return c;
}

bool Lists(NetworkManagers& m, const Caller& c, const std::string& network_id) {
  auto nets = m.networks().ListNetworks(c, {});
  REQUIRE(nets.ok());
  for (const v1::Network& n : *nets) {
    if (n.id() == network_id) return true;
  }
  return false;
}

TEST_CASE("an admin of one project neither sees nor deletes another project's network") {
  Fixture f;
  v1::Network a_net = f.Net(f.a, "a-net");
  const Caller c_admin = AdminOfProject("project-c");

  CHECK_FALSE(f.m().access().IsAdmin(c_admin));
  CHECK_FALSE(Lists(f.m(), c_admin, a_net.id()));
  CHECK(Http(f.m().networks().GetNetwork(c_admin, a_net.id()).status()) == 404);
  CHECK(Http(f.m().networks().DeleteNetwork(c_admin, a_net.id())) == 404);
  // Its own project's networks it still manages.
  v1::Network c_net = f.Net(c_admin, "c-net");
  CHECK(f.m().networks().DeleteNetwork(c_admin, c_net.id()).ok());

  // The admin on the admin project (admin-openrc) and a system-scoped admin can.
  REQUIRE(f.admin.is_admin_project);
  CHECK(f.m().access().IsAdmin(f.admin));
  CHECK(Lists(f.m(), f.admin, a_net.id()));
  Caller system_admin = AdminOfProject("");
  system_admin.project_id.clear();
  system_admin.system_scope = true;
  CHECK(f.m().access().IsAdmin(system_admin));
  CHECK(Lists(f.m(), system_admin, a_net.id()));
  CHECK(f.m().networks().DeleteNetwork(f.admin, a_net.id()).ok());
}

TEST_CASE("with [policy] legacy_admin an admin of any project is a cloud admin again") {
  auto legacy = policy::Enforcer::Create(NetworkPolicyDefaults(), "", {.legacy_admin = true});
  REQUIRE(legacy.ok());
  NetworkOptions options;
  options.enforcer = legacy->get();
  Fixture f(options);
  v1::Network a_net = f.Net(f.a, "a-net");
  const Caller c_admin = AdminOfProject("project-c");
  CHECK(f.m().access().IsAdmin(c_admin));
  CHECK(Lists(f.m(), c_admin, a_net.id()));
  CHECK(f.m().networks().DeleteNetwork(c_admin, a_net.id()).ok());
}

}  // namespace
}  // namespace gureum::network::testing
