// os-migrations on fakes: admins only, every server's migrations newest first with Nova's
// integer ids, the filters (host as source or destination, status, instance_uuid,
// migration_type), 2.59's paging by uuid, and the REST shapes of 2.1.
#include <catch2/catch.hpp>

#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

void AddMigrations(World& w) {
  REQUIRE(w.store
              .CreateMigration({.uuid = "m1",
                                .instance_uuid = "a",
                                .migration_type = "resize",
                                .status = "finished",
                                .source_host = "h1",
                                .dest_host = "h2",
                                .old_flavor_id = "1",
                                .new_flavor_id = "flavor-two"})
              .ok());
  w.clock.Advance(absl::Seconds(1));
  REQUIRE(w.store
              .CreateMigration({.uuid = "m2",
                                .instance_uuid = "b",
                                .migration_type = "migration",
                                .status = "pre-migrating",
                                .source_host = "h2"})
              .ok());
  w.clock.Advance(absl::Seconds(1));
  REQUIRE(w.store
              .CreateMigration({.uuid = "m3",
                                .instance_uuid = "a",
                                .migration_type = "evacuation",
                                .status = "accepted",
                                .source_host = "h3"})
              .ok());
}

std::vector<std::string> Uuids(const absl::StatusOr<MigrationPage>& page) {
  std::vector<std::string> out;
  if (!page.ok()) return {page.status().ToString()};
  for (const MigrationRecord& m : page->migrations) out.push_back(m.uuid);
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("os-migrations: admins list every migration, newest first, filtered") {
  World w;
  AddMigrations(w);
  MigrationManager& m = w.managers.migrations();
  CHECK(absl::IsPermissionDenied(m.ListMigrations(Member(), {}).status()));
  auto all = m.ListMigrations(Admin(), {});
  CHECK(Uuids(all) == V{"m3", "m2", "m1"});
  CHECK(all->migrations[2].id < all->migrations[1].id);
  CHECK(all->migrations[1].id < all->migrations[0].id);
  CHECK_FALSE(all->full);
  CHECK(Uuids(m.ListMigrations(Admin(), {.host = "h2"})) == V{"m2", "m1"});  // dest or source
  CHECK(Uuids(m.ListMigrations(Admin(), {.status = "accepted"})) == V{"m3"});
  CHECK(Uuids(m.ListMigrations(Admin(), {.instance_uuid = "a"})) == V{"m3", "m1"});
  CHECK(Uuids(m.ListMigrations(Admin(), {.migration_type = "resize"})) == V{"m1"});
  CHECK(Uuids(m.ListMigrations(Admin(), {.host = "h9"})).empty());

  auto first = m.ListMigrations(Admin(), {.limit = 2});
  CHECK(Uuids(first) == V{"m3", "m2"});
  CHECK(first->full);
  CHECK(Uuids(m.ListMigrations(Admin(), {.marker = "m2", .limit = 2})) == V{"m1"});
  absl::Status bad = m.ListMigrations(Admin(), {.marker = "nope"}).status();
  CHECK(absl::IsInvalidArgument(bad));
  CHECK(bad.message() == "Marker nope could not be found.");
}

TEST_CASE("os-migrations: Nova's 2.1 fields, 403 for members") {
  FakeRest api;
  AddMigrations(api.world());
  CHECK(api.Call("GET", "/os-migrations").status == 403);
  Reply r = api.AsAdmin("GET", "/os-migrations?instance_uuid=a");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["migrations"].size() == 2);
  const json& m1 = r.body["migrations"][1];
  CHECK(m1["id"].is_number_integer());
  CHECK(m1["status"] == "finished");
  CHECK(m1["instance_uuid"] == "a");
  CHECK(m1["source_compute"] == "h1");
  CHECK(m1["source_node"] == "h1");
  CHECK(m1["dest_compute"] == "h2");
  CHECK(m1["dest_node"] == "h2");
  CHECK(m1["dest_host"].is_null());
  CHECK(m1["old_instance_type_id"] == 1);
  CHECK(m1["new_instance_type_id"].is_null());  // not a number
  CHECK(m1["created_at"].is_string());
  CHECK(m1["updated_at"].is_string());
  CHECK(m1.size() == 12);  // no migration_type, links or uuid before 2.23 and 2.59
  CHECK(r.body["migrations"][0]["dest_compute"].is_null());
  CHECK(api.AsAdmin("GET", "/os-migrations?status=pre-migrating").body["migrations"].size() == 1);
}

}  // namespace
}  // namespace gureum::compute::testing
