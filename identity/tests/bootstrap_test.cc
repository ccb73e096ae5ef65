// Bootstrap: what it creates, that a second run changes nothing, and a password reset.
#include <set>

#include <catch2/catch.hpp>

#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

// A manager on a fresh store and the options every case starts from.
struct Boot {
  Boot() {
    options.admin_password = "s3cret";
    options.public_url_host = "ctl";
  }
  std::unique_ptr<StoreHolder> holder = NewStoreHolder();
  ManagerEnv env{holder->store()};
  BootstrapOptions options;
};

TEST_CASE("bootstrap: creates the admin, roles and catalog, idempotent") {
  Boot b;
  ManagerEnv& env = b.env;
  IdentityManager& m = *env.manager;
  BootstrapOptions& o = b.options;
  auto first = m.Bootstrap(o);
  REQUIRE(first.ok());
  CHECK(first->changed);

  AuthRequest r = PasswordByName("admin", "Default", "s3cret");
  r.scope.kind = ScopeKind::kProject;
  r.scope.project_name = "admin";
  r.scope.project_domain_id = "default";
  auto t = m.auth().Authenticate(r);
  REQUIRE(t.ok());
  std::set<std::string> roles;
  for (const RoleRef& role : t->data.roles) roles.insert(role.name);
  CHECK(roles == std::set<std::string>{"admin", "member", "reader"});
  std::set<std::string> types;
  std::string object_url, volume_url;
  for (const CatalogEntry& e : t->data.catalog) {
    types.insert(e.service.type);
    CHECK(e.endpoints.size() == 3);
    for (const Endpoint& ep : e.endpoints) {
      if (e.service.type == "object-store" && ep.interface == "public") object_url = ep.url;
      if (e.service.type == "volumev3" && ep.interface == "public") volume_url = ep.url;
    }
  }
  CHECK(types == std::set<std::string>{"identity", "compute", "image", "network", "volumev3",
                                       "block-storage", "object-store", "placement"});
  CHECK(object_url == "http://ctl:8080/v1/AUTH_" + first->admin_project_id);
  CHECK(volume_url == "http://ctl:8776/v3/" + first->admin_project_id);
  AuthRequest sys = PasswordByName("admin", "Default", "s3cret");
  sys.scope.kind = ScopeKind::kSystem;
  CHECK(m.auth().Authenticate(sys).ok());

  auto second = m.Bootstrap(o);
  REQUIRE(second.ok());
  CHECK_FALSE(second->changed);
  CHECK(second->admin_user_id == first->admin_user_id);
  CHECK(m.catalog().ListEndpoints(Admin(), ListFilter{})->size() == 24);
  CHECK(m.roles().ListRoles(Admin(), ListFilter{})->size() == 3);

  // A new password resets the admin's password (and revokes their tokens).
  env.clock.Advance(absl::Seconds(1));
  o.admin_password = "n3w";
  auto third = m.Bootstrap(o);
  REQUIRE(third.ok());
  CHECK(third->changed);
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t->token).status()));
  env.clock.Advance(absl::Seconds(1));
  CHECK(m.auth().Authenticate(PasswordByName("admin", "Default", "n3w")).ok());
  CHECK(absl::IsInvalidArgument(m.Bootstrap(BootstrapOptions{}).status()));
}

TEST_CASE("bootstrap: only the catalog types asked for, the others are removed") {
  Boot b;
  ManagerEnv& env = b.env;
  IdentityManager& m = *env.manager;
  BootstrapOptions& o = b.options;
  REQUIRE(m.Bootstrap(o).ok());  // all of them first, as before
  o.catalog_types = {"image", "compute", "network", "placement"};
  auto narrowed = m.Bootstrap(o);
  REQUIRE(narrowed.ok());
  CHECK(narrowed->changed);
  auto services = m.catalog().ListServices(Admin(), ListFilter{});
  REQUIRE(services.ok());
  std::set<std::string> types;
  for (const Service& s : *services) types.insert(s.type);
  CHECK(types == std::set<std::string>{"identity", "compute", "image", "network", "placement"});
  CHECK(m.catalog().ListEndpoints(Admin(), ListFilter{})->size() == 15);
  auto again = m.Bootstrap(o);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);
  o.catalog_types = {"volume"};
  CHECK(absl::IsInvalidArgument(m.Bootstrap(o).status()));
}

TEST_CASE("bootstrap: the services' user in project service with roles admin and service") {
  Boot b;
  ManagerEnv& env = b.env;
  IdentityManager& m = *env.manager;
  BootstrapOptions& o = b.options;
  o.service_username = "gureum";
  o.service_password = "svc-pw";
  REQUIRE(m.Bootstrap(o).ok());

  AuthRequest r = PasswordByName("gureum", "Default", "svc-pw");
  r.scope.kind = ScopeKind::kProject;
  r.scope.project_name = "service";
  r.scope.project_domain_id = "default";
  auto t = m.auth().Authenticate(r);
  REQUIRE(t.ok());
  std::set<std::string> roles;
  for (const RoleRef& role : t->data.roles) roles.insert(role.name);
  CHECK(roles == std::set<std::string>{"admin", "member", "reader", "service"});

  auto again = m.Bootstrap(o);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);

  env.clock.Advance(absl::Seconds(1));
  o.service_password = "rotated";
  REQUIRE(m.Bootstrap(o)->changed);
  env.clock.Advance(absl::Seconds(1));
  CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
  o.service_password = "";
  CHECK(absl::IsInvalidArgument(m.Bootstrap(o).status()));
}

}  // namespace
}  // namespace gureum::identity::testing
