// The conductor on fakes: agents' instance updates (applied only in the expected task
// states, faults and action events, resize flavors, deletes, updates for servers that are
// gone) and heartbeats (registration, power-state sync).
#include "compute/api/conductor.h"

#include <catch2/catch.hpp>

#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

struct ConductorWorld : World {
  ConductorWorld() { AddFlavorAndImage(); }
  // A server of p1 as the scheduler left it: building/scheduling, no host.
  Instance Scheduled() {
    auto created = managers.servers().CreateServers(Member(), Request());
    REQUIRE(created.ok());
    return created->instances.at(0);
  }
  // The agent's report that `i` is built and running on `host`.
  v1::InstanceUpdate Built(const Instance& i, const std::string& host) {
    v1::InstanceUpdate u;
    u.set_instance_uuid(i.uuid);
    u.set_task_id(i.task_id);
    u.set_vm_state(vm::kActive);
    u.set_power_state(kRunning);
    u.set_host(host);
    u.add_expected_task_states(task::kScheduling);
    u.set_event("compute_build_and_run_instance");
    return u;
  }

  Conductor conductor{store, bus, placement, clock, nullptr, managers.instance_events()};
};

TEST_CASE("conductor: a build report makes the server active and finishes its action") {
  ConductorWorld w;
  Instance i = w.Scheduled();
  v1::Cast cast;
  *cast.mutable_instance_update() = w.Built(i, "h1");
  amqp::Message m;
  m.body = cast.SerializeAsString();
  REQUIRE(w.conductor.Handle(m).ok());
  Instance got = *w.store.GetInstance(i.uuid);
  CHECK(got.vm_state == vm::kActive);
  CHECK(got.task_state.empty());
  CHECK(got.power_state == kRunning);
  CHECK(got.host == "h1");
  CHECK(got.launched_at == w.clock.Now());
  auto action = w.store.GetAction(i.uuid, "req-p1");
  REQUIRE(action.ok());
  REQUIRE(action->events.size() == 1);
  CHECK(action->events[0].result == "Success");
  CHECK(action->finish_time.has_value());
}

TEST_CASE("conductor: stale and duplicate updates change nothing") {
  ConductorWorld w;
  Instance i = w.Scheduled();
  v1::InstanceUpdate stale = w.Built(i, "h1");
  stale.clear_expected_task_states();
  stale.add_expected_task_states(task::kSpawning);
  REQUIRE(w.conductor.ApplyInstanceUpdate(stale).ok());
  CHECK(w.store.GetInstance(i.uuid)->vm_state == vm::kBuilding);
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(i, "h1")).ok());
  w.clock.Advance(absl::Seconds(5));
  // The same report again: the task is gone, so it no longer applies.
  v1::InstanceUpdate again = w.Built(i, "h2");
  REQUIRE(w.conductor.ApplyInstanceUpdate(again).ok());
  CHECK(w.store.GetInstance(i.uuid)->host == "h1");
  CHECK(w.store.GetAction(i.uuid, "req-p1")->events.size() == 1);
}

TEST_CASE("conductor: a failed build records its fault, a deleted server goes with its claim") {
  ConductorWorld w;
  Instance i = w.Scheduled();
  v1::InstanceUpdate failed = w.Built(i, "h1");
  failed.set_vm_state(vm::kError);
  failed.set_power_state(kNoState);
  failed.set_event_failed(true);
  failed.mutable_fault()->set_message("No valid host was found.");
  REQUIRE(w.conductor.ApplyInstanceUpdate(failed).ok());
  CHECK(w.store.GetInstance(i.uuid)->vm_state == vm::kError);
  auto faults = w.store.ListFaults(i.uuid, 1);
  REQUIRE(faults->size() == 1);
  CHECK(faults->at(0).message == "No valid host was found.");
  CHECK(faults->at(0).code == 500);
  CHECK(w.store.GetAction(i.uuid, "req-p1")->message == "Error");

  v1::InstanceUpdate deleted;
  deleted.set_instance_uuid(i.uuid);
  deleted.set_deleted(true);
  REQUIRE(w.conductor.ApplyInstanceUpdate(deleted).ok());
  CHECK(absl::IsNotFound(w.store.GetInstance(i.uuid).status()));
  CHECK(w.placement.deleted() == std::vector<std::string>{i.uuid});
  REQUIRE(w.conductor.ApplyInstanceUpdate(deleted).ok());  // again: nothing left, still OK
}

TEST_CASE("conductor: a report for a server that is gone sends DELETE back to its host") {
  ConductorWorld w;
  Instance i = w.Scheduled();
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());  // before it had a host
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(i, "h7")).ok());
  auto casts = w.Casts(ComputeQueue("h7"));
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].action().kind() == v1::InstanceAction::DELETE);
  CHECK(casts[0].action().instance_uuid() == i.uuid);
}

TEST_CASE("conductor: a finished resize swaps the flavors") {
  ConductorWorld w;
  Instance i = w.Scheduled();
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(i, "h1")).ok());
  FlavorRecord big{.id = "2", .name = "big", .vcpus = 2, .ram_mb = 1024, .disk_gb = 1};
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [&](Instance& x) {
                                x.task_state = task::kResizePrep;
                                x.new_flavor = big;
                                return absl::OkStatus();
                              })
              .ok());
  v1::InstanceUpdate done;
  done.set_instance_uuid(i.uuid);
  done.set_vm_state(vm::kResized);
  done.set_power_state(-1);
  done.set_flavor_id("2");
  done.add_expected_task_states(task::kResizePrep);
  REQUIRE(w.conductor.ApplyInstanceUpdate(done).ok());
  Instance got = *w.store.GetInstance(i.uuid);
  CHECK(got.vm_state == vm::kResized);
  CHECK(got.flavor.id == "2");
  CHECK(got.old_flavor->id == "1");
  CHECK_FALSE(got.new_flavor.has_value());
  CHECK(got.power_state == kRunning);  // -1 keeps it
}

TEST_CASE("conductor: heartbeats register the host and sync power states") {
  ConductorWorld w;
  Instance running = w.Scheduled();
  Instance busy = w.Scheduled();
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(running, "h1")).ok());
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(busy, "h1")).ok());
  REQUIRE(w.managers.actions().ServerAction(Member(), busy.uuid, {.action = Action::kStop}).ok());
  w.clock.Advance(absl::Seconds(10));

  v1::ServiceHeartbeat hb;
  hb.set_host("h1");
  hb.set_hypervisor_type("QEMU");
  (*hb.mutable_power_states())[running.uuid] = kShutdown;  // stopped by itself
  (*hb.mutable_power_states())[busy.uuid] = kShutdown;     // its stop is in progress
  (*hb.mutable_power_states())["stranger"] = kRunning;     // not ours: left alone
  REQUIRE(w.conductor.ApplyHeartbeat(hb).ok());
  auto service = w.store.GetService("svc-h1");
  REQUIRE(service.ok());
  CHECK(service->report_count == 1);
  CHECK(service->binary == "gureum-compute-agent");
  CHECK(service->hypervisor_type == "QEMU");
  CHECK(w.store.GetInstance(running.uuid)->vm_state == vm::kStopped);
  CHECK(w.store.GetInstance(running.uuid)->power_state == kShutdown);
  CHECK(w.store.GetInstance(busy.uuid)->vm_state == vm::kActive);  // the task owns it

  // A heartbeat that looked before the last change says nothing of it.
  REQUIRE(w.store
              .MutateInstance(running.uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kActive;
                                x.power_state = kRunning;
                                return absl::OkStatus();
                              })
              .ok());
  hb.set_at_unix_ms(absl::ToUnixMillis(w.clock.Now() - absl::Seconds(1)));
  REQUIRE(w.conductor.ApplyHeartbeat(hb).ok());
  CHECK(w.store.GetInstance(running.uuid)->vm_state == vm::kActive);
  CHECK(w.store.GetService("svc-h1")->report_count == 2);
}

TEST_CASE("conductor: a server's life is announced on the notifications exchange") {
  ConductorWorld w;
  std::vector<nlohmann::json> seen;
  w.notification_bus.Subscribe({.exchange = amqp::kNotificationExchange,
                                .exchange_type = amqp::ExchangeType::kTopic,
                                .binding_key = "compute.instance.#"},
                               [&](const amqp::Message& m) {
                                 seen.push_back(nlohmann::json::parse(m.body));
                                 return absl::OkStatus();
                               });
  Instance i = w.Scheduled();
  REQUIRE(w.conductor.ApplyInstanceUpdate(w.Built(i, "h1")).ok());
  w.AddHost("h1");  // up: the delete goes to it
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());
  v1::InstanceUpdate gone;
  gone.set_instance_uuid(i.uuid);
  gone.set_deleted(true);
  REQUIRE(w.conductor.ApplyInstanceUpdate(gone).ok());
  w.notification_bus.DeliverAll();

  std::vector<std::string> types;
  for (const auto& n : seen) types.push_back(n["event_type"]);
  CHECK(types == std::vector<std::string>{"compute.instance.create.start",
                                          "compute.instance.update", "compute.instance.update",
                                          "compute.instance.delete.end"});
  for (const auto& n : seen) {
    CHECK(n["payload"]["instance_id"] == i.uuid);
    CHECK(n["payload"]["tenant_id"] == "p1");  // whose pages may hear of it
  }
  REQUIRE(seen.size() == 4);
  CHECK(seen[1]["payload"]["state"] == vm::kActive);
  CHECK(seen[1]["payload"]["power_state"] == kRunning);
  CHECK(seen[1]["payload"]["host"] == "h1");
  CHECK(seen[1]["payload"]["task_state"].is_null());
  CHECK(seen[2]["payload"]["task_state"] == task::kDeleting);
}

}  // namespace
}  // namespace gureum::compute::testing
