// The policy is the managers': called directly (as the REST and gRPC adapters do), a
// manager refuses a caller the identity policy does not allow, before it acts.
#include <catch2/catch.hpp>

#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

TEST_CASE("catalog manager: a member cannot do an admin's catalog changes") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  CatalogManager& catalog = env.manager->catalog();
  const Caller member = Member("p1");

  CHECK(absl::IsPermissionDenied(catalog.CreateRegion(member, Region{"R9", "", ""}).status()));
  CHECK(absl::IsPermissionDenied(
      catalog.CreateService(member, Service{"", "compute", "nova", "", true}).status()));
  CHECK(absl::IsPermissionDenied(catalog.ListServices(member, ListFilter{}).status()));
  CHECK(absl::IsPermissionDenied(catalog.ListEndpoints(member, ListFilter{}).status()));
  // Nothing was made.
  CHECK(absl::IsNotFound(catalog.GetRegion(Admin(), "R9").status()));
  CHECK(catalog.ListServices(Admin(), ListFilter{})->empty());

  // What the admin makes, the member may neither change nor delete.
  auto service = catalog.CreateService(Admin(), Service{"", "compute", "nova", "", true});
  REQUIRE(service.ok());
  auto endpoint = catalog.CreateEndpoint(
      Admin(), Endpoint{"", service->id, "", "public", "http://x:8774", true});
  REQUIRE(endpoint.ok());
  ServiceUpdate rename;
  rename.name = "other";
  CHECK(absl::IsPermissionDenied(catalog.UpdateService(member, service->id, rename).status()));
  CHECK(absl::IsPermissionDenied(catalog.DeleteEndpoint(member, endpoint->id)));
  CHECK(absl::IsPermissionDenied(catalog.DeleteService(member, service->id)));
  CHECK(catalog.GetService(Admin(), service->id)->name == "nova");
  CHECK(catalog.GetEndpoint(Admin(), endpoint->id).ok());

  // Regions are readable by any token, as in Keystone.
  REQUIRE(catalog.CreateRegion(Admin(), Region{"R1", "", ""}).ok());
  CHECK(catalog.GetRegion(member, "R1").ok());
  CHECK(absl::IsPermissionDenied(catalog.DeleteRegion(member, "R1")));
}

}  // namespace
}  // namespace gureum::identity::testing
