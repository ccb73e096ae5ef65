// The Nova REST API end to end on PostgreSQL and RabbitMQ, with the stand-in scheduler
// and a simulated agent (cloud.h): lifecycle, the state machine's 409s, quotas, project
// isolation, locking, deletion.
#include <chrono>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "compute/api/tests/cloud.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

TEST_CASE("create reaches ACTIVE on the simulated host, with events and console output") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  json server = cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(server["OS-EXT-STS:vm_state"] == "active");
  CHECK(server["OS-EXT-STS:task_state"].is_null());
  CHECK(server["OS-EXT-STS:power_state"] == 1);
  CHECK(server["tenant_id"] == kProjectA);
  CHECK(server["flavor"]["id"] == "1");
  CHECK(server["image"]["id"] == kImageId);
  CHECK_FALSE(server["hostId"].get<std::string>().empty());
  CHECK_FALSE(server.contains("OS-EXT-SRV-ATTR:host"));  // admins only
  json as_admin = cloud.Call("token-admin", "GET", "/servers/" + id).body["server"];
  CHECK(as_admin["OS-EXT-SRV-ATTR:host"] == cloud.host());

  HttpResult actions = cloud.Call("token-a", "GET", "/servers/" + id + "/os-instance-actions");
  REQUIRE(actions.status == 200);
  REQUIRE(actions.body["instanceActions"].size() == 1);
  CHECK(actions.body["instanceActions"][0]["action"] == "create");
  const std::string req_id = actions.body["instanceActions"][0]["request_id"];
  // The conductor records the agent's event just after it stores ACTIVE (as Nova, two
  // writes), so a reader may see ACTIVE first: wait a little for the event.
  HttpResult action;
  for (int i = 0; i < 200; ++i) {
    action = cloud.Call("token-a", "GET", "/servers/" + id + "/os-instance-actions/" + req_id);
    if (action.status != 200 || !action.body["instanceAction"]["events"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE(action.status == 200);
  REQUIRE(action.body["instanceAction"]["events"].size() == 1);
  CHECK(action.body["instanceAction"]["events"][0]["event"] == "compute_build_and_run_instance");
  CHECK(action.body["instanceAction"]["events"][0]["result"] == "Success");

  HttpResult console = cloud.Call("token-a", "POST", "/servers/" + id + "/action",
                                  {{"os-getConsoleOutput", {{"length", 2}}}});
  REQUIRE(console.status == 200);
  // Nova's tail: the last 2 pieces split at newlines, the last one empty.
  CHECK(console.body["output"] == "login:\n");
}

TEST_CASE("every power action moves through its task and lands in its state, conflicts are 409") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  auto act = [&](const json& body) {
    return cloud.Call("token-a", "POST", "/servers/" + id + "/action", body);
  };

  REQUIRE(act({{"os-stop", nullptr}}).status == 202);
  json s = cloud.WaitForStatus("token-a", id, "SHUTOFF");
  CHECK(s["OS-EXT-STS:power_state"] == 4);
  HttpResult again = act({{"os-stop", nullptr}});
  CHECK(again.status == 409);
  CHECK(again.body["conflictingRequest"]["message"] ==
        "Cannot 'stop' instance " + id + " while it is in vm_state stopped");
  CHECK(act({{"pause", nullptr}}).status == 409);
  CHECK(act({{"reboot", {{"type", "SOFT"}}}}).status == 409);  // soft reboot needs active

  REQUIRE(act({{"os-start", nullptr}}).status == 202);
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(act({{"reboot", {{"type", "HARD"}}}}).status == 202);
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(act({{"pause", nullptr}}).status == 202);
  CHECK(cloud.WaitForStatus("token-a", id, "PAUSED")["OS-EXT-STS:power_state"] == 3);
  CHECK(act({{"suspend", nullptr}}).status == 409);
  REQUIRE(act({{"unpause", nullptr}}).status == 202);
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(act({{"suspend", nullptr}}).status == 202);
  CHECK(cloud.WaitForStatus("token-a", id, "SUSPENDED")["OS-EXT-STS:power_state"] == 7);
  REQUIRE(act({{"resume", nullptr}}).status == 202);
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(act({{"confirmResize", nullptr}}).status == 409);
  CHECK(act({{"reboot", {{"type", "SIDEWAYS"}}}}).status == 400);
  CHECK(act({{"frobnicate", nullptr}}).status == 400);

  HttpResult actions = cloud.Call("token-a", "GET", "/servers/" + id + "/os-instance-actions");
  CHECK(actions.body["instanceActions"].size() == 8);  // create + 7 accepted actions
}

TEST_CASE("a task in progress blocks conflicting actions") {
  Cloud cloud(/*with_scheduler=*/false);  // stays building/scheduling
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  json s = cloud.Call("token-a", "GET", "/servers/" + id).body["server"];
  CHECK(s["status"] == "BUILD");
  CHECK(s["OS-EXT-STS:task_state"] == "scheduling");
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers/" + id + "/action", {{"os-stop", nullptr}});
  CHECK(r.status == 409);
  CHECK(r.body["conflictingRequest"]["message"] ==
        "Cannot 'stop' instance " + id + " while it is in vm_state building");
}

TEST_CASE("a multi-create casts every server's schedule request at once, and each is built") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  HttpResult r = cloud.Call("token-a", "POST", "/servers",
                            {{"server",
                              {{"name", "fleet"},
                               {"imageRef", kImageId},
                               {"flavorRef", "1"},
                               {"min_count", 4},
                               {"max_count", 4},
                               {"return_reservation_id", true}}}});
  INFO(r.text);
  REQUIRE(r.status == 202);
  const std::string reservation = r.body["reservation_id"];
  HttpResult list = cloud.Call("token-a", "GET", "/servers/detail?reservation_id=" + reservation);
  REQUIRE(list.body["servers"].size() == 4);
  std::set<std::string> names;
  for (const json& s : list.body["servers"]) {
    json active = cloud.WaitForStatus("token-a", s["id"], "ACTIVE");
    CHECK(active["status"] == "ACTIVE");
    names.insert(active["name"].get<std::string>());
  }
  CHECK(names == std::set<std::string>{"fleet-1", "fleet-2", "fleet-3", "fleet-4"});
}

TEST_CASE("quota exceeded is 403 naming the quota and the usage, min/max count fit the quota") {
  Cloud cloud;
  cloud.CreateFlavor("2", 2, 1024, 1);
  REQUIRE(cloud
              .Call("token-admin", "PUT", std::string("/os-quota-sets/") + kProjectA,
                    {{"quota_set", {{"cores", 5}}}})
              .status == 200);
  HttpResult many = cloud.Call("token-a", "POST", "/servers",
                               {{"server",
                                 {{"name", "batch"},
                                  {"imageRef", kImageId},
                                  {"flavorRef", "2"},
                                  {"min_count", 1},
                                  {"max_count", 3}}}});
  REQUIRE(many.status == 202);  // two fit in 5 cores
  HttpResult list = cloud.Call("token-a", "GET", "/servers/detail");
  CHECK(list.body["servers"].size() == 2);
  HttpResult over =
      cloud.Call("token-a", "POST", "/servers",
                 {{"server", {{"name", "one-more"}, {"imageRef", kImageId}, {"flavorRef", "2"}}}});
  CHECK(over.status == 403);
  CHECK(over.body["forbidden"]["message"] ==
        "Quota exceeded for cores: Requested 2, but already used 4 of 5 cores");
  HttpResult detail =
      cloud.Call("token-a", "GET", std::string("/os-quota-sets/") + kProjectA + "/detail");
  REQUIRE(detail.status == 200);
  CHECK(detail.body["quota_set"]["cores"]["in_use"] == 4);
  CHECK(detail.body["quota_set"]["instances"]["limit"] == 10);
  CHECK(cloud
            .Call("token-a", "PUT", std::string("/os-quota-sets/") + kProjectA,
                  {{"quota_set", {{"cores", 50}}}})
            .status == 403);  // members cannot raise it
}

TEST_CASE("project B never sees project A's servers, admins do with all_tenants") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "secret-vm", "1");
  HttpResult b = cloud.Call("token-b", "GET", "/servers/" + id);
  CHECK(b.status == 404);
  CHECK(b.body["itemNotFound"]["message"] == "Instance " + id + " could not be found.");
  CHECK(cloud.Call("token-b", "GET", "/servers/detail").body["servers"].empty());
  CHECK(cloud.Call("token-b", "DELETE", "/servers/" + id).status == 404);
  CHECK(
      cloud.Call("token-b", "POST", "/servers/" + id + "/action", {{"os-stop", nullptr}}).status ==
      404);
  CHECK(cloud.Call("token-b", "GET", "/servers/detail?all_tenants=1").status == 403);
  CHECK(cloud.Call("token-admin", "GET", "/servers/detail?all_tenants=1").body["servers"].size() ==
        1);
  CHECK(cloud.Call("token-admin", "GET", "/servers/detail").body["servers"].empty());
  CHECK(cloud.Call("", "GET", "/servers").status == 401);
}

TEST_CASE("a locked server refuses its owner's actions until unlocked") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(cloud
              .Call("token-admin", "POST", "/servers/" + id + "/action",
                    {{"lock", {{"locked_reason", "maintenance"}}}})
              .status == 202);
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers/" + id + "/action", {{"os-stop", nullptr}});
  CHECK(r.status == 409);
  CHECK(r.body["conflictingRequest"]["message"] == "Instance " + id + " is locked");
  CHECK(cloud.Call("token-a", "DELETE", "/servers/" + id).status == 409);
  CHECK(cloud.Call("token-a", "POST", "/servers/" + id + "/action", {{"unlock", nullptr}}).status ==
        403);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id, nullptr, "2.9").body["server"]["locked"] ==
        true);
  REQUIRE(cloud.Call("token-admin", "POST", "/servers/" + id + "/action", {{"unlock", nullptr}})
              .status == 202);
  CHECK(
      cloud.Call("token-a", "POST", "/servers/" + id + "/action", {{"os-stop", nullptr}}).status ==
      202);
}

TEST_CASE("delete: a hosted server goes through deleting, an unscheduled one goes at once") {
  Cloud cloud(/*with_scheduler=*/false);
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string pending = cloud.Boot("token-a", "never-scheduled", "1");
  REQUIRE(cloud.Call("token-a", "DELETE", "/servers/" + pending).status == 204);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + pending).status == 404);
  auto dropped = cloud.placement().deleted();
  CHECK(std::find(dropped.begin(), dropped.end(), pending) != dropped.end());

  // A build that lands later (the scheduler was already at it): the conductor asks the
  // host to delete it instead of resurrecting it.
  v1::Cast late;
  late.mutable_instance_update()->set_instance_uuid(pending);
  late.mutable_instance_update()->set_vm_state("active");
  late.mutable_instance_update()->set_host(cloud.host());
  late.mutable_instance_update()->set_power_state(1);
  cloud.SendToConductor(late);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + pending).status == 404);
}

TEST_CASE("delete of an active server: deleting, then gone once the agent confirms") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(cloud.Call("token-a", "DELETE", "/servers/" + id).status == 204);
  CHECK(cloud.WaitForGone("token-a", id));
  auto dropped = cloud.placement().deleted();
  CHECK(std::find(dropped.begin(), dropped.end(), id) != dropped.end());
  HttpResult usage =
      cloud.Call("token-a", "GET", std::string("/os-quota-sets/") + kProjectA + "/detail");
  CHECK(usage.body["quota_set"]["instances"]["in_use"] == 0);
}

TEST_CASE("a failed build ends in ERROR with a readable fault") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  cloud.FailBuilds(true);
  const std::string id = cloud.Boot("token-a", "doomed", "1");
  json s = cloud.WaitForStatus("token-a", id, "ERROR");
  CHECK(s["fault"]["code"] == 500);
  CHECK(s["fault"]["message"] == "Build of instance " + id + " aborted: disk full");
}

TEST_CASE("bad create bodies are 400 with a message") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  auto create = [&](const json& server) {
    return cloud.Call("token-a", "POST", "/servers", {{"server", server}});
  };
  HttpResult r = create({{"name", "x"}, {"imageRef", kImageId}, {"flavorRef", "nope"}});
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] == "Flavor nope could not be found.");
  CHECK(create({{"name", "x"}, {"imageRef", "no-image"}, {"flavorRef", "1"}}).status == 400);
  CHECK(create({{"imageRef", kImageId}, {"flavorRef", "1"}}).status == 400);
  CHECK(create({{"name", "x"}, {"imageRef", kImageId}, {"flavorRef", "1"}, {"key_name", "missing"}})
            .status == 400);
  CHECK(create({{"name", "x"},
                {"imageRef", kImageId},
                {"flavorRef", "1"},
                {"min_count", 3},
                {"max_count", 2}})
            .status == 400);
  CHECK(create({{"name", "x"}, {"imageRef", kImageId}, {"flavorRef", "1"}, {"user_data", "***"}})
            .status == 400);
  CHECK(cloud.Call("token-a", "POST", "/servers", json::array()).status == 400);
  CHECK(cloud.Call("token-a", "GET", "/servers/detail").body["servers"].empty());
}

TEST_CASE("integers are integers in bodies and queries, the next link keeps the filters") {
  Cloud cloud(false);
  cloud.CreateFlavor("1", 1, 512, 1);
  auto create = [&](const json& extra) {
    json server = {{"name", "n"}, {"imageRef", kImageId}, {"flavorRef", "1"}};
    server.update(extra);
    return cloud.Call("token-a", "POST", "/servers", {{"server", server}}).status;
  };
  for (const json& count : {json("2x"), json(" 1"), json("+1"), json(1.5), json(true)}) {
    CAPTURE(count.dump());
    CHECK(create({{"min_count", count}}) == 400);
  }
  CHECK(create({{"max_count", 1001}}) == 400);
  CHECK(create({{"name", 7}}) == 400);
  CHECK(create({{"return_reservation_id", "maybe"}}) == 400);  // was a 500 (json type_error)
  REQUIRE(create({{"min_count", "1"}, {"max_count", nullptr}}) == 202);
  REQUIRE(create({{"name", "m"}}) == 202);
  for (const char* q : {"?limit=12abc", "?limit=-1", "?limit=", "?sort_key=nope", "?sort_dir=up"}) {
    CAPTURE(q);
    CHECK(cloud.Call("token-a", "GET", std::string("/servers") + q).status == 400);
  }
  CHECK(cloud.Call("token-a", "GET", "/flavors?minRam=1x").status == 400);
  CHECK(cloud.Call("token-a", "GET", "/flavors?limit=1.5").status == 400);
  HttpResult page =
      cloud.Call("token-a", "GET", "/servers/detail?limit=1&sort_key=name&sort_dir=asc");
  REQUIRE(page.status == 200);
  REQUIRE(page.body["servers"].size() == 1);
  CHECK(page.body["servers"][0]["name"] == "m");
  const std::string next = page.body["servers_links"][0]["href"];
  CHECK(next.find("/v2.1/servers/detail?") != std::string::npos);
  CHECK(next.find("sort_key=name") != std::string::npos);
  CHECK(next.find("marker=" + page.body["servers"][0]["id"].get<std::string>()) !=
        std::string::npos);
  HttpResult rest = cloud.Call("token-a", "GET", next.substr(next.find("/servers")));
  REQUIRE(rest.status == 200);
  REQUIRE(rest.body["servers"].size() == 1);
  CHECK(rest.body["servers"][0]["name"] == "n");
}

}  // namespace
}  // namespace gureum::compute::testing

namespace gureum::compute::testing {
namespace {

TEST_CASE("resize: RESIZE then VERIFY_RESIZE with the new flavor, revert restores, confirm keeps") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  cloud.CreateFlavor("2", 2, 1024, 1);
  const std::string id = cloud.Boot("token-a", "grow", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  auto act = [&](const nlohmann::json& body) {
    return cloud.Call("token-a", "POST", "/servers/" + id + "/action", body);
  };
  CHECK(act({{"resize", {{"flavorRef", "1"}}}}).status == 400);  // same flavor
  CHECK(act({{"resize", {{"flavorRef", "nope"}}}}).status == 400);
  REQUIRE(act({{"resize", {{"flavorRef", "2"}}}}).status == 202);
  nlohmann::json s = cloud.WaitForStatus("token-a", id, "VERIFY_RESIZE");
  CHECK(s["flavor"]["id"] == "2");
  // The quota counts the new flavor while it is in effect.
  CHECK(cloud.Call("token-a", "GET", std::string("/os-quota-sets/") + kProjectA + "/detail")
            .body["quota_set"]["cores"]["in_use"] == 2);
  REQUIRE(act({{"revertResize", nullptr}}).status == 202);
  s = cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(s["flavor"]["id"] == "1");
  CHECK(act({{"confirmResize", nullptr}}).status == 409);  // nothing to confirm any more

  REQUIRE(act({{"resize", {{"flavorRef", "2"}}}}).status == 202);
  cloud.WaitForStatus("token-a", id, "VERIFY_RESIZE");
  REQUIRE(act({{"confirmResize", nullptr}}).status == 204);
  s = cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(s["flavor"]["id"] == "2");
  CHECK(act({{"migrate", nullptr}}).status == 403);  // admin only
}

TEST_CASE("server metadata: set, replace, show a key, delete, and scoped to the project") {
  Cloud cloud(false);
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "tagged", "1");
  const std::string path = "/servers/" + id + "/metadata";
  HttpResult set =
      cloud.Call("token-a", "POST", path, {{"metadata", {{"role", "web"}, {"tier", "1"}}}});
  REQUIRE(set.status == 200);
  CHECK(set.body["metadata"]["role"] == "web");
  CHECK(cloud.Call("token-a", "GET", path + "/role").body["meta"]["role"] == "web");
  REQUIRE(cloud.Call("token-a", "PUT", path, {{"metadata", {{"only", "this"}}}}).status == 200);
  HttpResult all = cloud.Call("token-a", "GET", path);
  CHECK(all.body["metadata"] == nlohmann::json({{"only", "this"}}));
  CHECK(cloud.Call("token-a", "DELETE", path + "/only").status == 204);
  CHECK(cloud.Call("token-a", "DELETE", path + "/only").status == 404);
  CHECK(cloud.Call("token-a", "POST", path, {{"metadata", {{"n", 1}}}}).status == 400);
  CHECK(cloud.Call("token-b", "POST", path, {{"metadata", {{"x", "y"}}}}).status == 404);
}

TEST_CASE("evacuate only from a host that is down") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "pet", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  HttpResult up = cloud.Call("token-admin", "POST", "/servers/" + id + "/action",
                             {{"evacuate", nlohmann::json::object()}});
  CHECK(up.status == 400);
  CHECK(up.body["badRequest"]["message"] ==
        "Compute service of " + cloud.host() + " is still in use.");
  cloud.clock().Advance(absl::Seconds(120));  // its heartbeats stopped
  REQUIRE(cloud
              .Call("token-admin", "POST", "/servers/" + id + "/action",
                    {{"evacuate", nlohmann::json::object()}})
              .status == 200);
  cloud.clock().Advance(absl::Seconds(-120));
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  HttpResult actions = cloud.Call("token-a", "GET", "/servers/" + id + "/os-instance-actions");
  CHECK(actions.body["instanceActions"][0]["action"] == "evacuate");
}

}  // namespace
}  // namespace gureum::compute::testing
