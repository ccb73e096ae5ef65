// Concurrency on the PostgreSQL store (block_storage_store_pg_test only): claims on one
// backend never overcommit it, and of concurrent guarded changes of one volume exactly one
// wins; concurrent creates within a quota never exceed it.
#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "block-storage/api/tests/store_holder.h"

namespace gureum::block_storage::testing {
namespace {

constexpr int kThreads = 8;

void RunThreads(const std::function<void(int)>& fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(fn, i);
  for (std::thread& t : threads) t.join();
}

TEST_CASE("store concurrency: claims on one backend never exceed its capacity") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  Backend b;
  b.key = "h1@file";
  b.host = "h1";
  b.backend = "file";
  b.total_gb = 10;
  b.updated_at = kT0;
  REQUIRE(s.ReportBackend(b).ok());
  for (int i = 0; i < kThreads; ++i) {
    REQUIRE(s.CreateVolume(MakeVolume(absl::StrCat("v", i), "p1", 3), {}).ok());
  }
  std::atomic<int> won{0}, full{0};
  RunThreads([&](int i) {
    absl::Status st = s.ClaimBackend(absl::StrCat("v", i), "h1@file", 10, kT0);
    if (st.ok()) ++won;
    if (absl::IsResourceExhausted(st)) ++full;
  });
  CHECK(won == 3);
  CHECK(full == kThreads - 3);
  CHECK(s.ListBackends()->at(0).allocated_gb == 9);
}

TEST_CASE("store concurrency: of concurrent changes from available, exactly one wins") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1"), {}).ok());
  std::atomic<int> won{0}, refused{0};
  RunThreads([&](int i) {
    VolumeChange c;
    c.from = {"available"};
    c.status = i % 2 ? "deleting" : "extending";
    c.task_id = absl::StrCat("t", i);
    auto st = s.ChangeVolume("v1", c, kT0);
    if (st.ok()) ++won;
    if (absl::IsFailedPrecondition(st.status())) ++refused;
  });
  CHECK(won == 1);
  CHECK(refused == kThreads - 1);
}

TEST_CASE("store concurrency: concurrent creates never exceed the volumes quota") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  std::atomic<int> won{0}, over{0};
  RunThreads([&](int i) {
    absl::Status st = s.CreateVolume(MakeVolume(absl::StrCat("v", i), "p1"), {{"volumes", 3}});
    if (st.ok()) ++won;
    if (absl::IsResourceExhausted(st)) ++over;
  });
  CHECK(won == 3);
  CHECK(over == kThreads - 3);
  CHECK(s.GetUsage("p1")->at("volumes") == 3);
}

}  // namespace
}  // namespace gureum::block_storage::testing
