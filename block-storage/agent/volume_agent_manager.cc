#include "block-storage/agent/volume_agent_manager.h"

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::volume_agent {
namespace {

constexpr size_t kUploadChunk = 1 << 20;  // the image service's own chunk size

}  // namespace

VolumeAgentManager::VolumeAgentManager(std::string host, Deps deps)
    : host_(std::move(host)), deps_(std::move(deps)) {}

absl::StatusOr<VolumeDriver*> VolumeAgentManager::Driver(const std::string& backend) {
  auto it = deps_.backends.find(backend);
  if (it == deps_.backends.end()) {
    return absl::NotFoundError(
        absl::StrCat("the storage host ", host_, " has no backend named '", backend, "'"));
  }
  return it->second;
}

absl::StatusOr<VolumeInfo> VolumeAgentManager::CreateFromImage(VolumeDriver& driver,
                                                               const pb::CreateVolume& c) {
  if (deps_.images == nullptr) {
    return absl::FailedPreconditionError("this storage host cannot reach the image service");
  }
  const std::string& image_id = c.source().image_id();
  return driver.CreateFromImage(
      c.volume_id(), c.size_gb(), c.source().image_disk_format(), [&](const std::string& path) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        absl::Status s = deps_.images->Download(image_id, [&](const std::string& chunk) {
          out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          return out ? absl::OkStatus() : absl::InternalError("writing the image download failed");
        });
        out.close();
        if (s.ok() && !out) s = absl::InternalError("writing the image download failed");
        return s;
      });
}

absl::StatusOr<VolumeInfo> VolumeAgentManager::Create(const pb::CreateVolume& c, bool& bootable) {
  GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(c.backend()));
  const pb::VolumeSource& source = c.source();
  if (!source.snapshot_id().empty()) {
    return driver->CreateFromSnapshot(c.volume_id(), c.size_gb(), source.snapshot_id());
  }
  if (!source.source_volume_id().empty()) {
    return driver->CreateFromVolume(c.volume_id(), c.size_gb(), source.source_volume_id());
  }
  if (!source.image_id().empty()) {
    absl::StatusOr<VolumeInfo> v = CreateFromImage(*driver, c);
    bootable = v.ok();
    return v;
  }
  return driver->Create(c.volume_id(), c.size_gb());
}

absl::StatusOr<VolumeInfo> VolumeAgentManager::RunVolumeOp(const pb::VolumeCast& cast,
                                                           std::string& op, std::string& volume_id,
                                                           bool& bootable) {
  if (cast.has_create_volume()) {
    op = "create_volume";
    volume_id = cast.create_volume().volume_id();
    return Create(cast.create_volume(), bootable);
  }
  if (cast.has_delete_volume()) {
    op = "delete_volume";
    const pb::DeleteVolume& d = cast.delete_volume();
    volume_id = d.volume_id();
    GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(d.backend()));
    // Any export, serving or not: its state would otherwise outlive the volume.
    for (const ExportInfo& e : deps_.exporter.List()) {
      if (e.volume_id == d.volume_id()) {
        return absl::FailedPreconditionError("the volume is still exported to a compute host");
      }
    }
    GUREUM_RETURN_IF_ERROR(driver->Delete(d.volume_id()));
    return VolumeInfo{.id = d.volume_id()};
  }
  op = "extend_volume";
  const pb::ExtendVolume& e = cast.extend_volume();
  volume_id = e.volume_id();
  GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(e.backend()));
  std::unique_ptr<LiveImage> live = deps_.exporter.Live(e.volume_id());
  return driver->Extend(e.volume_id(), e.new_size_gb(), live.get());
}

absl::Status VolumeAgentManager::Upload(const pb::UploadVolume& u) {
  if (deps_.new_images == nullptr || deps_.scratch_dir.empty()) {
    return absl::FailedPreconditionError("this storage host cannot upload to the image service");
  }
  // Both ids end up in the scratch file's name: UUIDs only, never a path.
  GUREUM_RETURN_IF_ERROR(CheckId("volume", u.volume_id()));
  GUREUM_RETURN_IF_ERROR(CheckId("image", u.image_id()));
  if (u.disk_format() != "raw" && u.disk_format() != "qcow2") {
    return absl::FailedPreconditionError(
        absl::StrCat("a volume cannot be uploaded as disk format '", u.disk_format(), "'"));
  }
  GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(u.backend()));
  const std::string scratch =
      absl::StrCat(deps_.scratch_dir, "/", u.volume_id(), "-", u.image_id(), ".", u.disk_format());
  std::ifstream in;
  bool converted = false;
  // The first piece is asked for once the upload is open (the image is saving), so a
  // conversion that fails cancels the upload and the image service kills the image.
  block_storage::ChunkReader next = [&]() -> absl::StatusOr<std::string> {
    if (!converted) {
      GUREUM_RETURN_IF_ERROR(driver->CopyToFile(u.volume_id(), u.disk_format(), scratch));
      converted = true;
      in.open(scratch, std::ios::binary);
      if (!in) return absl::InternalError("cannot read " + scratch);
    }
    std::string piece(kUploadChunk, '\0');
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    if (in.bad()) return absl::InternalError("reading " + scratch + " failed");
    piece.resize(static_cast<size_t>(in.gcount()));
    return piece;
  };
  absl::StatusOr<compute::ImageInfo> image = deps_.new_images->Upload(u.image_id(), next);
  in.close();
  std::error_code ec;
  std::filesystem::remove(scratch, ec);
  GUREUM_RETURN_IF_ERROR(image.status());
  spdlog::info("volume {} uploaded to image {} as {}: {} bytes, md5 {}", u.volume_id(), image->id,
               u.disk_format(), image->size, image->checksum);
  return absl::OkStatus();
}

absl::Status VolumeAgentManager::RunSnapshotOp(const pb::VolumeCast& cast, std::string& op,
                                               std::string& snapshot_id) {
  const bool create = cast.has_create_snapshot();
  op = create ? "create_snapshot" : "delete_snapshot";
  const std::string& backend =
      create ? cast.create_snapshot().backend() : cast.delete_snapshot().backend();
  const std::string& volume_id =
      create ? cast.create_snapshot().volume_id() : cast.delete_snapshot().volume_id();
  snapshot_id =
      create ? cast.create_snapshot().snapshot_id() : cast.delete_snapshot().snapshot_id();
  GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(backend));
  // Through the export whenever there is one, whatever the cast believes (in_use).
  std::unique_ptr<LiveImage> live = deps_.exporter.Live(volume_id);
  return create ? driver->CreateSnapshot(volume_id, snapshot_id, live.get())
                : driver->DeleteSnapshot(volume_id, snapshot_id, live.get());
}

absl::StatusOr<ExportInfo> VolumeAgentManager::RunExportOp(const pb::VolumeCast& cast,
                                                           std::string& op,
                                                           std::string& attachment_id) {
  if (cast.has_unexport_volume()) {
    op = "unexport";
    attachment_id = cast.unexport_volume().attachment_id();
    GUREUM_RETURN_IF_ERROR(deps_.exporter.Unexport(attachment_id));
    return ExportInfo{.attachment_id = attachment_id};
  }
  op = "export";
  const pb::Export& e = cast.export_volume();
  attachment_id = e.attachment_id();
  GUREUM_ASSIGN_OR_RETURN(VolumeDriver * driver, Driver(e.backend()));
  GUREUM_ASSIGN_OR_RETURN(VolumeImage image, driver->Image(e.volume_id()));
  return deps_.exporter.Export({.attachment_id = e.attachment_id(),
                                .volume_id = e.volume_id(),
                                .image = image,
                                .read_only = e.read_only(),
                                .connector_ip = e.connector().ip()});
}

std::string VolumeAgentManager::UserError(const std::string& op, const absl::Status& status,
                                          bool& transient) {
  spdlog::error("{} failed: {}", op, status.ToString());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
      return std::string(status.message());
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
      transient = true;
      return absl::StrCat("the volume agent on ", host_, " could not reach a service it needs (",
                          op, ")");
    default:
      return absl::StrCat("the volume backend on ", host_, " failed (", op,
                          "); the volume agent's log has the details");
  }
}

namespace {

// The volume a cast works on (the new one for a create).
const std::string& VolumeOf(const pb::VolumeCast& cast) {
  switch (cast.op_case()) {
    case pb::VolumeCast::kCreateVolume:
      return cast.create_volume().volume_id();
    case pb::VolumeCast::kDeleteVolume:
      return cast.delete_volume().volume_id();
    case pb::VolumeCast::kExtendVolume:
      return cast.extend_volume().volume_id();
    case pb::VolumeCast::kCreateSnapshot:
      return cast.create_snapshot().volume_id();
    case pb::VolumeCast::kDeleteSnapshot:
      return cast.delete_snapshot().volume_id();
    case pb::VolumeCast::kExportVolume:
      return cast.export_volume().volume_id();
    case pb::VolumeCast::kUnexportVolume:
      return cast.unexport_volume().volume_id();
    case pb::VolumeCast::kUploadVolume:
      return cast.upload_volume().volume_id();
    default:
      return cast.task_id();
  }
}

}  // namespace

void VolumeAgentManager::LockVolume(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  auto free = [this, &volume_id]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return busy_.count(volume_id) == 0; };
  mu_.Await(absl::Condition(&free));
  busy_.insert(volume_id);
}

void VolumeAgentManager::UnlockVolume(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  busy_.erase(volume_id);
}

CastOutcome VolumeAgentManager::Handle(const pb::VolumeCast& cast) {
  const std::string volume_id = VolumeOf(cast);
  LockVolume(volume_id);
  CastOutcome out = HandleLocked(cast);
  UnlockVolume(volume_id);
  return out;
}

CastOutcome VolumeAgentManager::HandleLocked(const pb::VolumeCast& cast) {
  CastOutcome out;
  out.report.set_task_id(cast.task_id());
  std::string op, id;
  if (cast.has_create_volume() || cast.has_delete_volume() || cast.has_extend_volume()) {
    bool bootable = false;
    absl::StatusOr<VolumeInfo> v = RunVolumeOp(cast, op, id, bootable);
    pb::VolumeResult* r = out.report.mutable_volume();
    r->set_volume_id(id);
    r->set_op(op);
    r->set_outcome(v.ok() ? pb::OUTCOME_OK : pb::OUTCOME_ERROR);
    if (v.ok()) r->set_size_gb(v->size_gb);
    if (v.ok()) r->set_bootable(bootable);
    if (!v.ok()) r->set_error(UserError(op, v.status(), out.transient));
  } else if (cast.has_upload_volume()) {
    op = "upload_volume";
    absl::Status s = Upload(cast.upload_volume());
    pb::VolumeResult* r = out.report.mutable_volume();
    r->set_volume_id(cast.upload_volume().volume_id());
    r->set_op(op);
    r->set_outcome(s.ok() ? pb::OUTCOME_OK : pb::OUTCOME_ERROR);
    if (!s.ok()) r->set_error(UserError(op, s, out.transient));
  } else if (cast.has_create_snapshot() || cast.has_delete_snapshot()) {
    absl::Status s = RunSnapshotOp(cast, op, id);
    pb::SnapshotResult* r = out.report.mutable_snapshot();
    r->set_snapshot_id(id);
    r->set_op(op);
    r->set_outcome(s.ok() ? pb::OUTCOME_OK : pb::OUTCOME_ERROR);
    if (!s.ok()) r->set_error(UserError(op, s, out.transient));
  } else if (cast.has_export_volume() || cast.has_unexport_volume()) {
    absl::StatusOr<ExportInfo> e = RunExportOp(cast, op, id);
    pb::ExportResult* r = out.report.mutable_export_result();
    r->set_attachment_id(id);
    r->set_op(op);
    r->set_outcome(e.ok() ? pb::OUTCOME_OK : pb::OUTCOME_ERROR);
    if (!e.ok()) r->set_error(UserError(op, e.status(), out.transient));
    if (e.ok() && op == "export") {
      pb::ConnectionInfo* c = r->mutable_connection_info();
      c->set_protocol("nbd");
      c->set_host(e->host);
      c->set_port(e->port);
      c->set_export_name(e->export_name);
      c->set_format("raw");
      c->set_read_only(e->read_only);
    }
  }
  return out;
}

std::vector<pb::BackendReport> VolumeAgentManager::BackendReports(const std::string& az) {
  std::vector<pb::BackendReport> reports;
  for (const auto& [name, driver] : deps_.backends) {
    absl::StatusOr<Capacity> capacity = driver->GetCapacity();
    absl::StatusOr<std::vector<VolumeInfo>> volumes = driver->ListVolumes();
    if (!capacity.ok() || !volumes.ok()) {
      // No report is better than a wrong one: the API then sees the backend go down.
      spdlog::error("backend {}: {}", name,
                    (capacity.ok() ? volumes.status() : capacity.status()).ToString());
      continue;
    }
    pb::BackendReport& r = reports.emplace_back();
    r.set_host(host_);
    r.set_backend(name);
    r.set_driver(driver->Kind());
    r.set_total_gb(capacity->total_gb);
    r.set_free_gb(capacity->free_gb);
    r.set_availability_zone(az);
    for (const VolumeInfo& v : *volumes) {
      r.add_volume_ids(v.id);
      for (const std::string& s : v.snapshot_ids) r.add_volume_ids(s);
    }
  }
  return reports;
}

}  // namespace gureum::volume_agent
