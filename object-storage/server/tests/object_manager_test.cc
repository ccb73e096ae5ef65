#include "object-storage/server/object_manager.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/testing/test_env.h"

namespace gureum::object {
namespace {

// Holds every Send until released, counting them.
class HeldListings final : public ListingClient {
 public:
  absl::Status Send(const ListingUpdate& u) override {
    {
      absl::MutexLock lock(&mu_);
      ++sends_;
    }
    if (hold_) release_.WaitForNotification();
    return absl::OkStatus();
  }
  int sends() {
    absl::MutexLock lock(&mu_);
    return sends_;
  }
  void AwaitFirstSend() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* sends) { return *sends > 0; }, &sends_));
  }
  std::atomic<bool> hold_{true};
  absl::Notification release_;

 private:
  absl::Mutex mu_;
  int sends_ ABSL_GUARDED_BY(mu_) = 0;
};

absl::Status Put(ObjectManager& objects, ObjectFiles& files, const ObjectLocation& where) {
  auto writer = files.Create(where);
  if (!writer.ok()) return writer.status();
  if (absl::Status s = (*writer)->Append("x", 1); !s.ok()) return s;
  ObjectMeta meta;
  meta.timestamp = *Timestamp::Parse("100.00000");
  meta.content_type = "text/plain";
  return objects.FinishPut(where, **writer, meta, ListingTarget{"127.0.0.9:1", "d1", "3"});
}

TEST_CASE("object manager: past max_waiting, a listing update is kept for the updater",
          "[object]") {
  const auto root = std::filesystem::temp_directory_path() / testing::UniqueName("objmgr");
  std::filesystem::create_directories(root / "d1");
  ObjectFiles files(root.string());
  HeldListings listings;
  AsyncPending pending(root.string(), listings);
  FakeClock clock;
  ObjectManager objects(files, listings, pending, clock, /*max_waiting=*/1);

  // One PUT waits for its update (held by the container's server)...
  absl::Status first;
  std::thread waiting([&] { first = Put(objects, files, {"d1", 7, "/a/c/one"}); });
  listings.AwaitFirstSend();
  // ... so the next one does not wait: its update goes to the async pendings.
  REQUIRE(Put(objects, files, {"d1", 7, "/a/c/two"}).ok());
  CHECK(listings.sends() == 1);
  int kept = 0;
  for ([[maybe_unused]] auto& e :
       std::filesystem::directory_iterator(root / "d1" / "async_pending"))
    ++kept;
  CHECK(kept == 1);

  listings.release_.Notify();
  waiting.join();
  CHECK(first.ok());
  // The updater sends the kept one.
  listings.hold_ = false;
  absl::StatusOr<int> left = pending.SendAll();
  REQUIRE(left.ok());
  CHECK(*left == 0);
  CHECK(listings.sends() == 2);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace gureum::object
