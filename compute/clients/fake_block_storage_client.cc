#include "compute/clients/fake_block_storage_client.h"

#include "absl/strings/str_cat.h"

namespace gureum::compute {

void FakeBlockStorageClient::AddVolume(const std::string& id, const std::string& project_id,
                                       int64_t size_gb) {
  absl::MutexLock l(&mu_);
  volumes_[id] = VolumeInfo{.id = id,
                            .name = id,
                            .status = "available",
                            .size_gb = size_gb,
                            .project_id = project_id,
                            .bootable = true};
}

void FakeBlockStorageClient::SetBootable(const std::string& id, bool bootable) {
  absl::MutexLock l(&mu_);
  volumes_.at(id).bootable = bootable;
}

void FakeBlockStorageClient::SetVolumeStatus(const std::string& id, const std::string& status) {
  absl::MutexLock l(&mu_);
  volumes_.at(id).status = status;
}

void FakeBlockStorageClient::SetCreatedStatus(const std::string& status) {
  absl::MutexLock l(&mu_);
  created_status_ = status;
}

void FakeBlockStorageClient::SetImageMetadata(const std::string& image_id,
                                              std::map<std::string, std::string> meta) {
  absl::MutexLock l(&mu_);
  image_metadata_[image_id] = std::move(meta);
}

absl::StatusOr<VolumeInfo> FakeBlockStorageClient::CreateVolume(const std::string& token,
                                                                const NewVolume& volume) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("CreateVolume", token); !s.ok()) return s;
  VolumeInfo v{.id = absl::StrCat("vol-", next_id_++),
               .name = volume.name,
               .status = created_status_,
               .size_gb = volume.size_gb,
               .project_id = "p1",
               .bootable = !volume.image_id.empty(),
               .image_id = volume.image_id};
  if (auto it = image_metadata_.find(volume.image_id); it != image_metadata_.end()) {
    v.image_metadata = it->second;
  }
  volumes_[v.id] = v;
  return v;
}

absl::Status FakeBlockStorageClient::DeleteVolume(const std::string& token,
                                                  const std::string& volume_id) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("DeleteVolume", token); !s.ok()) return s;
  auto it = volumes_.find(volume_id);
  if (it == volumes_.end()) {
    return absl::NotFoundError("Volume " + volume_id + " could not be found.");
  }
  if (it->second.status != "available" && it->second.status != "error") {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid volume: Volume status must be available or error, but current "
                     "status is: ",
                     it->second.status, "."));
  }
  volumes_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<VolumeInfo> FakeBlockStorageClient::volume(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = volumes_.find(id);
  if (it == volumes_.end()) return absl::NotFoundError("Volume " + id + " could not be found.");
  return it->second;
}

std::vector<Attachment> FakeBlockStorageClient::attachments() {
  absl::MutexLock l(&mu_);
  std::vector<Attachment> out;
  for (const auto& [id, a] : attachments_) out.push_back(a);
  return out;
}

void FakeBlockStorageClient::FailNext(const std::string& call, absl::Status status) {
  absl::MutexLock l(&mu_);
  failures_.emplace_back(call, std::move(status));
}

std::vector<std::string> FakeBlockStorageClient::calls() {
  absl::MutexLock l(&mu_);
  return calls_;
}

absl::Status FakeBlockStorageClient::Enter(const std::string& call, const std::string& token) {
  calls_.push_back(absl::StrCat(call, " ", token));
  for (auto it = failures_.begin(); it != failures_.end(); ++it) {
    if (it->first != call) continue;
    absl::Status s = std::move(it->second);
    failures_.erase(it);
    return s;
  }
  return absl::OkStatus();
}

void FakeBlockStorageClient::Export(Attachment& a, const VolumeConnector& connector) {
  a.host = connector.host;
  a.status = "attaching";
  a.connection_info = ConnectionInfo{
      .protocol = "nbd", .host = "127.0.0.1", .port = 10809, .export_name = "export-" + a.id};
}

// The volume's status and attachment list follow its attachments, as Cinder's do.
void FakeBlockStorageClient::RefreshVolume(const std::string& volume_id) {
  VolumeInfo& v = volumes_.at(volume_id);
  v.attachments.clear();
  bool attached = false;
  for (const auto& [id, a] : attachments_) {
    if (a.volume_id != volume_id) continue;
    v.attachments.push_back(a);
    attached = attached || a.status == "attached";
  }
  if (v.attachments.empty()) {
    v.status = "available";
  } else if (attached) {
    v.status = "in-use";
  } else {
    v.status = v.attachments.back().status == "attaching" ? "attaching" : "reserved";
  }
}

absl::StatusOr<VolumeInfo> FakeBlockStorageClient::GetVolume(const std::string& token,
                                                             const std::string& volume_id) {
  {
    absl::MutexLock l(&mu_);
    if (absl::Status s = Enter("GetVolume", token); !s.ok()) return s;
  }
  return volume(volume_id);
}

absl::StatusOr<Attachment> FakeBlockStorageClient::CreateAttachment(
    const std::string& token, const std::string& volume_id, const std::string& instance_uuid,
    const VolumeConnector* connector) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("CreateAttachment", token); !s.ok()) return s;
  auto v = volumes_.find(volume_id);
  if (v == volumes_.end()) {
    return absl::NotFoundError("Volume " + volume_id + " could not be found.");
  }
  if (v->second.status != "available" && !(v->second.multiattach && v->second.status == "in-use")) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", volume_id,
                                                   " status must be available or downloading"));
  }
  Attachment a{.id = absl::StrCat("att-", next_id_++),
               .volume_id = volume_id,
               .instance_uuid = instance_uuid,
               .status = "reserved",
               .attach_mode = "rw"};
  if (connector != nullptr) Export(a, *connector);
  attachments_[a.id] = a;
  RefreshVolume(volume_id);
  return a;
}

absl::StatusOr<Attachment> FakeBlockStorageClient::UpdateAttachment(
    const std::string& token, const std::string& attachment_id, const VolumeConnector& connector) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("UpdateAttachment", token); !s.ok()) return s;
  auto it = attachments_.find(attachment_id);
  if (it == attachments_.end()) {
    return absl::NotFoundError("Attachment " + attachment_id + " could not be found.");
  }
  if (it->second.status != "attached") Export(it->second, connector);
  RefreshVolume(it->second.volume_id);
  return it->second;
}

absl::Status FakeBlockStorageClient::CompleteAttachment(const std::string& token,
                                                        const std::string& attachment_id,
                                                        const std::string& mountpoint) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("CompleteAttachment", token); !s.ok()) return s;
  auto it = attachments_.find(attachment_id);
  if (it == attachments_.end()) {
    return absl::NotFoundError("Attachment " + attachment_id + " could not be found.");
  }
  it->second.status = "attached";
  it->second.mountpoint = mountpoint;
  RefreshVolume(it->second.volume_id);
  return absl::OkStatus();
}

absl::Status FakeBlockStorageClient::DeleteAttachment(const std::string& token,
                                                      const std::string& attachment_id) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Enter("DeleteAttachment", token); !s.ok()) return s;
  auto it = attachments_.find(attachment_id);
  if (it == attachments_.end()) {
    return absl::NotFoundError("Attachment " + attachment_id + " could not be found.");
  }
  std::string volume_id = it->second.volume_id;
  attachments_.erase(it);
  RefreshVolume(volume_id);
  return absl::OkStatus();
}

}  // namespace gureum::compute
