// The server rules of compute-api on fakes: create (validation, flavor and image fit,
// quotas, networks, the schedule cast), scoping, actions and their state checks, locks,
// moves, and delete (local or through the host).
#include <catch2/catch.hpp>

#include "common/status/status.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

TEST_CASE("server create: stored building, one create action, a BUILD cast to the scheduler") {
  World w;
  w.AddFlavorAndImage();
  CreateServerRequest req = w.Request("web");
  req.metadata = {{"role", "web"}};
  auto created = w.managers.servers().CreateServers(Member(), req);
  REQUIRE(created.ok());
  REQUIRE(created->instances.size() == 1);
  const Instance& i = created->instances[0];
  auto stored = w.store.GetInstance(i.uuid);
  REQUIRE(stored.ok());
  CHECK(stored->vm_state == vm::kBuilding);
  CHECK(stored->task_state == task::kScheduling);
  CHECK(stored->project_id == "p1");
  CHECK(stored->flavor.id == "1");
  CHECK(stored->hostname == "web");
  CHECK(stored->metadata.at("role") == "web");
  auto actions = w.store.ListActions(i.uuid);
  REQUIRE(actions->size() == 1);
  CHECK(actions->at(0).action == "create");
  CHECK(actions->at(0).request_id == "req-p1");
  auto casts = w.Casts(kSchedulerQueue);
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].schedule().operation() == v1::ScheduleRequest::BUILD);
  CHECK(casts[0].schedule().spec().uuid() == i.uuid);
  CHECK(casts[0].schedule().task_id() == stored->task_id);
}

TEST_CASE("server create: bad bodies, flavors and images are 400 and create nothing") {
  World w;
  w.AddFlavorAndImage();
  FlavorRecord priv{.id = "priv", .name = "private", .vcpus = 1, .ram_mb = 512, .disk_gb = 1};
  priv.is_public = false;
  REQUIRE(w.store.CreateFlavor(priv).ok());
  w.images.Add({.id = "big-ram", .status = "active", .min_ram_mb = 1024});
  w.images.Add({.id = "big-disk", .status = "active", .size = int64_t{2} << 30});
  w.images.Add({.id = "queued", .status = "queued"});
  auto fails = [&](CreateServerRequest req, const std::string& message) {
    absl::Status s = w.managers.servers().CreateServers(Member(), req).status();
    CHECK(absl::IsInvalidArgument(s));
    CHECK(s.message() == message);
  };
  CreateServerRequest r = w.Request();
  r.name = "";
  fails(r, "Invalid input for field/attribute name: must be 1 to 255 characters");
  r = w.Request();
  r.flavor_ref = "nope";
  fails(r, "Flavor nope could not be found.");
  r.flavor_ref = "priv";  // private, no access: as unknown
  fails(r, "Flavor priv could not be found.");
  r = w.Request();
  r.image_ref = "nope";
  fails(r, "Image nope could not be found.");
  r.image_ref = "queued";
  fails(r, "Image queued is not active.");
  r.image_ref = "big-ram";
  fails(r, "Flavor's memory is too small for requested image.");
  r.image_ref = "big-disk";
  fails(r,
        "Flavor's disk is too small for requested image. Flavor disk is 1073741824 bytes, image "
        "is 2147483648 bytes.");
  r = w.Request();
  r.user_data = "not base64!";
  fails(r, "User data needs to be valid base 64 of at most 65535 bytes.");
  r = w.Request();
  r.key_name = "nokey";
  fails(r, "Invalid key_name provided.");
  r = w.Request();
  r.availability_zone = "elsewhere";
  fails(r, "The requested availability zone is not available");
  r = w.Request();
  r.min_count = 2;
  r.max_count = 1;
  fails(r, "min_count must be >= 1 and max_count >= min_count");
  r = w.Request();
  r.availability_zone = "nova:h1";  // a forced host is for admins
  CHECK(absl::IsPermissionDenied(w.managers.servers().CreateServers(Member(), r).status()));
  CHECK(w.store.ListInstances({.all_projects = true})->empty());
  CHECK(w.bus.Queued(kSchedulerQueue).empty());
  // With access, the private flavor is usable.
  REQUIRE(w.store.AddFlavorAccess("priv", "p1").ok());
  r = w.Request();
  r.flavor_ref = "priv";
  CHECK(w.managers.servers().CreateServers(Member(), r).ok());
}

TEST_CASE("server create: the quota, between min_count and max_count") {
  World w;
  w.AddFlavorAndImage();
  REQUIRE(w.store.SetQuotaLimit("p1", "instances", 3).ok());
  CreateServerRequest r = w.Request("many");
  r.max_count = 5;
  auto created = w.managers.servers().CreateServers(Member(), r);
  REQUIRE(created.ok());
  REQUIRE(created->instances.size() == 3);  // as many as the quota allows
  CHECK(created->instances[0].name == "many-1");
  CHECK(created->instances[2].name == "many-3");
  CHECK(created->instances[1].reservation_id == created->reservation_id);
  CHECK(w.Casts(kSchedulerQueue).size() == 3);
  absl::Status over = w.managers.servers().CreateServers(Member(), w.Request()).status();
  CHECK(absl::IsResourceExhausted(over));
  CHECK(HttpStatusCode(over) == 403);
  CHECK(over.message() ==
        "Quota exceeded for instances: Requested 1, but already used 3 of 3 instances");
  // Another project has its own quota.
  CHECK(w.managers.servers().CreateServers(Member("p2"), w.Request()).ok());
  // Cores: four 1-vCPU servers fit nowhere under a limit of 2.
  REQUIRE(w.store.SetQuotaLimit("p2", "cores", 2).ok());
  r.min_count = 2;
  r.max_count = 2;
  over = w.managers.servers().CreateServers(Member("p2"), r).status();
  CHECK(over.message() == "Quota exceeded for cores: Requested 2, but already used 1 of 2 cores");
  // Metadata items are counted against their own limit.
  REQUIRE(w.store.SetQuotaLimit("p2", "metadata_items", 1).ok());
  r = w.Request();
  r.metadata = {{"a", "1"}, {"b", "2"}};
  CHECK(absl::IsResourceExhausted(w.managers.servers().CreateServers(Member("p2"), r).status()));
}

TEST_CASE("server create: a failed schedule cast leaves the server in ERROR with a fault") {
  World w;
  w.AddFlavorAndImage();
  w.bus.FailNext(absl::UnavailableError("broker down"));
  auto created = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(created.ok());
  const std::string uuid = created->instances.at(0).uuid;
  CHECK(created->instances[0].vm_state == vm::kError);
  CHECK(w.store.GetInstance(uuid)->vm_state == vm::kError);
  CHECK(w.store.GetInstance(uuid)->task_state.empty());
  auto faults = w.store.ListFaults(uuid, 1);
  REQUIRE(faults->size() == 1);
  CHECK(faults->at(0).message == "The scheduler could not be reached: broker down");
}

TEST_CASE("server create: networks checked against the network service") {
  World w(/*with_networks=*/true);
  w.AddFlavorAndImage();
  w.networks.AddNetwork({.id = "net1", .name = "private", .project_id = "p1"});
  w.networks.AddNetwork({.id = "net2", .name = "other", .project_id = "p2"});
  w.networks.AddPort({.id = "port1", .network_id = "net1", .project_id = "p1"});
  w.networks.AddPort(
      {.id = "busy", .network_id = "net1", .project_id = "p1", .device_id = "some-vm"});
  w.networks.AddSecurityGroup({.id = "sg1", .name = "web", .project_id = "p1"});

  // No `networks` key: the project's only network.
  auto one = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(one.ok());
  CHECK(w.store.GetInstance(one->instances[0].uuid)->network_ids ==
        std::vector<std::string>{"net1"});

  CreateServerRequest r = w.Request();
  r.networks_given = true;
  r.networks = {{.network_id = "net2"}};  // another project's
  absl::Status s = w.managers.servers().CreateServers(Member(), r).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() == "Network net2 could not be found.");
  r.networks = {{.port_id = "busy"}};
  s = w.managers.servers().CreateServers(Member(), r).status();
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "Port busy is still in use.");
  r.networks = {{.network_id = "net1", .fixed_ip = "10.0.0.300"}};
  CHECK(w.managers.servers().CreateServers(Member(), r).status().message() ==
        "Invalid fixed IP address (10.0.0.300)");
  r.networks = {{.port_id = "port1"}, {.network_id = "net1", .fixed_ip = "10.0.0.5"}};
  r.security_groups = {"nope"};
  CHECK(w.managers.servers().CreateServers(Member(), r).status().message() ==
        "Unable to find security_group with name or id 'nope'");
  r.security_groups = {"web", "default"};
  auto made = w.managers.servers().CreateServers(Member(), r);
  REQUIRE(made.ok());
  Instance i = *w.store.GetInstance(made->instances[0].uuid);
  REQUIRE(i.requested_networks.size() == 2);
  CHECK(i.requested_networks[0].port_id == "port1");
  CHECK(i.requested_networks[0].network_id == "net1");
  CHECK(i.requested_networks[1].fixed_ip == "10.0.0.5");
  CHECK(i.port_ids == std::vector<std::string>{"port1"});
  CHECK(i.security_groups == std::vector<std::string>{"web", "default"});

  // Two usable networks and no choice: 409.
  w.networks.AddNetwork({.id = "net3", .name = "shared", .project_id = "p9", .shared = true});
  s = w.managers.servers().CreateServers(Member(), w.Request()).status();
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "Multiple possible networks found, use a Network ID to be more specific.");
}

TEST_CASE("server create: without a network service, `networks` is refused") {
  World w;
  w.AddFlavorAndImage();
  CreateServerRequest r = w.Request();
  r.networks_given = true;
  r.networks = {{.network_id = "net1"}};
  CHECK(absl::IsInvalidArgument(w.managers.servers().CreateServers(Member(), r).status()));
  auto plain = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(plain.ok());
  CHECK(w.store.GetInstance(plain->instances[0].uuid)->requested_networks.empty());
}

TEST_CASE("servers: another project's server is 404, all_tenants is for admins") {
  World w;
  w.AddFlavorAndImage();
  Instance mine = w.ActiveServer();
  absl::Status s = w.managers.servers().GetServer(Member("p2"), mine.uuid).status();
  CHECK(absl::IsNotFound(s));
  CHECK(s.message() == "Instance " + mine.uuid + " could not be found.");
  CHECK(absl::IsNotFound(w.managers.servers().DeleteServer(Member("p2"), mine.uuid)));
  CHECK(absl::IsNotFound(w.managers.actions()
                             .ServerAction(Member("p2"), mine.uuid, {.action = Action::kStop})
                             .status()));
  CHECK(w.managers.servers().GetServer(Admin(), mine.uuid).ok());
  CHECK(w.managers.servers().ListServers(Member("p2"), {})->empty());
  CHECK(w.managers.servers().ListServers(Member(), {})->size() == 1);
  InstanceFilter all{.all_projects = true};
  CHECK(absl::IsPermissionDenied(w.managers.servers().ListServers(Member(), all).status()));
  CHECK(w.managers.servers().ListServers(Admin(), all)->size() == 1);
  RequestContext no_role = Member();
  no_role.caller.roles.clear();
  CHECK(absl::IsPermissionDenied(w.managers.servers().GetServer(no_role, mine.uuid).status()));
}

TEST_CASE("server actions: the state machine, the task and the cast to the host") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  Instance i = w.ActiveServer("h1");
  auto stopped = w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kStop});
  REQUIRE(stopped.ok());
  CHECK(stopped->task_state == task::kPoweringOff);
  auto casts = w.Casts(ComputeQueue("h1"));
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].action().kind() == v1::InstanceAction::STOP);
  CHECK(casts[0].action().instance_uuid() == i.uuid);
  CHECK(casts[0].action().task_id() == stopped->task_id);
  CHECK(w.store.GetAction(i.uuid, "req-p1")->action == "stop");

  // A task in progress blocks another action.
  absl::Status busy =
      w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kPause}).status();
  CHECK(absl::IsFailedPrecondition(busy));
  CHECK(busy.message() ==
        "Cannot 'pause' instance " + i.uuid + " while it is in task_state powering-off");
  // Done (as the agent's update would make it): stopping again is refused by vm_state.
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kStopped;
                                x.task_state.clear();
                                return absl::OkStatus();
                              })
              .ok());
  absl::Status again =
      w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kStop}).status();
  CHECK(again.message() == "Cannot 'stop' instance " + i.uuid + " while it is in vm_state stopped");
  CHECK(w.Casts(ComputeQueue("h1")).size() == 1);
  CHECK(
      w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kStart})->task_state ==
      task::kPoweringOn);
}

TEST_CASE("server actions: a server without a host is not ready, rebuild checks its image") {
  World w;
  w.AddFlavorAndImage();
  auto created = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(created.ok());
  const std::string uuid = created->instances[0].uuid;
  REQUIRE(w.store
              .MutateInstance(uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kActive;
                                x.task_state.clear();
                                return absl::OkStatus();
                              })
              .ok());
  absl::Status s =
      w.managers.actions().ServerAction(Member(), uuid, {.action = Action::kRebootSoft}).status();
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "Instance " + uuid + " is not ready");
  CHECK(
      absl::IsFailedPrecondition(w.managers.servers().ConsoleOutput(Member(), uuid, 10).status()));

  Instance on_host = w.ActiveServer("h1");
  w.images.Add({.id = "huge", .status = "active", .min_ram_mb = 4096});
  ActionRequest rebuild{.action = Action::kRebuild, .image_ref = "huge"};
  CHECK(w.managers.actions().ServerAction(Member(), on_host.uuid, rebuild).status().message() ==
        "Flavor's memory is too small for requested image.");
  rebuild.image_ref = "gone";
  CHECK(absl::IsInvalidArgument(
      w.managers.actions().ServerAction(Member(), on_host.uuid, rebuild).status()));
  w.images.Add({.id = "img2", .name = "debian", .status = "active"});
  rebuild.image_ref = "img2";
  rebuild.name = "renamed";
  auto rebuilt = w.managers.actions().ServerAction(Member(), on_host.uuid, rebuild);
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->image_ref == "img2");
  CHECK(rebuilt->name == "renamed");
  CHECK(rebuilt->task_state == task::kRebuilding);
  CHECK(w.Casts(ComputeQueue("h1")).at(0).action().kind() == v1::InstanceAction::REBUILD);
}

TEST_CASE("server actions: locks refuse the owner's actions, an admin's lock is the admin's") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer("h1");
  auto locked = w.managers.actions().ServerAction(
      Member(), i.uuid, {.action = Action::kLock, .locked_reason = "mine"});
  REQUIRE(locked.ok());
  CHECK(locked->locked);
  CHECK(locked->locked_by == "owner");
  CHECK(locked->locked_reason == "mine");
  absl::Status s =
      w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kStop}).status();
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "Instance " + i.uuid + " is locked");
  CHECK(absl::IsFailedPrecondition(w.managers.servers().DeleteServer(Member(), i.uuid)));
  CHECK(absl::IsFailedPrecondition(
      w.managers.servers().UpdateServer(Member(), i.uuid, {.name = "x"}).status()));
  // An admin acts on a locked server.
  CHECK(w.managers.actions().ServerAction(Admin(), i.uuid, {.action = Action::kStop}).ok());
  REQUIRE(w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kUnlock}).ok());
  REQUIRE(w.managers.actions().ServerAction(Admin(), i.uuid, {.action = Action::kLock}).ok());
  CHECK(absl::IsPermissionDenied(
      w.managers.actions().ServerAction(Member(), i.uuid, {.action = Action::kUnlock}).status()));
  CHECK(w.store.GetInstance(i.uuid)->locked_by == "admin");
  CHECK_FALSE(
      w.managers.actions().ServerAction(Admin(), i.uuid, {.action = Action::kUnlock})->locked);
}

TEST_CASE("server moves: resize checks the flavor and quota, evacuate needs a dead host") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  REQUIRE(w.store.CreateFlavor({.id = "2", .name = "big", .vcpus = 4, .ram_mb = 1024, .disk_gb = 1})
              .ok());
  REQUIRE(w.store.CreateFlavor({.id = "0", .name = "nodisk", .vcpus = 1, .ram_mb = 512}).ok());
  Instance i = w.ActiveServer("h1");
  ActionRequest resize{.action = Action::kResize, .flavor_ref = "1"};
  CHECK(w.managers.actions().ServerAction(Member(), i.uuid, resize).status().message() ==
        "When resizing, instances must change flavor!");
  resize.flavor_ref = "0";
  CHECK(w.managers.actions().ServerAction(Member(), i.uuid, resize).status().message() ==
        "Resize to zero disk flavor is not allowed.");
  REQUIRE(w.store.SetQuotaLimit("p1", "cores", 3).ok());
  resize.flavor_ref = "2";
  absl::Status over = w.managers.actions().ServerAction(Member(), i.uuid, resize).status();
  CHECK(HttpStatusCode(over) == 403);
  CHECK(over.message() == "Quota exceeded for cores: Requested 3, but already used 1 of 3 cores");
  REQUIRE(w.store.SetQuotaLimit("p1", "cores", 20).ok());
  auto resizing = w.managers.actions().ServerAction(Member(), i.uuid, resize);
  REQUIRE(resizing.ok());
  CHECK(resizing->task_state == task::kResizePrep);
  CHECK(resizing->new_flavor->id == "2");
  auto migrations = w.store.ListMigrations(i.uuid);
  REQUIRE(migrations->size() == 1);
  CHECK(migrations->at(0).migration_type == "resize");
  CHECK(migrations->at(0).new_flavor_id == "2");
  auto casts = w.Casts(kSchedulerQueue);
  REQUIRE(casts.size() == 2);  // the build, then the resize
  CHECK(casts[1].schedule().operation() == v1::ScheduleRequest::RESIZE);
  CHECK(casts[1].schedule().migration_id() == migrations->at(0).uuid);

  // Confirm needs a finished migration.
  Instance j = w.ActiveServer("h1");
  REQUIRE(w.store
              .MutateInstance(j.uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kResized;
                                return absl::OkStatus();
                              })
              .ok());
  CHECK(w.managers.actions()
            .ServerAction(Member(), j.uuid, {.action = Action::kConfirmResize})
            .status()
            .message() == "Instance " + j.uuid + " has no finished migration to confirm");

  // Evacuate: admin only, and not while the host's agent is alive.
  CHECK(absl::IsPermissionDenied(
      w.managers.actions().ServerAction(Member(), j.uuid, {.action = Action::kEvacuate}).status()));
  Instance k = w.ActiveServer("h1");
  CHECK(w.managers.actions()
            .ServerAction(Admin(), k.uuid, {.action = Action::kEvacuate})
            .status()
            .message() == "Compute service of h1 is still in use.");
  w.clock.Advance(absl::Seconds(61));
  auto evacuating =
      w.managers.actions().ServerAction(Admin(), k.uuid, {.action = Action::kEvacuate});
  REQUIRE(evacuating.ok());
  CHECK(w.Casts(kSchedulerQueue).back().schedule().operation() == v1::ScheduleRequest::EVACUATE);
}

TEST_CASE("server delete: local without a live host, else through the host") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  // Never scheduled: gone at once, its allocations dropped.
  auto unscheduled = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(unscheduled.ok());
  const std::string a = unscheduled->instances[0].uuid;
  REQUIRE(w.managers.servers().DeleteServer(Member(), a).ok());
  CHECK(absl::IsNotFound(w.store.GetInstance(a).status()));
  CHECK(w.placement.deleted() == std::vector<std::string>{a});
  CHECK(w.store.ListActions(a)->at(0).action == "delete");

  // On a live host: deleting, and a DELETE cast to the host.
  Instance b = w.ActiveServer("h1");
  REQUIRE(w.managers.servers().DeleteServer(Member(), b.uuid).ok());
  Instance deleting = *w.store.GetInstance(b.uuid);
  CHECK(deleting.task_state == task::kDeleting);
  auto casts = w.Casts(ComputeQueue("h1"));
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].action().kind() == v1::InstanceAction::DELETE);
  CHECK(casts[0].action().task_id() == deleting.task_id);

  // Its host silent past service_down_time: Nova's local delete.
  Instance c = w.ActiveServer("h1");
  w.clock.Advance(absl::Seconds(61));
  REQUIRE(w.managers.servers().DeleteServer(Member(), c.uuid).ok());
  CHECK(absl::IsNotFound(w.store.GetInstance(c.uuid).status()));
  CHECK(w.Casts(ComputeQueue("h1")).size() == 1);
}

TEST_CASE("server update, metadata and console output") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer("h1");
  auto renamed =
      w.managers.servers().UpdateServer(Member(), i.uuid, {.name = "new", .description = "d"});
  REQUIRE(renamed.ok());
  CHECK(renamed->name == "new");
  CHECK(renamed->description == "d");
  CHECK(absl::IsInvalidArgument(
      w.managers.servers().UpdateServer(Member(), i.uuid, {.name = ""}).status()));
  auto meta =
      w.managers.servers().UpdateServerMetadata(Member(), i.uuid, {{"a", "1"}, {"b", "2"}}, false);
  REQUIRE(meta.ok());
  meta = w.managers.servers().UpdateServerMetadata(Member(), i.uuid, {{"b", std::nullopt}}, false);
  CHECK(meta->metadata == StringMap{{"a", "1"}});
  CHECK(w.managers.servers()
            .UpdateServerMetadata(Member(), i.uuid, {{"zz", std::nullopt}}, false)
            .status()
            .message() == "Metadata item was not found");
  meta = w.managers.servers().UpdateServerMetadata(Member(), i.uuid, {{"c", "3"}}, true);
  CHECK(meta->metadata == StringMap{{"c", "3"}});
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.console_tail = "one\ntwo\nthree\n";
                                return absl::OkStatus();
                              })
              .ok());
  // Nova's tail: the last 2 pieces of "one\ntwo\nthree\n" split at newlines.
  CHECK(*w.managers.servers().ConsoleOutput(Member(), i.uuid, 2) == "three\n");
  CHECK(*w.managers.servers().ConsoleOutput(Member(), i.uuid, 3) == "two\nthree\n");
  CHECK(*w.managers.servers().ConsoleOutput(Member(), i.uuid, 0) == "one\ntwo\nthree\n");
}

TEST_CASE("store failures pass through the manager unchanged") {
  World w;
  w.AddFlavorAndImage();
  w.store.FailNext(absl::UnavailableError("database down"));
  absl::Status s = w.managers.servers().CreateServers(Member(), w.Request()).status();
  CHECK(absl::IsUnavailable(s));
  CHECK(w.bus.Queued(kSchedulerQueue).empty());
}

}  // namespace
}  // namespace gureum::compute::testing
