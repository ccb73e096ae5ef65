// ServerIpsManager on fakes: a server's addresses by network (name, or id without one),
// one network's, Nova's 404 for a network without addresses, and another project's server
// is 404.
#include <catch2/catch.hpp>

#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

TEST_CASE("server ips: by network, one network, 404s") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer();
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.vifs = {{.port_id = "p1",
                                           .network_id = "net-1",
                                           .network_name = "private",
                                           .mac_address = "fa:16:3e:00:00:01",
                                           .ips = {{.address = "10.0.0.5"},
                                                   {.address = "203.0.113.9", .type = "floating"}}},
                                          {.port_id = "p2",
                                           .network_id = "net-2",
                                           .ips = {{.address = "fd00::5", .version = 6}}}};
                                return absl::OkStatus();
                              })
              .ok());
  auto all = w.managers.ips().List(Member(), i.uuid);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  REQUIRE(all->at("private").size() == 2);
  CHECK(all->at("private")[0].address == "10.0.0.5");
  CHECK(all->at("net-2")[0].version == 6);
  auto one = w.managers.ips().Get(Member(), i.uuid, "private");
  REQUIRE(one.ok());
  CHECK(one->size() == 2);
  absl::Status none = w.managers.ips().Get(Member(), i.uuid, "public").status();
  CHECK(absl::IsNotFound(none));
  CHECK(none.message() == "There are no instances for network public");
  CHECK(absl::IsNotFound(w.managers.ips().List(Member("p2", "u2"), i.uuid).status()));
  CHECK(w.managers.ips().List(Admin(), i.uuid).ok());
}

}  // namespace
}  // namespace gureum::compute::testing
