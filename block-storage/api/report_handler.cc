#include "block-storage/api/report_handler.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "block-storage/api/volume_states.h"
#include "common/status/macros.h"

#include "block_storage.pb.h"

namespace gureum::block_storage {
namespace {

namespace pb = ::gureum::block_storage::v1;
namespace vs = volume_status;
namespace ss = snapshot_status;

// A report for an object that moved on (or is gone) is done, not a failure.
absl::Status Applied(const absl::Status& status) {
  if (status.ok() || absl::IsNotFound(status) || absl::IsFailedPrecondition(status)) {
    return absl::OkStatus();
  }
  return status;
}

ConnectionInfo FromProto(const pb::ConnectionInfo& p) {
  ConnectionInfo c;
  c.protocol = p.protocol();
  c.host = p.host();
  c.port = p.port();
  c.export_name = p.export_name();
  c.path = p.path();
  c.format = p.format();
  c.read_only = p.read_only();
  return c;
}

// Where an upload returns the volume: the status it left (available or in-use).
std::string PreviousOrAvailable(const Volume& v) {
  return v.previous_status.empty() ? std::string(vs::kAvailable) : v.previous_status;
}

}  // namespace

namespace {

// Cinder's extend of an attached volume: each server it is attached to hears
// volume-extended, so compute grows the disk in the running guest. A failure is logged,
// never retried: the volume did grow (Cinder does the same).
void TellCompute(const ManagerDeps& deps, const std::string& volume_id) {
  if (deps.compute == nullptr) {
    spdlog::warn(
        "volume {} grew while attached, but no compute is configured "
        "([block_storage] compute_grpc): its guests see the new size only later",
        volume_id);
    return;
  }
  absl::StatusOr<std::vector<Attachment>> all = deps.store.ListAttachments("", volume_id, "");
  if (!all.ok()) {
    spdlog::warn("volume {} grew; its attachments: {}", volume_id, all.status().ToString());
    return;
  }
  for (const Attachment& a : *all) {
    if (a.instance_uuid.empty() || a.status != attachment_status::kAttached) continue;
    absl::Status s = deps.compute->VolumeExtended(a.instance_uuid, volume_id);
    if (!s.ok()) {
      spdlog::warn("volume {} grew; telling compute of server {}: {}", volume_id, a.instance_uuid,
                   s.ToString());
    }
  }
}

absl::Status ApplyVolume(const ManagerDeps& deps, const pb::VolumeResult& r) {
  const absl::Time now = deps.clock.Now();
  const bool ok = r.outcome() == pb::OUTCOME_OK;
  if (!ok) spdlog::warn("volume {}: the agent failed {}: {}", r.volume_id(), r.op(), r.error());
  if (r.op() == "create_volume") {
    VolumeChange c{.from = {vs::kCreating}, .status = ok ? vs::kAvailable : vs::kError};
    if (ok && r.size_gb() > 0) c.size_gb = r.size_gb();
    if (ok && r.bootable()) c.bootable = true;
    c.error = ok ? "" : r.error();
    absl::StatusOr<Volume> v = deps.store.ChangeVolume(r.volume_id(), c, now);
    if (v.ok()) NotifyVolume(deps, ok ? "volume.create.end" : "volume.create.error", *v);
    return Applied(v.status());
  }
  if (r.op() == "delete_volume") {
    GUREUM_ASSIGN_OR_RETURN(Volume v, deps.store.GetVolume(r.volume_id()));
    if (v.status != vs::kDeleting) return absl::OkStatus();
    if (!ok) {
      VolumeChange c{.from = {vs::kDeleting}, .status = vs::kErrorDeleting, .error = r.error()};
      return Applied(deps.store.ChangeVolume(r.volume_id(), c, now).status());
    }
    DeleteSnapshotRows(deps, r.volume_id());  // a cascade delete's (the file held them)
    GUREUM_RETURN_IF_ERROR(Applied(deps.store.DeleteVolume(r.volume_id())));
    NotifyVolume(deps, "volume.delete.end", v);
    return absl::OkStatus();
  }
  if (r.op() == "extend_volume") {
    GUREUM_ASSIGN_OR_RETURN(Volume v, deps.store.GetVolume(r.volume_id()));
    if (v.status != vs::kExtending) return absl::OkStatus();
    VolumeChange c{.from = {vs::kExtending},
                   .status = ok ? v.previous_status : std::string(vs::kErrorExtending)};
    if (r.size_gb() > 0) c.size_gb = r.size_gb();
    c.error = ok ? "" : r.error();
    absl::StatusOr<Volume> after = deps.store.ChangeVolume(r.volume_id(), c, now);
    if (after.ok()) NotifyVolume(deps, ok ? "volume.resize.end" : "volume.resize.error", *after);
    if (after.ok() && ok && v.previous_status == vs::kInUse) TellCompute(deps, r.volume_id());
    return Applied(after.status());
  }
  if (r.op() == "upload_volume") {  // done or failed, the volume is back as it was
    GUREUM_ASSIGN_OR_RETURN(Volume v, deps.store.GetVolume(r.volume_id()));
    if (v.status != vs::kUploading) return absl::OkStatus();
    if (ok) spdlog::info("volume {}: uploaded to its image", r.volume_id());
    VolumeChange c{.from = {vs::kUploading}, .status = PreviousOrAvailable(v)};
    absl::StatusOr<Volume> after = deps.store.ChangeVolume(r.volume_id(), c, now);
    if (after.ok()) {
      NotifyVolume(deps, ok ? "volume.upload_image.end" : "volume.upload_image.error", *after);
    }
    return Applied(after.status());
  }
  spdlog::warn("volume report with an unknown op '{}' ignored", r.op());
  return absl::OkStatus();
}

absl::Status ApplySnapshot(const ManagerDeps& deps, const pb::SnapshotResult& r) {
  const absl::Time now = deps.clock.Now();
  const bool ok = r.outcome() == pb::OUTCOME_OK;
  if (r.op() == "create_snapshot") {
    SnapshotChange c{.from = {ss::kCreating},
                     .status = ok ? ss::kAvailable : ss::kError,
                     .error = ok ? "" : r.error()};
    return Applied(deps.store.ChangeSnapshot(r.snapshot_id(), c, now).status());
  }
  if (r.op() == "delete_snapshot") {
    GUREUM_ASSIGN_OR_RETURN(Snapshot s, deps.store.GetSnapshot(r.snapshot_id()));
    if (s.status != ss::kDeleting) return absl::OkStatus();
    if (!ok) {
      SnapshotChange c{.from = {ss::kDeleting}, .status = ss::kErrorDeleting, .error = r.error()};
      return Applied(deps.store.ChangeSnapshot(r.snapshot_id(), c, now).status());
    }
    return Applied(deps.store.DeleteSnapshot(r.snapshot_id()));
  }
  spdlog::warn("snapshot report with an unknown op '{}' ignored", r.op());
  return absl::OkStatus();
}

absl::Status ApplyExport(const ManagerDeps& deps, const pb::ExportResult& r) {
  if (r.op() != "export") return absl::OkStatus();  // unexport: the attachment is gone
  const bool ok = r.outcome() == pb::OUTCOME_OK && !r.connection_info().protocol().empty();
  AttachmentChange c{.from = {attachment_status::kAttaching}};
  if (ok) {
    c.connection_info = FromProto(r.connection_info());
  } else {
    c.status = attachment_status::kErrorAttaching;
    c.error = r.error().empty() ? "the volume agent sent no connection info" : r.error();
  }
  return Applied(deps.store.ChangeAttachment(r.attachment_id(), c, deps.clock.Now()).status());
}

absl::Status ApplyBackend(const ManagerDeps& deps, const pb::BackendReport& r) {
  if (r.host().empty() || r.backend().empty()) return absl::OkStatus();
  Backend b;
  b.key = absl::StrCat(r.host(), "@", r.backend());
  b.host = r.host();
  b.backend = r.backend();
  b.driver = r.driver();
  b.availability_zone = r.availability_zone().empty() ? deps.options.default_availability_zone
                                                      : r.availability_zone();
  b.total_gb = r.total_gb();
  b.free_gb = r.free_gb();
  b.updated_at = deps.clock.Now();
  return deps.store.ReportBackend(b);
}

}  // namespace

absl::Status ReportHandler::Handle(const amqp::Message& message) {
  pb::AgentReport report;
  if (!report.ParseFromString(message.body)) {
    spdlog::warn("a report on {} that is not an AgentReport was dropped", kReportQueue);
    return absl::OkStatus();
  }
  switch (report.report_case()) {
    case pb::AgentReport::kVolume:
      return ApplyVolume(deps_, report.volume());
    case pb::AgentReport::kSnapshot:
      return ApplySnapshot(deps_, report.snapshot());
    case pb::AgentReport::kExportResult:
      return ApplyExport(deps_, report.export_result());
    case pb::AgentReport::kBackend:
      return ApplyBackend(deps_, report.backend());
    default:
      return absl::OkStatus();
  }
}

absl::StatusOr<int> ReportHandler::SweepStale() {
  const absl::Time now = deps_.clock.Now();
  const absl::Time before = now - deps_.options.task_timeout;
  const absl::Time long_before = now - deps_.options.task_timeout * 10;
  int failed = 0;
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<Volume> stale,
      deps_.store.ListStaleVolumes({vs::kCreating, vs::kDeleting, vs::kExtending, vs::kUploading},
                                   before));
  for (const Volume& v : stale) {
    GUREUM_ASSIGN_OR_RETURN(bool up, backends_.IsUp(v.backend_key));
    if (up && v.updated_at > long_before) continue;
    const std::string host = HostOfBackend(v.backend_key);
    if (v.status == vs::kUploading) {  // the volume is intact: back to where it was
      spdlog::warn("volume {}: its upload to an image was not answered ({}); back to {}", v.id,
                   up ? "the agent did not finish in time" : "the volume agent is down",
                   PreviousOrAvailable(v));
      VolumeChange back{.from = {vs::kUploading}, .status = PreviousOrAvailable(v)};
      if (deps_.store.ChangeVolume(v.id, back, now).ok()) ++failed;
      continue;
    }
    VolumeChange c{.from = {v.status},
                   .status = v.status == vs::kCreating   ? vs::kError
                             : v.status == vs::kDeleting ? vs::kErrorDeleting
                                                         : vs::kErrorExtending,
                   .error = absl::StrCat("The volume agent", host.empty() ? "" : " of " + host,
                                         up ? " did not finish in time." : " is down.")};
    if (deps_.store.ChangeVolume(v.id, c, now).ok()) ++failed;
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<Snapshot> snaps,
                          deps_.store.ListStaleSnapshots({ss::kCreating, ss::kDeleting}, before));
  for (const Snapshot& s : snaps) {
    absl::StatusOr<Volume> v = deps_.store.GetVolume(s.volume_id);
    const bool up = v.ok() && backends_.IsUp(v->backend_key).value_or(false);
    if (up && s.updated_at > long_before) continue;
    SnapshotChange c{.from = {s.status},
                     .status = s.status == ss::kCreating ? ss::kError : ss::kErrorDeleting,
                     .error = "The volume agent did not answer."};
    if (deps_.store.ChangeSnapshot(s.id, c, now).ok()) ++failed;
  }
  return failed;
}

}  // namespace gureum::block_storage
