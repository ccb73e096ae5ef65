// The PlacementStore contract, run against the fake and against PostgreSQL.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

Inventory Inv(const std::string& rc, int64_t total, double ratio = 1.0, int64_t reserved = 0) {
  Inventory inv;
  inv.resource_class = rc;
  inv.total = total;
  inv.reserved = reserved;
  inv.max_unit = total;
  inv.allocation_ratio = ratio;
  return inv;
}

Provider Host(const std::string& name, int n, int64_t vcpus = 4, int64_t ram = 4096,
              int64_t disk = 100) {
  Provider p;
  p.uuid =
      absl::StrCat("00000000-0000-4000-8000-", std::string(12 - std::to_string(n).size(), '0'), n);
  p.name = name;
  p.inventories[kVcpu] = Inv(kVcpu, vcpus);
  p.inventories[kMemoryMb] = Inv(kMemoryMb, ram);
  p.inventories[kDiskGb] = Inv(kDiskGb, disk);
  return p;
}

ClaimRequest Req(const std::string& consumer, const Provider& p, int64_t vcpus, int64_t ram,
                 int64_t disk, const std::string& key = "task-1") {
  ClaimRequest r;
  r.consumer_uuid = consumer;
  r.project_id = "p1";
  r.user_id = "u1";
  r.provider_uuid = p.uuid;
  r.resources = {{kVcpu, vcpus}, {kMemoryMb, ram}, {kDiskGb, disk}};
  r.claim_key = key;
  return r;
}

int64_t Used(PlacementStore& store, const std::string& uuid, const std::string& rc) {
  auto p = store.GetProvider(uuid, "");
  REQUIRE(p.ok());
  auto it = p->usages.find(rc);
  return it == p->usages.end() ? 0 : it->second;
}

TEST_CASE("providers are created, replaced by name and listed with usages") {
  auto h = NewStoreHolder();
  Provider p = Host("cn1", 1);
  p.traits = {"HW_ARCH_X86_64", "COMPUTE_STATUS_X"};
  auto created = h->store().PutProvider(p);
  REQUIRE(created.ok());
  CHECK(created->generation == 1);
  CHECK(created->traits == std::vector<std::string>{"COMPUTE_STATUS_X", "HW_ARCH_X86_64"});
  CHECK(created->usages.at(kVcpu) == 0);

  p.inventories[kVcpu].total = 8;
  p.uuid = "ignored-because-the-name-exists";
  auto replaced = h->store().PutProvider(p);
  REQUIRE(replaced.ok());
  CHECK(replaced->uuid == created->uuid);
  CHECK(replaced->generation == 2);
  CHECK(replaced->inventories.at(kVcpu).total == 8);

  Provider clash = Host("cn2", 1);  // same uuid as cn1
  CHECK(h->store().PutProvider(clash).status().code() == absl::StatusCode::kAlreadyExists);

  REQUIRE(h->store().PutProvider(Host("cn0", 2)).ok());
  auto all = h->store().ListProviders("");
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "cn0");
  auto one = h->store().ListProviders("cn1");
  REQUIRE(one.ok());
  CHECK(one->size() == 1);
  CHECK(h->store().GetProvider("", "cn1")->uuid == created->uuid);
  CHECK(h->store().GetProvider("nope", "").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("a claim takes every class or nothing, within (total - reserved) x ratio") {
  auto h = NewStoreHolder();
  Provider p = Host("cn1", 1, 2, 1000, 10);
  p.inventories[kVcpu].allocation_ratio = 2.0;  // 4 VCPU claimable
  p.inventories[kVcpu].max_unit = 4;
  p.inventories[kMemoryMb].reserved = 200;  // 800 MB claimable
  REQUIRE(h->store().PutProvider(p).ok());

  auto ok = h->store().Claim(Req("c1", p, 3, 500, 5));
  REQUIRE(ok.ok());
  CHECK_FALSE(ok->already_claimed);
  CHECK(ok->provider_name == "cn1");

  // VCPU would fit (1 left), memory would not (300 left): nothing is taken.
  auto no = h->store().Claim(Req("c2", p, 1, 400, 1));
  CHECK(no.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK(Used(h->store(), p.uuid, kVcpu) == 3);
  CHECK(Used(h->store(), p.uuid, kMemoryMb) == 500);
  CHECK(Used(h->store(), p.uuid, kDiskGb) == 5);
  CHECK(h->store().GetAllocations("c2")->allocations.empty());

  CHECK(h->store().Claim(Req("c3", p, 1, 300, 5)).ok());  // exactly full
  CHECK(h->store().Claim(Req("c4", p, 1, 1, 0)).status().code() ==
        absl::StatusCode::kResourceExhausted);
  CHECK(h->store().Claim(Req("c5", Host("ghost", 99), 1, 1, 1)).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("unit rules: min_unit, max_unit and step_size are enforced") {
  auto h = NewStoreHolder();
  Provider p = Host("cn1", 1, 16, 4096, 100);
  p.inventories[kVcpu].max_unit = 4;
  p.inventories[kMemoryMb].step_size = 512;
  REQUIRE(h->store().PutProvider(p).ok());
  CHECK(h->store().Claim(Req("c1", p, 8, 512, 1)).status().code() ==
        absl::StatusCode::kResourceExhausted);
  CHECK(h->store().Claim(Req("c2", p, 2, 500, 1)).status().code() ==
        absl::StatusCode::kResourceExhausted);
  CHECK(h->store().Claim(Req("c3", p, 4, 1024, 1)).ok());
}

TEST_CASE("a claim is idempotent by its key, a new key replaces the earlier claim") {
  auto h = NewStoreHolder();
  Provider a = Host("cn-a", 1), b = Host("cn-b", 2);
  REQUIRE(h->store().PutProvider(a).ok());
  REQUIRE(h->store().PutProvider(b).ok());
  REQUIRE(h->store().Claim(Req("c1", a, 2, 1024, 10, "t/1")).ok());
  // Redelivery of the same task, even aimed at another host: reported, not taken again.
  auto again = h->store().Claim(Req("c1", b, 2, 1024, 10, "t/1"));
  REQUIRE(again.ok());
  CHECK(again->already_claimed);
  CHECK(again->provider_name == "cn-a");
  CHECK(Used(h->store(), a.uuid, kVcpu) == 2);
  CHECK(Used(h->store(), b.uuid, kVcpu) == 0);
  // A reschedule (next attempt) moves the claim: the failed host is released.
  auto moved = h->store().Claim(Req("c1", b, 2, 1024, 10, "t/2"));
  REQUIRE(moved.ok());
  CHECK_FALSE(moved->already_claimed);
  CHECK(Used(h->store(), a.uuid, kVcpu) == 0);
  CHECK(Used(h->store(), b.uuid, kVcpu) == 2);
  auto allocs = h->store().GetAllocations("c1");
  REQUIRE(allocs.ok());
  REQUIRE(allocs->allocations.size() == 1);
  CHECK(allocs->allocations[0].provider_name == "cn-b");
  CHECK(allocs->claim_key == "t/2");
  CHECK(allocs->project_id == "p1");
}

TEST_CASE("moves keep the source allocation, same-host resize adds to it") {
  auto h = NewStoreHolder();
  Provider a = Host("cn-a", 1, 8), b = Host("cn-b", 2, 8);
  REQUIRE(h->store().PutProvider(a).ok());
  REQUIRE(h->store().PutProvider(b).ok());
  REQUIRE(h->store().Claim(Req("c1", a, 2, 512, 5, "build")).ok());
  ClaimRequest resize = Req("c1", b, 4, 1024, 5, "resize/1");
  resize.keep_provider_uuid = a.uuid;
  REQUIRE(h->store().Claim(resize).ok());
  CHECK(Used(h->store(), a.uuid, kVcpu) == 2);
  CHECK(Used(h->store(), b.uuid, kVcpu) == 4);
  CHECK(h->store().GetAllocations("c1")->allocations.size() == 2);

  ClaimRequest same = Req("c2", a, 1, 256, 1, "build");
  REQUIRE(h->store().Claim(same).ok());
  ClaimRequest grow = Req("c2", a, 2, 512, 1, "resize/1");
  grow.keep_provider_uuid = a.uuid;
  REQUIRE(h->store().Claim(grow).ok());
  CHECK(Used(h->store(), a.uuid, kVcpu) == 5);
  auto allocs = h->store().GetAllocations("c2");
  REQUIRE(allocs->allocations.size() == 1);
  CHECK(allocs->allocations[0].resources.at(kVcpu) == 3);

  // Evacuate: no kept provider, the source allocation goes.
  REQUIRE(h->store().Claim(Req("c2", b, 1, 256, 1, "evacuate/1")).ok());
  CHECK(Used(h->store(), a.uuid, kVcpu) == 2);
  CHECK(Used(h->store(), b.uuid, kVcpu) == 5);
}

TEST_CASE("deleting, unclaiming and moving allocations keep usages exact") {
  auto h = NewStoreHolder();
  Provider a = Host("cn-a", 1, 8), b = Host("cn-b", 2, 8);
  REQUIRE(h->store().PutProvider(a).ok());
  REQUIRE(h->store().PutProvider(b).ok());
  REQUIRE(h->store().Claim(Req("c1", a, 2, 512, 5)).ok());
  ClaimRequest r = Req("c1", b, 3, 512, 5, "resize");
  r.keep_provider_uuid = a.uuid;
  REQUIRE(h->store().Claim(r).ok());

  CHECK(h->store().DeleteProvider(a.uuid).code() == absl::StatusCode::kFailedPrecondition);
  // Removing an inventory in use is refused.
  Provider shrink = a;
  shrink.inventories.erase(kDiskGb);
  CHECK(h->store().PutProvider(shrink).status().code() == absl::StatusCode::kFailedPrecondition);

  // Resize confirm bookkeeping: the source allocation goes to a migration consumer.
  REQUIRE(h->store().MoveAllocations("c1", "mig1", a.uuid).ok());
  CHECK(h->store().GetAllocations("mig1")->allocations.size() == 1);
  CHECK(h->store().GetAllocations("mig1")->project_id == "p1");
  CHECK(h->store().GetAllocations("c1")->allocations.size() == 1);
  CHECK(Used(h->store(), a.uuid, kVcpu) == 2);
  REQUIRE(h->store().DeleteAllocations("mig1", "").ok());
  CHECK(Used(h->store(), a.uuid, kVcpu) == 0);
  CHECK(h->store().GetAllocations("mig1")->generation == 0);  // forgotten

  REQUIRE(h->store().Unclaim("c1", b.uuid, {{kVcpu, 3}, {kMemoryMb, 512}, {kDiskGb, 5}}).ok());
  CHECK(Used(h->store(), b.uuid, kVcpu) == 0);
  CHECK(h->store().GetAllocations("c1")->allocations.empty());
  CHECK(h->store().DeleteAllocations("nobody", "").ok());
  CHECK(h->store().DeleteProvider(a.uuid).ok());
  CHECK(h->store().GetProvider(a.uuid, "").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("concurrent claims from two store handles never overcommit") {
  auto h = NewStoreHolder();
  std::vector<Provider> hosts;
  for (int i = 0; i < 20; ++i) {
    hosts.push_back(Host(absl::StrCat("cn", i), i + 1, 2, 4096, 100));
    hosts.back().inventories[kVcpu].allocation_ratio = 2.0;  // 4 claims of 1 VCPU
    REQUIRE(h->store().PutProvider(hosts.back()).ok());
  }
  // 200 requests for 1 VCPU over 20 hosts x 4: at most 80 succeed, and each host stops
  // at exactly 4 whatever the interleaving.
  std::atomic<int> next{0}, ok{0}, full{0}, other{0};
  absl::Mutex errors_mu;
  std::string first_error;  // what an unexpected failure said
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      PlacementStore& s = (t % 2 == 0) ? h->store() : h->other();
      for (int i = next++; i < 200; i = next++) {
        bool placed = false;
        for (int k = 0; k < 20 && !placed; ++k) {
          auto r = s.Claim(Req(absl::StrCat("c", i), hosts[(i + k) % 20], 1, 128, 1));
          if (r.ok()) {
            placed = true;
            ++ok;
          } else if (r.status().code() != absl::StatusCode::kResourceExhausted) {
            ++other;
            absl::MutexLock l(&errors_mu);
            if (first_error.empty()) first_error = r.status().ToString();
            break;
          }
        }
        if (!placed) ++full;
      }
    });
  }
  for (auto& t : threads) t.join();
  INFO(first_error);
  CHECK(other == 0);
  CHECK(ok == 80);
  CHECK(full == 120);
  for (const Provider& p : hosts) CHECK(Used(h->store(), p.uuid, kVcpu) == 4);
  for (int i = 0; i < 200; ++i)
    REQUIRE(h->store().DeleteAllocations(absl::StrCat("c", i), "").ok());
  for (const Provider& p : hosts) {
    CHECK(Used(h->store(), p.uuid, kVcpu) == 0);
    CHECK(Used(h->store(), p.uuid, kMemoryMb) == 0);
  }
}

TEST_CASE("hard anti-affinity holds under concurrent claims on one host") {
  auto h = NewStoreHolder();
  Provider a = Host("cn-a", 1, 64);
  REQUIRE(h->store().PutProvider(a).ok());
  GroupPolicy g{"g-anti", "anti-affinity", 2};
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      ClaimRequest r = Req(absl::StrCat("m", t), a, 1, 128, 1);
      r.group = g;
      auto res = (t % 2 ? h->other() : h->store()).Claim(r);
      if (res.ok()) ++ok;
      if (res.status().code() == absl::StatusCode::kFailedPrecondition) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 2);  // max_server_per_host
  CHECK(refused == 8);
  auto members = h->store().GroupMembers("g-anti");
  REQUIRE(members.ok());
  CHECK(members->at(a.uuid) == 2);
  CHECK(Used(h->store(), a.uuid, kVcpu) == 2);
}

TEST_CASE("hard affinity keeps members together, soft policies only record membership") {
  auto h = NewStoreHolder();
  Provider a = Host("cn-a", 1, 64), b = Host("cn-b", 2, 64);
  REQUIRE(h->store().PutProvider(a).ok());
  REQUIRE(h->store().PutProvider(b).ok());
  GroupPolicy g{"g-aff", "affinity", 0};
  ClaimRequest first = Req("m1", a, 1, 128, 1);
  first.group = g;
  REQUIRE(h->store().Claim(first).ok());
  ClaimRequest second = Req("m2", b, 1, 128, 1);
  second.group = g;
  CHECK(h->store().Claim(second).status().code() == absl::StatusCode::kFailedPrecondition);
  second.provider_uuid = a.uuid;
  CHECK(h->store().Claim(second).ok());

  GroupPolicy soft{"g-soft", "soft-anti-affinity", 0};
  ClaimRequest s1 = Req("s1", a, 1, 128, 1), s2 = Req("s2", a, 1, 128, 1);
  s1.group = soft;
  s2.group = soft;
  REQUIRE(h->store().Claim(s1).ok());
  REQUIRE(h->store().Claim(s2).ok());
  CHECK(h->store().GroupMembers("g-soft")->at(a.uuid) == 2);
  // Members leave with their allocations.
  REQUIRE(h->store().DeleteAllocations("s1", "").ok());
  CHECK(h->store().GroupMembers("g-soft")->at(a.uuid) == 1);
}

}  // namespace
}  // namespace gureum::scheduler::testing
