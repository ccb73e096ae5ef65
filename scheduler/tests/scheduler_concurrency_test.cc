// Two Scheduler instances (two pools, two in-memory copies: two scheduler processes) on
// one PostgreSQL database, fed from many threads at once: no provider is ever
// overcommitted, hard anti-affinity spreads, and deleting everything leaves no usage.
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "scheduler/tests/scheduler_fixture.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

struct TwoSchedulers {
  TwoSchedulers() : holder(NewStoreHolder()) {
    SchedulerOptions o;
    // A small copy lifetime would hide races; a long one makes them certain.
    o.provider_refresh = absl::Hours(1);
    o.host_subset_size = 3;
    one = std::make_unique<Scheduler>(holder->store(), hosts, bus, clock, o);
    two = std::make_unique<Scheduler>(holder->other(), hosts, bus, clock, o);
  }
  void AddHosts(int n, int64_t vcpus, int64_t ram, int64_t disk) {
    for (int i = 0; i < n; ++i) {
      std::string name = absl::StrCat("cn", i);
      REQUIRE(holder->store().PutProvider(MakeHost(name, vcpus, ram, disk)).ok());
      hosts.AddHost(name);
    }
    REQUIRE(one->Refresh().ok());
    REQUIRE(two->Refresh().ok());
  }
  // Runs `n` requests made by `make` from `threads` threads, alternating schedulers.
  void RunAll(int n, int threads, const std::function<cv1::ScheduleRequest(int)>& make) {
    std::atomic<int> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        Scheduler& s = t % 2 == 0 ? *one : *two;
        for (int i = next++; i < n; i = next++) {
          absl::StatusOr<Outcome> o = s.Schedule(make(i));
          absl::MutexLock lock(&mu);
          if (!o.ok()) {
            errors.push_back(o.status().ToString());
          } else if (o->placed) {
            placed[o->host]++;
          } else {
            ++unplaced;
          }
        }
      });
    }
    for (auto& t : pool) t.join();
  }

  std::unique_ptr<StoreHolder> holder;
  FakeHostStateSource hosts;
  amqp::FakeBus bus;
  FakeClock clock;
  std::unique_ptr<Scheduler> one, two;
  absl::Mutex mu;
  std::map<std::string, int> placed;
  int unplaced = 0;
  std::vector<std::string> errors;
};

TEST_CASE("200 concurrent requests over 20 small hosts from two schedulers never overcommit") {
  TwoSchedulers s;
  // 20 hosts x 4 VCPU x 4.0 would be 320; use ratio 1: each host takes 4 of the
  // 1-VCPU/512 MB requests by CPU and 8 by RAM, so 80 fit in all and 120 do not.
  s.AddHosts(20, 4, 4096, 100);
  s.RunAll(200, 8, [](int i) { return BuildRequest(Vm(i), 1, 512, 1); });
  CHECK(s.errors.empty());
  int placed = 0;
  for (const auto& [host, n] : s.placed) placed += n;
  CHECK(placed == 80);
  CHECK(s.unplaced == 120);
  auto providers = s.holder->store().ListProviders("");
  REQUIRE(providers.ok());
  for (const Provider& p : *providers) {
    INFO(p.name);
    CHECK(p.usages.at(kVcpu) == 4);  // full, and never more
    CHECK(p.usages.at(kVcpu) <= p.inventories.at(kVcpu).Capacity());
    CHECK(p.usages.at(kMemoryMb) == 4 * 512);
  }
  // Every placed instance holds exactly one allocation; every other got an error update.
  int with_allocation = 0;
  for (int i = 0; i < 200; ++i) {
    auto a = s.holder->store().GetAllocations(Vm(i));
    REQUIRE(a.ok());
    CHECK(a->allocations.size() <= 1);
    with_allocation += static_cast<int>(a->allocations.size());
  }
  CHECK(with_allocation == 80);
  CHECK(Updates(s.bus, "conductor").size() == 120);
  // After deleting them all, no usage is left.
  for (int i = 0; i < 200; ++i) REQUIRE(s.holder->store().DeleteAllocations(Vm(i), "").ok());
  providers = s.holder->store().ListProviders("");
  REQUIRE(providers.ok());
  for (const Provider& p : *providers) {
    for (const auto& [rc, used] : p.usages) CHECK(used == 0);
  }
}

TEST_CASE("concurrent anti-affinity members spread one per host across two schedulers") {
  TwoSchedulers s;
  s.AddHosts(10, 64, 65536, 1000);
  s.RunAll(12, 6, [](int i) {
    cv1::ScheduleRequest r = BuildRequest(Vm(i), 1, 512, 1);
    r.mutable_group()->set_uuid("anti-group");
    r.mutable_group()->set_policy("anti-affinity");
    return r;
  });
  CHECK(s.errors.empty());
  CHECK(s.placed.size() == 10);
  for (const auto& [host, n] : s.placed) CHECK(n == 1);
  CHECK(s.unplaced == 2);
  auto members = s.holder->store().GroupMembers("anti-group");
  REQUIRE(members.ok());
  CHECK(members->size() == 10);
  for (const auto& [provider, n] : *members) CHECK(n == 1);
}

TEST_CASE("concurrent redeliveries of the same requests claim once each") {
  TwoSchedulers s;
  s.AddHosts(4, 16, 16384, 100);
  // Every request arrives three times, on both schedulers, interleaved.
  s.RunAll(60, 6, [](int i) { return BuildRequest(Vm(i % 20), 1, 512, 1); });
  CHECK(s.errors.empty());
  int64_t used = 0;
  auto providers = s.holder->store().ListProviders("");
  REQUIRE(providers.ok());
  for (const Provider& p : *providers) used += p.usages.at(kVcpu);
  CHECK(used == 20);
  for (int i = 0; i < 20; ++i) {
    CHECK(s.holder->store().GetAllocations(Vm(i))->allocations.size() == 1);
  }
}

}  // namespace
}  // namespace gureum::scheduler::testing
