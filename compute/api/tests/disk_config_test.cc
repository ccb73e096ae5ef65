// OS-DCF:diskConfig (Nova's auto_disk_config) on fakes: given at create (else the image's
// auto_disk_config property), rebuild, resize or update, kept and shown; an image whose
// property is "disabled" refuses AUTO; the REST body takes AUTO or MANUAL only.
#include <catch2/catch.hpp>

#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

Instance Activate(World& w, const std::string& uuid) {
  auto i = w.store.MutateInstance(uuid, [&](Instance& x) {
    x.vm_state = vm::kActive;
    x.task_state.clear();
    x.power_state = kRunning;
    x.host = "h1";
    return absl::OkStatus();
  });
  REQUIRE(i.ok());
  return *i;
}

TEST_CASE("disk config: create takes the request, else the image's property") {
  World w;
  w.AddFlavorAndImage();
  w.images.Add({.id = "auto-img",
                .status = "active",
                .size = 1 << 20,
                .properties = {{"auto_disk_config", "True"}}});
  w.images.Add({.id = "no-auto",
                .status = "active",
                .size = 1 << 20,
                .properties = {{"auto_disk_config", "disabled"}}});
  CHECK_FALSE(w.ActiveServer().auto_disk_config);  // neither: MANUAL
  CreateServerRequest req = w.Request();
  req.auto_disk_config = true;
  auto created = w.managers.servers().CreateServers(Member(), req);
  REQUIRE(created.ok());
  CHECK(w.store.GetInstance(created->instances[0].uuid)->auto_disk_config);
  req = w.Request();
  req.image_ref = "auto-img";
  CHECK(w.managers.servers().CreateServers(Member(), req)->instances[0].auto_disk_config);
  req.auto_disk_config = false;
  CHECK_FALSE(w.managers.servers().CreateServers(Member(), req)->instances[0].auto_disk_config);
  req.image_ref = "no-auto";
  CHECK_FALSE(w.managers.servers().CreateServers(Member(), req)->instances[0].auto_disk_config);
  req.auto_disk_config = true;
  absl::Status s = w.managers.servers().CreateServers(Member(), req).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() == "Requested image no-auto has automatic disk resize disabled.");
}

TEST_CASE("disk config: rebuild, resize and update keep what they are given") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  REQUIRE(w.store.CreateFlavor({.id = "2", .name = "big", .vcpus = 1, .ram_mb = 1024, .disk_gb = 1})
              .ok());
  w.images.Add({.id = "no-auto",
                .status = "active",
                .size = 1 << 20,
                .properties = {{"auto_disk_config", "Disabled"}}});
  Instance i = w.ActiveServer("h1");
  ActionRequest rebuild{.action = Action::kRebuild, .image_ref = "img", .auto_disk_config = true};
  auto rebuilt = w.managers.actions().ServerAction(Member(), i.uuid, rebuild);
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->auto_disk_config);
  Activate(w, i.uuid);
  rebuild.image_ref = "no-auto";
  CHECK(w.managers.actions().ServerAction(Member(), i.uuid, rebuild).status().message() ==
        "Requested image no-auto has automatic disk resize disabled.");
  rebuild.auto_disk_config.reset();  // not given: kept
  REQUIRE(w.managers.actions().ServerAction(Member(), i.uuid, rebuild).ok());
  CHECK(w.store.GetInstance(i.uuid)->auto_disk_config);
  Activate(w, i.uuid);

  auto manual = w.managers.servers().UpdateServer(Member(), i.uuid, {.auto_disk_config = false});
  REQUIRE(manual.ok());
  CHECK_FALSE(manual->auto_disk_config);
  CHECK(w.managers.servers().UpdateServer(Member(), i.uuid, {.name = "x"})->name == "x");
  CHECK_FALSE(w.store.GetInstance(i.uuid)->auto_disk_config);

  // Resize checks the server's image (now no-auto).
  ActionRequest resize{.action = Action::kResize, .flavor_ref = "2", .auto_disk_config = true};
  CHECK(w.managers.actions().ServerAction(Member(), i.uuid, resize).status().message() ==
        "Requested image no-auto has automatic disk resize disabled.");
  Instance j = w.ActiveServer("h1");
  auto resizing = w.managers.actions().ServerAction(Member(), j.uuid, resize);
  REQUIRE(resizing.ok());
  CHECK(resizing->auto_disk_config);
}

TEST_CASE("disk config: the REST body and the server's OS-DCF:diskConfig") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  json body = {{"server", {{"name", "vm"}, {"imageRef", "img"}, {"flavorRef", "1"}}}};
  body["server"]["OS-DCF:diskConfig"] = "AUTO";
  Reply made = api.Call("POST", "/servers", body);
  REQUIRE(made.status == 202);
  CHECK(made.body["server"]["OS-DCF:diskConfig"] == "AUTO");
  const std::string id = made.body["server"]["id"];
  CHECK(api.Call("GET", "/servers/" + id).body["server"]["OS-DCF:diskConfig"] == "AUTO");
  Reply updated =
      api.Call("PUT", "/servers/" + id, {{"server", {{"OS-DCF:diskConfig", "MANUAL"}}}});
  REQUIRE(updated.status == 200);
  CHECK(updated.body["server"]["OS-DCF:diskConfig"] == "MANUAL");
  CHECK(api.Call("GET", "/servers/" + id).body["server"]["OS-DCF:diskConfig"] == "MANUAL");
  CHECK(api.Call("PUT", "/servers/" + id, {{"server", {{"OS-DCF:diskConfig", "auto"}}}}).status ==
        400);
  body["server"]["OS-DCF:diskConfig"] = "SOMETIMES";
  CHECK(api.Call("POST", "/servers", body).status == 400);
  Activate(api.world(), id);
  Reply rebuilt = api.Call("POST", "/servers/" + id + "/action",
                           {{"rebuild", {{"imageRef", "img"}, {"OS-DCF:diskConfig", "AUTO"}}}});
  REQUIRE(rebuilt.status == 202);
  CHECK(rebuilt.body["server"]["OS-DCF:diskConfig"] == "AUTO");
}

}  // namespace
}  // namespace gureum::compute::testing
