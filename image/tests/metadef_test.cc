// Metadata definitions: the store contract (on the fake and on PostgreSQL) and
// MetadefManager's rules: who sees and changes what, protection, names and definitions.
#include <catch2/catch.hpp>

#include "common/status/status.h"
#include "image/tests/manager_fixture.h"
#include "image/tests/test_util.h"

namespace gureum::image::testing {
namespace {

int HttpCode(const absl::Status& s) { return HttpStatusCode(s); }

Caller NoRole(const std::string& project) {  // a token with no role on its project
  Caller c = Member(project);
  c.roles.clear();
  return c;
}

MetadefNamespace Namespace(const std::string& name, const std::string& visibility = kPublic) {
  MetadefNamespace ns;
  ns.name = name;
  ns.visibility = visibility;
  ns.owner = "p1";
  ns.created_at = ns.updated_at = absl::FromUnixSeconds(1700000000);
  return ns;
}

TEST_CASE("metadef store: create, get, rename under the lock, delete", "[store]") {
  auto holder = NewStoreHolder();
  MetadefStore& s = holder->metadefs();
  MetadefNamespace ns = Namespace("OS::Test");
  ns.properties["hw_rng"] = R"({"title":"RNG","type":"boolean"})";
  ns.objects.push_back({"cpu",
                        "CPU",
                        {"cores"},
                        R"({"cores":{"title":"C","type":"integer"}})",
                        ns.created_at,
                        ns.created_at});
  ns.tags.push_back({"fast", ns.created_at, ns.created_at});
  ns.resource_types.push_back({"OS::Glance::Image", "hw_", "image", ns.created_at, ns.created_at});
  REQUIRE(s.CreateNamespace(ns).ok());
  CHECK(absl::IsAlreadyExists(s.CreateNamespace(ns)));
  auto got = s.GetNamespace("OS::Test");
  REQUIRE(got.ok());
  CHECK(got->owner == "p1");
  CHECK(got->properties.at("hw_rng") == ns.properties.at("hw_rng"));
  REQUIRE(got->objects.size() == 1);
  CHECK(got->objects[0].required == std::vector<std::string>{"cores"});
  CHECK(got->objects[0].created_at == ns.created_at);
  CHECK(got->tags.at(0).name == "fast");
  CHECK(got->resource_types.at(0).prefix == "hw_");
  CHECK(absl::IsNotFound(s.GetNamespace("nope").status()));

  // A failing change changes nothing; a rename onto a taken name is AlreadyExists.
  auto failed = s.MutateNamespace("OS::Test", [](MetadefNamespace& n) {
    n.tags.clear();
    return absl::InvalidArgumentError("no");
  });
  CHECK(absl::IsInvalidArgument(failed.status()));
  CHECK(s.GetNamespace("OS::Test")->tags.size() == 1);
  REQUIRE(s.CreateNamespace(Namespace("OS::Other")).ok());
  CHECK(absl::IsAlreadyExists(s.MutateNamespace("OS::Test", [](MetadefNamespace& n) {
                                 n.name = "OS::Other";
                                 return absl::OkStatus();
                               }).status()));
  auto renamed = s.MutateNamespace("OS::Test", [](MetadefNamespace& n) {
    n.name = "OS::Renamed";
    return absl::OkStatus();
  });
  REQUIRE(renamed.ok());
  CHECK(absl::IsNotFound(s.GetNamespace("OS::Test").status()));
  CHECK(s.GetNamespace("OS::Renamed")->objects.size() == 1);
  auto all = s.ListNamespaces();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "OS::Other");  // by name
  CHECK(s.DeleteNamespace("OS::Renamed").ok());
  CHECK(absl::IsNotFound(s.DeleteNamespace("OS::Renamed")));
  CHECK(absl::IsNotFound(s.MutateNamespace("OS::Renamed", [](MetadefNamespace&) {
                            return absl::OkStatus();
                          }).status()));
}

TEST_CASE("metadefs: admins change them, members read the public ones and their own", "[manager]") {
  ManagerFixture f;
  MetadefManager& m = f.metadefs;
  MetadefNamespace pub = Namespace("pub");
  pub.owner = "";
  CHECK(HttpCode(m.CreateNamespace(Member("p1"), pub).status()) == 403);
  REQUIRE(m.CreateNamespace(Admin(), pub).ok());
  MetadefNamespace mine = Namespace("mine", kPrivate);  // an admin makes it for p1
  REQUIRE(m.CreateNamespace(Admin(), mine).ok());
  CHECK(HttpCode(m.CreateNamespace(Admin(), pub).status()) == 409);

  CHECK(m.GetNamespace(Member("p1"), "mine").ok());
  CHECK(HttpCode(m.GetNamespace(Member("p2"), "mine").status()) == 404);
  auto listed = m.ListNamespaces(Member("p2"), {});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].name == "pub");
  CHECK(m.ListNamespaces(Admin(), {})->size() == 2);
  CHECK(m.ListNamespaces(Admin(), {.visibility = "private"})->size() == 1);
  CHECK(HttpCode(m.GetNamespace(NoRole("p1"), "pub").status()) == 403);
  CHECK(HttpCode(m.CreateTag(Member("p1"), "mine", "t").status()) == 403);

  auto types = m.ListResourceTypes(Member("p2"));
  REQUIRE(types.ok());
  CHECK(types->at(0).name == "OS::Glance::Image");
}

TEST_CASE("metadefs: a protected namespace and what is in it cannot be deleted", "[manager]") {
  ManagerFixture f;
  MetadefManager& m = f.metadefs;
  MetadefNamespace ns = Namespace("guarded");
  ns.is_protected = true;
  REQUIRE(m.CreateNamespace(Admin(), ns).ok());
  REQUIRE(m.CreateTag(Admin(), "guarded", "t1").ok());
  CHECK(HttpCode(m.DeleteTag(Admin(), "guarded", "t1")) == 403);
  CHECK(HttpCode(m.DeleteNamespace(Admin(), "guarded")) == 403);
  REQUIRE(m.UpdateNamespace(Admin(), "guarded", {.name = "guarded", .is_protected = false}).ok());
  CHECK(m.DeleteTag(Admin(), "guarded", "t1").ok());
  CHECK(m.DeleteNamespace(Admin(), "guarded").ok());
  CHECK(HttpCode(m.GetNamespace(Admin(), "guarded").status()) == 404);
}

TEST_CASE(
    "metadefs: objects, properties, tags and resource types, with duplicates 409 and bad "
    "input 400",
    "[manager]") {
  ManagerFixture f;
  MetadefManager& m = f.metadefs;
  REQUIRE(m.CreateNamespace(Admin(), Namespace("ns")).ok());
  const std::string def = R"({"title":"Hypervisor","type":"string","enum":["qemu","kvm"]})";
  REQUIRE(m.CreateProperty(Admin(), "ns", "hypervisor_type", def).ok());
  CHECK(HttpCode(m.CreateProperty(Admin(), "ns", "hypervisor_type", def).status()) == 409);
  CHECK(HttpCode(m.CreateProperty(Admin(), "ns", "x", R"({"type":"string"})").status()) == 400);
  CHECK(HttpCode(m.CreateProperty(Admin(), "ns", "x", R"({"title":"X","type":"str"})").status()) ==
        400);
  CHECK(HttpCode(m.CreateProperty(Admin(), "ns", "a/b", def).status()) == 400);
  REQUIRE(m.UpdateProperty(Admin(), "ns", "hypervisor_type", "hv", def).ok());
  CHECK(HttpCode(m.GetProperty(Member("p2"), "ns", "hypervisor_type").status()) == 404);
  CHECK(m.GetProperty(Member("p2"), "ns", "hv").ok());

  REQUIRE(m.CreateObject(Admin(), "ns", {.name = "obj"}).ok());
  CHECK(HttpCode(m.CreateObject(Admin(), "ns", {.name = "obj"}).status()) == 409);
  MetadefObject bad{.name = "bad", .properties_json = R"({"p":{"type":"string"}})"};
  CHECK(HttpCode(m.CreateObject(Admin(), "ns", bad).status()) == 400);
  REQUIRE(m.UpdateObject(Admin(), "ns", "obj", {.name = "obj2", .description = "d"}).ok());
  CHECK(m.GetObject(Admin(), "ns", "obj2")->description == "d");
  CHECK(HttpCode(m.GetObject(Admin(), "ns", "obj").status()) == 404);

  REQUIRE(m.CreateTags(Admin(), "ns", {"a", "b", "c"}, false).ok());
  CHECK(HttpCode(m.CreateTags(Admin(), "ns", {"d", "d"}, true).status()) == 409);
  REQUIRE(m.CreateTags(Admin(), "ns", {"x"}, false).ok());  // replaces
  CHECK(m.GetNamespace(Admin(), "ns")->tags.size() == 1);
  REQUIRE(m.UpdateTag(Admin(), "ns", "x", "y").ok());
  CHECK(m.GetTag(Admin(), "ns", "y").ok());

  REQUIRE(m.Associate(Admin(), "ns", {.name = "OS::Nova::Flavor", .prefix = "hw:"}).ok());
  CHECK(HttpCode(m.Associate(Admin(), "ns", {.name = "OS::Nova::Flavor"}).status()) == 409);
  CHECK(m.ListNamespaces(Admin(), {.resource_types = {"OS::Nova::Flavor"}})->size() == 1);
  CHECK(m.ListNamespaces(Admin(), {.resource_types = {"OS::Cinder::Volume"}})->empty());
  CHECK(m.Dissociate(Admin(), "ns", "OS::Nova::Flavor").ok());
  CHECK(HttpCode(m.Dissociate(Admin(), "ns", "OS::Nova::Flavor")) == 404);
  CHECK(m.DeleteAllTags(Admin(), "ns").ok());
  CHECK(m.DeleteAllObjects(Admin(), "ns").ok());
  CHECK(m.DeleteAllProperties(Admin(), "ns").ok());
  auto empty = m.GetNamespace(Admin(), "ns");
  CHECK(empty->tags.empty());
  CHECK(empty->objects.empty());
  CHECK(empty->properties.empty());
}

}  // namespace
}  // namespace gureum::image::testing
