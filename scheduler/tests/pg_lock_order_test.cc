// PostgreSQL only: every change of a provider's usage queues on the provider's row first
// (migrations/0003_claim_lock_order.sql). Concurrent claims used to lock inventory rows
// in the order their UPDATE scanned them, and deadlocked (97 times in one CI run of the
// "concurrent claims" contract case). Here another transaction holds the provider's row
// (FOR NO KEY UPDATE, which foreign-key checks do not wait for), and each operation that
// changes usage must wait for it instead of going ahead on the inventory rows.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "scheduler/migrations/migrations.h"
#include "scheduler/pg_placement_store.h"

namespace gureum::scheduler {
namespace {

Provider Host() {
  Provider p;
  p.uuid = "00000000-0000-4000-8000-00000000a001";
  p.name = "lock-host";
  for (const char* rc : {kVcpu, kMemoryMb, kDiskGb}) {
    Inventory inv;
    inv.resource_class = rc;
    inv.total = 1000;
    inv.max_unit = 1000;
    p.inventories[rc] = inv;
  }
  return p;
}

ClaimRequest Req(const std::string& consumer, const std::string& key) {
  ClaimRequest r;
  r.consumer_uuid = consumer;
  r.project_id = "p1";
  r.user_id = "u1";
  r.provider_uuid = Host().uuid;
  r.resources = {{kVcpu, 1}, {kMemoryMb, 64}, {kDiskGb, 1}};
  r.claim_key = key;
  return r;
}

// Runs `op` while another transaction holds the provider's row: `op` must not finish
// while the row is held (it is given 400 ms), and must succeed once it is released.
void MustWaitForProvider(db::ConnectionPool& pool, const std::function<absl::Status()>& op) {
  absl::Notification locked, release;
  std::thread holder([&] {
    absl::Status s = pool.Transact([&](db::Tx& tx) -> absl::Status {
      auto r = tx.Exec("SELECT id FROM resource_providers WHERE uuid = $1 FOR NO KEY UPDATE",
                       {Host().uuid});
      if (!r.ok()) return r.status();
      locked.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    });
    CHECK(s.ok());
  });
  locked.WaitForNotification();
  std::atomic<bool> done{false};
  absl::Status result;
  std::thread worker([&] {
    result = op();
    done = true;
  });
  absl::SleepFor(absl::Milliseconds(400));
  const bool finished_while_held = done;
  release.Notify();
  holder.join();
  worker.join();
  CHECK_FALSE(finished_while_held);
  CHECK(result.ok());
}

TEST_CASE("claims, unclaims and deletes of allocations queue on the provider's row") {
  db::testing::TestDatabase db;
  auto pool = db.NewPool(4);
  REQUIRE(db::Migrate(*pool, Migrations()).ok());
  auto store = NewPgPlacementStore(*pool);
  REQUIRE(store->PutProvider(Host()).ok());

  SECTION("a first claim (the claim function)") {
    MustWaitForProvider(*pool, [&] { return store->Claim(Req("c1", "k1")).status(); });
  }
  SECTION("a claim with a new key (the general path)") {
    REQUIRE(store->Claim(Req("c1", "k1")).ok());
    MustWaitForProvider(*pool, [&] { return store->Claim(Req("c1", "k2")).status(); });
  }
  SECTION("an unclaim") {
    REQUIRE(store->Claim(Req("c1", "k1")).ok());
    MustWaitForProvider(*pool, [&] {
      return store->Unclaim("c1", Host().uuid, {{kVcpu, 1}, {kMemoryMb, 64}, {kDiskGb, 1}});
    });
  }
  SECTION("deleting the allocations") {
    REQUIRE(store->Claim(Req("c1", "k1")).ok());
    MustWaitForProvider(*pool, [&] { return store->DeleteAllocations("c1", ""); });
  }
}

}  // namespace
}  // namespace gureum::scheduler
