// FakeComputeStore: volume attachments (PostgreSQL: pg_volume_store.cc).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "compute/api/fake_compute_store.h"

namespace gureum::compute {

absl::Status FakeComputeStore::CreateVolumeAttachment(const VolumeAttachment& a) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (!instances_.count(a.instance_uuid)) {
    return absl::NotFoundError("Instance " + a.instance_uuid + " could not be found.");
  }
  auto key = std::make_pair(a.instance_uuid, a.volume_id);
  bool taken = volume_attachments_.count(key) > 0;
  for (const auto& [k, v] : volume_attachments_)
    taken = taken || (!a.attachment_id.empty() && v.attachment_id == a.attachment_id);
  if (taken) {
    return absl::AlreadyExistsError(absl::StrCat(
        "Volume ", a.volume_id, " is already attached to instance ", a.instance_uuid, "."));
  }
  VolumeAttachment row = a;
  row.created_at = row.updated_at = clock_.Now();
  volume_attachments_[key] = row;
  return absl::OkStatus();
}

absl::StatusOr<VolumeAttachment> FakeComputeStore::GetVolumeAttachment(
    const std::string& instance_uuid, const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = volume_attachments_.find({instance_uuid, volume_id});
  if (it == volume_attachments_.end()) {
    return absl::NotFoundError(
        absl::StrCat("Volume ", volume_id, " is not attached to instance ", instance_uuid, "."));
  }
  return it->second;
}

absl::StatusOr<std::vector<VolumeAttachment>> FakeComputeStore::ListVolumeAttachments(
    const std::string& instance_uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<VolumeAttachment> out;
  for (const auto& [key, a] : volume_attachments_) {
    if (key.first == instance_uuid) out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.created_at, x.volume_id) < std::tie(y.created_at, y.volume_id);
  });
  return out;
}

absl::StatusOr<VolumeAttachment> FakeComputeStore::UpdateVolumeAttachment(
    const std::string& attachment_id, const std::vector<std::string>& expected,
    const std::string& status, const std::string& device) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto& [key, a] : volume_attachments_) {
    if (attachment_id.empty() || a.attachment_id != attachment_id) continue;
    if (!expected.empty() &&
        std::find(expected.begin(), expected.end(), a.status) == expected.end()) {
      return absl::FailedPreconditionError(absl::StrCat("Volume ", a.volume_id, " is ", a.status,
                                                        ", not ", absl::StrJoin(expected, " or "),
                                                        "."));
    }
    a.status = status;
    if (!device.empty()) a.device = device;
    a.updated_at = clock_.Now();
    return a;
  }
  return absl::NotFoundError("Volume attachment " + attachment_id + " could not be found.");
}

absl::Status FakeComputeStore::DeleteVolumeAttachment(const std::string& attachment_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto it = volume_attachments_.begin(); it != volume_attachments_.end(); ++it) {
    if (!attachment_id.empty() && it->second.attachment_id == attachment_id) {
      volume_attachments_.erase(it);
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("Volume attachment " + attachment_id + " could not be found.");
}

absl::StatusOr<VolumeAttachment> FakeComputeStore::SetVolumeAttachmentId(
    const std::string& instance_uuid, const std::string& volume_id,
    const std::string& attachment_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = volume_attachments_.find({instance_uuid, volume_id});
  if (it == volume_attachments_.end()) {
    return absl::NotFoundError(
        absl::StrCat("Volume ", volume_id, " is not attached to instance ", instance_uuid, "."));
  }
  VolumeAttachment& a = it->second;
  if (!a.attachment_id.empty() && a.attachment_id != attachment_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("Volume ", volume_id, " has attachment ", a.attachment_id, " already."));
  }
  for (const auto& [key, other] : volume_attachments_) {
    if (key != it->first && other.attachment_id == attachment_id) {
      return absl::AlreadyExistsError("Volume attachment " + attachment_id + " is taken.");
    }
  }
  a.attachment_id = attachment_id;
  a.updated_at = clock_.Now();
  return a;
}

}  // namespace gureum::compute
