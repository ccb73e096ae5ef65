// The scheduling flow: placement, casts, faults, idempotency, reschedules, moves, lost
// claim races. Linked with the fake store (unit) and with PostgreSQL (integration).
#include <catch2/catch.hpp>

#include "scheduler/tests/scheduler_fixture.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

struct Fixture {
  explicit Fixture(SchedulerOptions o = {})
      : holder(NewStoreHolder()), store(holder->store()), options(o) {
    scheduler = std::make_unique<Scheduler>(store, hosts, bus, clock, options);
  }
  Provider Add(const std::string& name, int64_t vcpus = 4, int64_t ram = 4096, int64_t disk = 40) {
    Provider p = MakeHost(name, vcpus, ram, disk);
    REQUIRE(store.PutProvider(p).ok());
    hosts.AddHost(name);
    REQUIRE(scheduler->Refresh().ok());
    return p;
  }
  Outcome Run(const cv1::ScheduleRequest& r) {
    absl::StatusOr<Outcome> o = scheduler->Schedule(r);
    REQUIRE(o.ok());
    return *o;
  }
  int64_t Used(const std::string& host, const std::string& rc = kVcpu) {
    auto p = store.GetProvider("", host);
    REQUIRE(p.ok());
    return p->usages[rc];
  }

  std::unique_ptr<StoreHolder> holder;
  PlacementStore& store;
  FakeHostStateSource hosts;
  amqp::FakeBus bus;
  FakeClock clock;
  SchedulerOptions options;
  std::unique_ptr<Scheduler> scheduler;
};

TEST_CASE("a build is claimed on the freest host and cast there with alternates") {
  Fixture f;
  f.Add("cn1", 4);
  f.Add("cn2", 8);
  f.Add("cn3", 6);
  Outcome o = f.Run(BuildRequest(Vm(1), 2, 1024, 10));
  CHECK(o.placed);
  CHECK(o.host == "cn2");
  CHECK(o.alternates == std::vector<std::string>{"cn3", "cn1"});
  CHECK(f.Used("cn2") == 2);
  CHECK(f.Used("cn2", kMemoryMb) == 1024);
  auto builds = Builds(f.bus, "compute.cn2");
  REQUIRE(builds.size() == 1);
  CHECK(builds[0].host() == "cn2");
  CHECK(builds[0].node() == MakeHost("cn2", 1, 1, 1).uuid);
  CHECK(builds[0].request().spec().uuid() == Vm(1));
  CHECK(builds[0].alternates_size() == 2);
  auto allocs = f.store.GetAllocations(Vm(1));
  REQUIRE(allocs->allocations.size() == 1);
  CHECK(allocs->project_id == "project-a");
}

TEST_CASE("no valid host: an error update with a readable fault goes to the conductor") {
  Fixture f;
  f.Add("cn1", 2);
  Outcome o = f.Run(BuildRequest(Vm(1), 4, 1024, 10));
  CHECK_FALSE(o.placed);
  auto updates = Updates(f.bus, "conductor");
  REQUIRE(updates.size() == 1);
  const cv1::InstanceUpdate& u = updates[0];
  CHECK(u.instance_uuid() == Vm(1));
  CHECK(u.vm_state() == "error");
  CHECK(u.task_state().empty());
  CHECK_FALSE(u.keep_task_state());
  CHECK(u.fault().message() == kNoValidHost);
  CHECK(u.fault().code() == 500);
  CHECK(u.fault().details().find("PlacementFilter: (start: 1, end: 0)") != std::string::npos);
  CHECK(u.event() == "schedule_instance");
  CHECK(u.event_failed());
  CHECK(f.store.GetAllocations(Vm(1))->allocations.empty());
}

TEST_CASE("disabled and down hosts are skipped") {
  Fixture f;
  f.Add("big-disabled", 16);
  f.Add("big-down", 16);
  f.Add("small", 2);
  f.hosts.Mutate([](HostStates& s) {
    s.hosts["big-disabled"].enabled = false;
    s.hosts["big-disabled"].disabled_reason = "maintenance";
    s.hosts["big-down"].up = false;
  });
  REQUIRE(f.scheduler->Refresh().ok());
  CHECK(f.Run(BuildRequest(Vm(1), 1, 512, 1)).host == "small");
  CHECK(f.Run(BuildRequest(Vm(2), 1, 512, 1)).host == "small");
  auto o = f.Run(BuildRequest(Vm(3), 1, 512, 1));
  CHECK_FALSE(o.placed);
  CHECK(o.fault_details.find("ComputeFilter: (start: 3, end: 1)") != std::string::npos);
  // Host states are cached for host_state_refresh, then asked again.
  int calls = f.hosts.calls();
  f.Run(BuildRequest(Vm(4), 1, 512, 1));
  CHECK(f.hosts.calls() == calls);
  f.clock.Advance(absl::Seconds(2));
  f.Run(BuildRequest(Vm(5), 1, 512, 1));
  CHECK(f.hosts.calls() == calls + 1);
}

TEST_CASE("a redelivered request casts the same build again and claims nothing more") {
  Fixture f;
  f.Add("cn1", 2);
  f.Add("cn2", 2);
  auto r = BuildRequest(Vm(1), 2, 1024, 10);
  Outcome first = f.Run(r);
  Outcome second = f.Run(r);
  CHECK(first.placed);
  CHECK(second.placed);
  CHECK(second.already_claimed);
  CHECK(second.host == first.host);
  CHECK(f.Used(first.host) == 2);
  CHECK(Builds(f.bus, "compute." + first.host).size() == 2);
  CHECK(Updates(f.bus, "conductor").empty());
}

TEST_CASE("a redelivery whose own claim filled the last room is still cast, not failed") {
  Fixture f;
  f.Add("only", 2);
  auto r = BuildRequest(Vm(1), 2, 1024, 10);
  CHECK(f.Run(r).placed);
  Outcome again = f.Run(r);
  CHECK(again.placed);
  CHECK(again.already_claimed);
  CHECK(Updates(f.bus, "conductor").empty());
}

TEST_CASE("reschedule: alternates first, the failed host released and excluded") {
  Fixture f;
  f.Add("a", 8);
  f.Add("b", 4);
  f.Add("c", 2);
  auto r = BuildRequest(Vm(1), 1, 512, 1, "task-1");
  Outcome o = f.Run(r);
  REQUIRE(o.host == "a");
  REQUIRE(o.alternates == std::vector<std::string>{"b", "c"});
  // The agent on a failed and hands the request back (without freeing its claim).
  auto again = r;
  again.set_attempt(2);
  again.add_alternates("c");  // the agent's order wins: c before b
  again.add_alternates("b");
  again.set_last_fault("libvirt: domain failed to start");
  Outcome o2 = f.Run(again);
  CHECK(o2.host == "c");
  CHECK(o2.alternates == std::vector<std::string>{"b"});
  CHECK(f.Used("a") == 0);
  CHECK(f.Used("c") == 1);
  // Third attempt, no alternates left: a full schedule that avoids c (its claim) .
  auto third = again;
  third.set_attempt(3);
  third.clear_alternates();
  Outcome o3 = f.Run(third);
  CHECK(o3.host == "a");
  CHECK(f.Used("c") == 0);
  // Fourth: beyond max_attempts (3).
  auto fourth = third;
  fourth.set_attempt(4);
  Outcome o4 = f.Run(fourth);
  CHECK_FALSE(o4.placed);
  auto updates = Updates(f.bus, "conductor");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].fault().message().find("Exceeded maximum number of retries") !=
        std::string::npos);
  CHECK(updates[0].fault().details().find("libvirt: domain failed to start") != std::string::npos);
  CHECK(f.Used("a") == 0);
}

TEST_CASE("a failed cast gives the claim back and asks for a retry") {
  Fixture f;
  f.Add("cn1", 2);
  f.bus.FailNext(absl::UnavailableError("broker gone"));
  auto r = BuildRequest(Vm(1), 2, 1024, 10);
  CHECK(f.scheduler->Schedule(r).status().code() == absl::StatusCode::kUnavailable);
  CHECK(f.Used("cn1") == 0);
  CHECK(f.Run(r).placed);  // the redelivery claims again
  CHECK(f.Used("cn1") == 2);
}

TEST_CASE("compute-api unreachable at first: an error, so the request is retried") {
  Fixture f;
  REQUIRE(f.store.PutProvider(MakeHost("cn1", 2, 1024, 10)).ok());
  f.hosts.AddHost("cn1");
  f.hosts.FailNext(absl::UnavailableError("compute-api down"));
  CHECK(f.scheduler->Schedule(BuildRequest(Vm(1), 1, 512, 1)).status().code() ==
        absl::StatusCode::kUnavailable);
  CHECK(f.Run(BuildRequest(Vm(1), 1, 512, 1)).placed);
}

TEST_CASE("a claim that loses a race moves on to the next host") {
  Fixture f;
  f.Add("a", 8);
  f.Add("b", 4);
  // Another scheduler fills a behind this one's back: its copy still shows a empty.
  ClaimRequest other;
  other.consumer_uuid = Vm(99);
  other.provider_uuid = MakeHost("a", 1, 1, 1).uuid;
  other.resources = {{kVcpu, 8}};
  other.claim_key = "x/1";
  REQUIRE(f.store.Claim(other).ok());
  Outcome o = f.Run(BuildRequest(Vm(1), 1, 512, 1));
  CHECK(o.host == "b");
  CHECK(f.Used("a") == 8);
}

TEST_CASE("hard anti-affinity spreads members, then there is no valid host") {
  Fixture f;
  f.Add("a", 8);
  f.Add("b", 8);
  std::set<std::string> used;
  for (int i = 1; i <= 3; ++i) {
    auto r = BuildRequest(Vm(i), 1, 512, 1);
    r.mutable_group()->set_uuid("group-1");
    r.mutable_group()->set_policy("anti-affinity");
    Outcome o = f.Run(r);
    if (i <= 2) {
      REQUIRE(o.placed);
      used.insert(o.host);
    } else {
      CHECK_FALSE(o.placed);
      CHECK(o.fault_details.find("ServerGroupAntiAffinityFilter: (start: 2, end: 0)") !=
            std::string::npos);
    }
  }
  CHECK(used.size() == 2);
}

TEST_CASE("hard affinity follows the first member") {
  Fixture f;
  f.Add("a", 8);
  f.Add("b", 8);
  std::set<std::string> used;
  for (int i = 1; i <= 4; ++i) {
    auto r = BuildRequest(Vm(i), 1, 512, 1);
    r.mutable_group()->set_uuid("group-aff");
    r.mutable_group()->set_policy("affinity");
    used.insert(f.Run(r).host);
  }
  CHECK(used.size() == 1);
}

TEST_CASE("moves: resize keeps the source, migrate avoids it, evacuate drops it") {
  Fixture f;
  f.Add("src", 8);
  f.Add("dst", 4);
  auto build = BuildRequest(Vm(1), 2, 1024, 10);
  build.set_requested_host("src");
  REQUIRE(f.Run(build).host == "src");

  auto resize = BuildRequest(Vm(1), 4, 2048, 10, "resize-1");
  resize.set_operation(cv1::ScheduleRequest::RESIZE);
  resize.set_source_host("src");
  *resize.mutable_old_flavor() = build.spec().flavor();
  Outcome o = f.Run(resize);
  CHECK(o.host == "dst");  // src is the freer host but not allowed without allow_same_host
  CHECK(f.Used("src") == 2);
  CHECK(f.Used("dst") == 4);
  auto b = Builds(f.bus, "compute.dst");
  REQUIRE(b.size() == 1);
  CHECK(b[0].request().operation() == cv1::ScheduleRequest::RESIZE);
  // Revert bookkeeping by compute-api: drop the destination allocation.
  REQUIRE(f.store.DeleteAllocations(Vm(1), MakeHost("dst", 1, 1, 1).uuid).ok());

  auto same = resize;
  same.set_task_id("resize-2");
  same.set_allow_same_host(true);
  CHECK(f.Run(same).host == "src");
  CHECK(f.Used("src") == 6);  // old and new flavor until the resize is confirmed
  REQUIRE(f.store.DeleteAllocations(Vm(1), "").ok());

  // Evacuate: src is down; the instance is rebuilt on dst and src's allocation goes.
  auto again = build;
  again.set_task_id("rebuild");
  REQUIRE(f.Run(again).host == "src");
  f.hosts.Mutate([](HostStates& s) { s.hosts["src"].up = false; });
  REQUIRE(f.scheduler->Refresh().ok());
  auto evacuate = BuildRequest(Vm(1), 2, 1024, 10, "evacuate-1");
  evacuate.set_operation(cv1::ScheduleRequest::EVACUATE);
  evacuate.set_source_host("src");
  CHECK(f.Run(evacuate).host == "dst");
  CHECK(f.Used("src") == 0);
  CHECK(f.Used("dst") == 2);

  // Migrate with no other host: no valid host, and the instance keeps its allocation.
  auto migrate = BuildRequest(Vm(1), 2, 1024, 10, "migrate-1");
  migrate.set_operation(cv1::ScheduleRequest::MIGRATE);
  migrate.set_source_host("dst");
  migrate.set_migration_id("mig-1");
  Outcome m = f.Run(migrate);
  CHECK_FALSE(m.placed);
  CHECK(f.Used("dst") == 2);
  auto updates = Updates(f.bus, "conductor");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state().empty());  // the instance stays as it was
  CHECK(updates[0].migration_status() == "error");
  CHECK(updates[0].migration_id() == "mig-1");
}

TEST_CASE("the availability zone in 'zone:host' form also names the host") {
  Fixture f;
  f.Add("a", 8);
  f.Add("b", 2);
  auto r = BuildRequest(Vm(1), 1, 512, 1);
  r.mutable_spec()->set_availability_zone("nova:b");
  CHECK(f.Run(r).host == "b");
  auto bad = BuildRequest(Vm(2), 1, 512, 1);
  bad.mutable_spec()->set_availability_zone("elsewhere");
  CHECK_FALSE(f.Run(bad).placed);
}

}  // namespace
}  // namespace gureum::scheduler::testing
