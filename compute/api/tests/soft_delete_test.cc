// Soft delete on fakes (Nova's reclaim_instance_interval, os-deferred-delete): off (the
// default), restore is 409 but for a soft-deleted server and forceDelete deletes; on, a
// DELETE powers the server off through its host and the conductor makes it SOFT_DELETED
// (or at once when its host is down), it leaves the default listing, restore powers it on
// again, forceDelete and the periodic reclaim (after the interval, on the FakeClock)
// delete it for good.
#include <catch2/catch.hpp>

#include "compute/api/conductor.h"
#include "compute/api/instance_states.h"
#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

ComputeOptions WithReclaim() {
  ComputeOptions o;
  o.reclaim_instance_interval = absl::Hours(1);
  return o;
}

struct SoftDeleteWorld : World {
  SoftDeleteWorld() : World(false, true, WithReclaim()) {
    AddFlavorAndImage();
    AddHost("h1");
  }
  // An active server on h1 that was launched (what a soft delete needs).
  Instance Launched() {
    Instance i = ActiveServer("h1");
    auto launched = store.MutateInstance(i.uuid, [&](Instance& x) {
      x.launched_at = clock.Now();
      return absl::OkStatus();
    });
    REQUIRE(launched.ok());
    return *launched;
  }
  // The agent's report of the power action cast with `task_id`.
  void Report(const std::string& uuid, const std::string& vm_state, int power) {
    v1::InstanceUpdate u;
    u.set_instance_uuid(uuid);
    u.set_task_id(store.GetInstance(uuid)->task_id);
    u.set_vm_state(vm_state);
    u.set_power_state(power);
    u.set_keep_task_state(false);
    REQUIRE(conductor.ApplyInstanceUpdate(u).ok());
  }
  std::vector<std::string> Listed(const std::string& vm_state = "") {
    InstanceFilter f;
    f.vm_state = vm_state;
    std::vector<std::string> out;
    auto listed = managers.servers().ListServers(Member(), f);
    REQUIRE(listed.ok());
    for (const Instance& i : *listed) out.push_back(i.uuid);
    return out;
  }
  Conductor conductor{store, bus, placement, clock, nullptr, managers.instance_events()};
};

TEST_CASE("soft delete off: restore is 409, forceDelete deletes, unknown servers 404") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  Instance i = w.ActiveServer("h1");
  absl::Status s = w.managers.servers().RestoreServer(Member(), i.uuid);
  CHECK(absl::IsFailedPrecondition(s));
  CHECK(s.message() == "Cannot 'restore' instance " + i.uuid + " while it is in vm_state active");
  CHECK(absl::IsNotFound(w.managers.servers().RestoreServer(Member(), "nope")));
  CHECK(absl::IsNotFound(w.managers.servers().ForceDeleteServer(Member(), "nope")));
  CHECK(absl::IsNotFound(w.managers.servers().ForceDeleteServer(Member("p2"), i.uuid)));
  REQUIRE(w.managers.servers().ForceDeleteServer(Member(), i.uuid).ok());
  CHECK(w.store.GetInstance(i.uuid)->task_state == task::kDeleting);
  CHECK(w.Casts(ComputeQueue("h1")).back().action().kind() == v1::InstanceAction::DELETE);
}

TEST_CASE("soft delete on: DELETE powers off to SOFT_DELETED, restore brings it back") {
  SoftDeleteWorld w;
  Instance i = w.Launched();
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());
  Instance deleting = *w.store.GetInstance(i.uuid);
  CHECK(deleting.task_state == task::kSoftDeleting);
  CHECK(deleting.deleted_at == w.clock.Now());
  auto casts = w.Casts(ComputeQueue("h1"));
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].action().kind() == v1::InstanceAction::STOP);
  w.Report(i.uuid, vm::kStopped, kShutdown);
  Instance soft = *w.store.GetInstance(i.uuid);
  CHECK(soft.vm_state == vm::kSoftDeleted);
  CHECK(soft.task_state.empty());
  CHECK(ApiStatus(soft.vm_state, soft.task_state) == "SOFT_DELETED");
  CHECK(w.Listed().empty());  // left out unless asked for
  CHECK(w.Listed(vm::kSoftDeleted) == std::vector<std::string>{i.uuid});
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());  // changes nothing
  CHECK(w.Casts(ComputeQueue("h1")).size() == 1);

  REQUIRE(w.managers.servers().RestoreServer(Member(), i.uuid).ok());
  Instance restoring = *w.store.GetInstance(i.uuid);
  CHECK(restoring.task_state == task::kRestoring);
  CHECK_FALSE(restoring.deleted_at);
  CHECK(w.Casts(ComputeQueue("h1")).back().action().kind() == v1::InstanceAction::START);
  w.Report(i.uuid, vm::kActive, kRunning);
  CHECK(w.store.GetInstance(i.uuid)->vm_state == vm::kActive);
  CHECK(w.Listed() == std::vector<std::string>{i.uuid});
  CHECK(absl::IsFailedPrecondition(w.managers.servers().RestoreServer(Member(), i.uuid)));
  CHECK(w.store.ListActions(i.uuid)->front().action == "restore");

  // Never launched: deleted, not soft deleted.
  auto built = w.managers.servers().CreateServers(Member(), w.Request());
  REQUIRE(built.ok());
  REQUIRE(w.managers.servers().DeleteServer(Member(), built->instances[0].uuid).ok());
  CHECK(absl::IsNotFound(w.store.GetInstance(built->instances[0].uuid).status()));
}

TEST_CASE("soft delete on: forceDelete and the periodic reclaim delete for good") {
  SoftDeleteWorld w;
  Instance a = w.Launched();
  Instance b = w.Launched();
  for (const Instance& i : {a, b}) {
    REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());
    w.Report(i.uuid, vm::kStopped, kShutdown);
  }
  REQUIRE(w.managers.servers().ForceDeleteServer(Member(), a.uuid).ok());
  CHECK(w.store.GetInstance(a.uuid)->task_state == task::kDeleting);
  CHECK(w.Casts(ComputeQueue("h1")).back().action().kind() == v1::InstanceAction::DELETE);

  CHECK(*w.managers.servers().ReclaimSoftDeleted() == 0);  // not an hour old yet
  w.clock.Advance(absl::Minutes(59));
  CHECK(*w.managers.servers().ReclaimSoftDeleted() == 0);
  w.clock.Advance(absl::Minutes(2));  // h1 is silent by now too: deleted here
  CHECK(*w.managers.servers().ReclaimSoftDeleted() == 1);
  CHECK(absl::IsNotFound(w.store.GetInstance(b.uuid).status()));
  CHECK(w.store.ListActions(b.uuid)->front().action == "delete");

  // A server whose host is down is soft deleted at once.
  w.AddHost("h1");
  Instance c = w.Launched();
  w.clock.Advance(absl::Seconds(61));
  REQUIRE(w.managers.servers().DeleteServer(Member(), c.uuid).ok());
  CHECK(w.store.GetInstance(c.uuid)->vm_state == vm::kSoftDeleted);
}

TEST_CASE("soft delete: the REST actions restore and forceDelete") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  api.world().AddHost("h1");
  Instance i = api.world().ActiveServer("h1");
  Reply restore = api.Call("POST", "/servers/" + i.uuid + "/action", {{"restore", nullptr}});
  CHECK(restore.status == 409);
  CHECK(api.Call("POST", "/servers/nope/action", {{"restore", nullptr}}).status == 404);
  CHECK(api.Call("POST", "/servers/nope/action", {{"forceDelete", nullptr}}).status == 404);
  CHECK(api.Call("POST", "/servers/" + i.uuid + "/action", {{"forceDelete", nullptr}}).status ==
        202);
}

}  // namespace
}  // namespace gureum::compute::testing
