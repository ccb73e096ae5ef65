// What only the fake has: FailNext, the fault a test injects into the next call.
#include <catch2/catch.hpp>

#include "block-storage/api/fake_block_storage_store.h"
#include "block-storage/api/tests/store_holder.h"

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("fake store: FailNext fails the next call only, which changes nothing") {
  FakeBlockStorageStore s;
  s.FailNext(absl::UnavailableError("database down"));
  CHECK(s.CreateVolume(MakeVolume("v1", "p1"), {}) == absl::UnavailableError("database down"));
  CHECK(absl::IsNotFound(s.GetVolume("v1").status()));
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1"), {}).ok());
  s.FailNext(absl::AbortedError("conflict"));
  VolumeChange c;
  c.status = "deleting";
  CHECK(s.ChangeVolume("v1", c, kT0).status() == absl::AbortedError("conflict"));
  CHECK(s.GetVolume("v1")->status == "available");
  s.FailNext(absl::InternalError("x"));
  CHECK(absl::IsInternal(s.ListBackends().status()));
  CHECK(s.ListBackends().ok());
}

}  // namespace
}  // namespace gureum::block_storage::testing
