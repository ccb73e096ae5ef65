#include "block-storage/api/volume_casts.h"

#include "absl/strings/str_cat.h"

#include "block_storage.pb.h"

namespace gureum::block_storage {

namespace pb = ::gureum::block_storage::v1;

std::string HostOfBackend(const std::string& backend_key) {
  return backend_key.substr(0, backend_key.find('@'));
}

std::string BackendName(const std::string& backend_key) {
  size_t at = backend_key.find('@');
  return at == std::string::npos ? "" : backend_key.substr(at + 1);
}

template <typename Fill>
absl::StatusOr<std::string> VolumeCasts::Send(const std::string& backend_key, Fill fill) {
  if (backend_key.empty()) return absl::FailedPreconditionError("the volume has no backend");
  pb::VolumeCast cast;
  cast.set_task_id(ids_.NewUuid());
  fill(cast);
  amqp::Message message;
  message.body = cast.SerializeAsString();
  message.content_type = "application/x-protobuf";
  absl::Status sent = bus_.Cast(absl::StrCat("volume.", HostOfBackend(backend_key)), message);
  if (!sent.ok()) return sent;
  return cast.task_id();
}

absl::StatusOr<std::string> VolumeCasts::Create(const Volume& volume, const VolumeOrigin& origin) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::CreateVolume* op = cast.mutable_create_volume();
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
    op->set_size_gb(volume.size_gb);
    op->mutable_source()->set_snapshot_id(origin.snapshot_id);
    op->mutable_source()->set_source_volume_id(origin.source_volume_id);
    op->mutable_source()->set_image_id(origin.image_id);
    op->mutable_source()->set_image_disk_format(origin.image_disk_format);
  });
}

absl::StatusOr<std::string> VolumeCasts::Delete(const Volume& volume) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    cast.mutable_delete_volume()->set_volume_id(volume.id);
    cast.mutable_delete_volume()->set_backend(BackendName(volume.backend_key));
  });
}

absl::StatusOr<std::string> VolumeCasts::Extend(const Volume& volume, int64_t new_size_gb) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::ExtendVolume* op = cast.mutable_extend_volume();
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
    op->set_new_size_gb(new_size_gb);
  });
}

absl::StatusOr<std::string> VolumeCasts::CreateSnapshot(const Snapshot& snapshot,
                                                        const Volume& volume, bool in_use) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::CreateSnapshot* op = cast.mutable_create_snapshot();
    op->set_snapshot_id(snapshot.id);
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
    op->set_in_use(in_use);
  });
}

absl::StatusOr<std::string> VolumeCasts::DeleteSnapshot(const Snapshot& snapshot,
                                                        const Volume& volume) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::DeleteSnapshot* op = cast.mutable_delete_snapshot();
    op->set_snapshot_id(snapshot.id);
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
  });
}

absl::StatusOr<std::string> VolumeCasts::Export(const Attachment& attachment,
                                                const Volume& volume) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::Export* op = cast.mutable_export_volume();
    op->set_attachment_id(attachment.id);
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
    op->mutable_connector()->set_host(attachment.connector_host);
    op->mutable_connector()->set_ip(attachment.connector_ip);
    op->set_read_only(attachment.mode == "ro" || volume.read_only);
  });
}

absl::StatusOr<std::string> VolumeCasts::Unexport(const Attachment& attachment,
                                                  const Volume& volume) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::Unexport* op = cast.mutable_unexport_volume();
    op->set_attachment_id(attachment.id);
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
  });
}

absl::StatusOr<std::string> VolumeCasts::Upload(const Volume& volume, const std::string& image_id,
                                                const std::string& disk_format, bool in_use) {
  return Send(volume.backend_key, [&](pb::VolumeCast& cast) {
    pb::UploadVolume* op = cast.mutable_upload_volume();
    op->set_volume_id(volume.id);
    op->set_backend(BackendName(volume.backend_key));
    op->set_image_id(image_id);
    op->set_disk_format(disk_format);
    op->set_in_use(in_use);
  });
}

}  // namespace gureum::block_storage
