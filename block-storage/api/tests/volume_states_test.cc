#include "block-storage/api/volume_states.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"

namespace gureum::block_storage {
namespace {

bool Allows(VolumeAction a, const std::string& status) {
  for (const std::string& s : AllowedFrom(a)) {
    if (s == status) return true;
  }
  return false;
}

TEST_CASE("Cinder's status machine: what each action accepts") {
  CHECK(Allows(VolumeAction::kDelete, "available"));
  CHECK(Allows(VolumeAction::kDelete, "error"));
  CHECK_FALSE(Allows(VolumeAction::kDelete, "in-use"));
  CHECK_FALSE(Allows(VolumeAction::kDelete, "creating"));
  CHECK_FALSE(Allows(VolumeAction::kForceDelete, "in-use"));
  CHECK(Allows(VolumeAction::kForceDelete, "creating"));
  CHECK(Allows(VolumeAction::kForceDelete, "attaching"));  // an os-reserve left behind
  CHECK_FALSE(Allows(VolumeAction::kExtend, "in-use"));
  CHECK(Allows(VolumeAction::kExtendInUse, "in-use"));
  CHECK_FALSE(Allows(VolumeAction::kSnapshot, "in-use"));
  CHECK(Allows(VolumeAction::kSnapshotForce, "in-use"));
  CHECK_FALSE(Allows(VolumeAction::kReserve, "error"));
  CHECK(StatusDuring(VolumeAction::kReserve, "available") == "reserved");
  CHECK(StatusDuring(VolumeAction::kReserve, "in-use") == "in-use");
  CHECK(StatusDuring(VolumeAction::kExtend, "available") == "extending");
  CHECK(StatusDuring(VolumeAction::kSnapshot, "available") == "available");
}

TEST_CASE("a refused action is a 400 naming the statuses and the current one") {
  absl::Status s = Refused(VolumeAction::kDelete, "in-use");
  CHECK(absl::IsInvalidArgument(s));
  CHECK(absl::StrContains(s.message(), "available"));
  CHECK(absl::StrContains(s.message(), "in-use"));
  CHECK(IsVolumeStatus("error_deleting"));
  CHECK_FALSE(IsVolumeStatus("gone"));
  CHECK(IsSnapshotStatus("available"));
  CHECK_FALSE(IsSnapshotStatus("in-use"));
}

}  // namespace
}  // namespace gureum::block_storage
