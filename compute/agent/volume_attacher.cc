#include "compute/agent/volume_attacher.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::compute_agent {
namespace {

constexpr char kDevPrefix[] = "/dev/";
// How long a grown network disk may take to reconnect to its export.
constexpr absl::Duration kResizeTimeout = absl::Seconds(30);

std::string NotConfigured(const std::string& host) {
  return absl::StrCat("block storage is not configured on compute host ", host,
                      " ([compute] block_storage_grpc)");
}

// The disk block storage's connection info describes, on the virtio bus.
absl::StatusOr<DiskSpec> VolumeDisk(const compute::ConnectionInfo& c, const std::string& volume_id,
                                    const std::string& target) {
  DiskSpec d{.bus = "virtio", .target = target, .readonly = c.read_only, .serial = volume_id};
  if (c.protocol == "nbd") {
    d.format = "raw";
    d.protocol = "nbd";
    d.nbd_host = c.host;
    d.nbd_port = c.port;
    d.export_name = c.export_name;
  } else if (c.protocol == "file") {
    d.path = c.path;
    d.format = c.format.empty() ? "raw" : c.format;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("volume ", volume_id, " is exported over '",
                                                   c.protocol,
                                                   "', which this host cannot open (nbd or file)"));
  }
  return d;
}

}  // namespace

absl::StatusOr<std::string> PickDiskTarget(const std::vector<DiskSpec>& disks,
                                           const std::string& wanted) {
  std::set<std::string> taken;
  for (const DiskSpec& d : disks) taken.insert(d.target);
  std::string want = absl::StartsWith(wanted, kDevPrefix) ? wanted.substr(5) : wanted;
  if (want.size() == 3 && absl::StartsWith(want, "vd") && want[2] >= 'b' && want[2] <= 'z' &&
      !taken.count(want)) {
    return want;
  }
  for (char c = 'b'; c <= 'z'; ++c) {
    std::string t = absl::StrCat("vd", std::string(1, c));
    if (!taken.count(t)) return t;
  }
  return absl::ResourceExhaustedError("the instance has no free virtio disk target left");
}

pb::VolumeAttachmentUpdate VolumeAttacher::Update(const std::string& instance,
                                                  const std::string& volume_id,
                                                  const std::string& attachment_id,
                                                  const std::string& task_id,
                                                  const std::string& op) const {
  pb::VolumeAttachmentUpdate u;
  u.set_instance_uuid(instance);
  u.set_volume_id(volume_id);
  u.set_attachment_id(attachment_id);
  u.set_task_id(task_id);
  u.set_op(op);
  u.set_at_unix_ms(absl::ToUnixMillis(deps_.clock.Now()));
  return u;
}

absl::Status VolumeAttacher::Report(pb::VolumeAttachmentUpdate update) {
  if (update.status() == "error") {
    spdlog::warn("volume {} {} on instance {} failed: {}", update.volume_id(), update.op(),
                 update.instance_uuid(), update.error());
  } else {
    spdlog::info("volume {} {} instance {} {}", update.volume_id(), update.status(),
                 update.instance_uuid(), update.device());
  }
  pb::Cast cast;
  *cast.mutable_volume_attachment_update() = std::move(update);
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  return deps_.bus.Cast(options_.conductor_queue, m);
}

absl::StatusOr<std::string> VolumeAttacher::DeviceOf(const std::string& instance,
                                                     const std::string& volume_id) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<DiskSpec> disks, deps_.hypervisor.Disks(instance));
  for (const DiskSpec& d : disks) {
    if (d.serial == volume_id) return kDevPrefix + d.target;
  }
  return std::string();
}

absl::StatusOr<std::string> VolumeAttacher::Plug(const pb::AttachVolume& cast) {
  const std::string& instance = cast.instance_uuid();
  GUREUM_ASSIGN_OR_RETURN(std::string device, DeviceOf(instance, cast.volume_id()));
  if (device.empty()) {
    GUREUM_ASSIGN_OR_RETURN(
        compute::Attachment exported,
        deps_.block_storage->UpdateAttachment(compute::kAsService, cast.attachment_id(),
                                              {.host = options_.host, .ip = options_.host_ip}));
    GUREUM_ASSIGN_OR_RETURN(std::vector<DiskSpec> disks, deps_.hypervisor.Disks(instance));
    GUREUM_ASSIGN_OR_RETURN(std::string target, PickDiskTarget(disks, cast.device()));
    GUREUM_ASSIGN_OR_RETURN(DiskSpec disk,
                            VolumeDisk(exported.connection_info, cast.volume_id(), target));
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.AttachDisk(instance, disk));
    device = kDevPrefix + target;
  }
  // Again on a replay: completing an attachment that is complete changes nothing.
  absl::Status s =
      deps_.block_storage->CompleteAttachment(compute::kAsService, cast.attachment_id(), device);
  if (!s.ok()) {
    absl::Status undone =
        deps_.hypervisor.DetachDisk(instance, device.substr(5), options_.volume_detach_timeout);
    if (!undone.ok()) spdlog::warn("unplugging {} again: {}", device, undone.ToString());
    return s;
  }
  return device;
}

absl::Status VolumeAttacher::Attach(const pb::AttachVolume& cast) {
  pb::VolumeAttachmentUpdate u = Update(cast.instance_uuid(), cast.volume_id(),
                                        cast.attachment_id(), cast.task_id(), "attach");
  if (deps_.block_storage == nullptr) {
    u.set_status("error");
    u.set_error(NotConfigured(options_.host));
    return Report(std::move(u));
  }
  absl::StatusOr<std::string> device = Plug(cast);
  if (device.ok()) {
    u.set_status("attached");
    u.set_device(*device);
    return Report(std::move(u));
  }
  // Nothing of the attach stays: the export ends and the volume is available again.
  absl::Status deleted =
      deps_.block_storage->DeleteAttachment(compute::kAsService, cast.attachment_id());
  if (!deleted.ok() && !absl::IsNotFound(deleted)) {
    spdlog::warn("deleting attachment {} after a failed attach: {}", cast.attachment_id(),
                 deleted.ToString());
  }
  u.set_status("error");
  u.set_error(absl::StrCat("attaching volume ", cast.volume_id(), ": ", device.status().message()));
  return Report(std::move(u));
}

absl::Status VolumeAttacher::Unplug(const pb::DetachVolume& cast) {
  absl::StatusOr<std::string> device = DeviceOf(cast.instance_uuid(), cast.volume_id());
  // No domain: nothing holds the volume on this host any more.
  if (!device.ok() && !absl::IsNotFound(device.status())) return device.status();
  if (device.ok() && !device->empty()) {
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.DetachDisk(cast.instance_uuid(), device->substr(5),
                                                       options_.volume_detach_timeout));
  }
  absl::Status s = deps_.block_storage->DeleteAttachment(compute::kAsService, cast.attachment_id());
  return absl::IsNotFound(s) ? absl::OkStatus() : s;  // deleted by an earlier delivery
}

absl::Status VolumeAttacher::Detach(const pb::DetachVolume& cast) {
  pb::VolumeAttachmentUpdate u = Update(cast.instance_uuid(), cast.volume_id(),
                                        cast.attachment_id(), cast.task_id(), "detach");
  absl::Status s = deps_.block_storage == nullptr
                       ? absl::FailedPreconditionError(NotConfigured(options_.host))
                       : Unplug(cast);
  if (s.ok()) {
    u.set_status("detached");
  } else {
    u.set_status("error");
    u.set_error(absl::StrCat("detaching volume ", cast.volume_id(), ": ", s.message()));
  }
  return Report(std::move(u));
}

absl::Status VolumeAttacher::Extend(const pb::ExtendVolume& cast) {
  absl::StatusOr<std::string> device = DeviceOf(cast.instance_uuid(), cast.volume_id());
  if (absl::IsNotFound(device.status())) {
    spdlog::info("volume {} grew but instance {} is not here: nothing to do", cast.volume_id(),
                 cast.instance_uuid());
    return absl::OkStatus();
  }
  GUREUM_RETURN_IF_ERROR(device.status());
  absl::Status s =
      device->empty()
          ? absl::NotFoundError(absl::StrCat("volume ", cast.volume_id(), " is not attached"))
          : deps_.hypervisor.ResizeDisk(cast.instance_uuid(), device->substr(5),
                                        cast.new_size_bytes(), kResizeTimeout);
  if (absl::IsUnavailable(s)) return s;  // libvirt away: the cast comes again
  if (!s.ok()) {
    spdlog::warn("growing {} ({}) of instance {} to {} bytes: {}", *device, cast.volume_id(),
                 cast.instance_uuid(), cast.new_size_bytes(), s.ToString());
  } else {
    spdlog::info("instance {}: {} ({}) grown to {} bytes", cast.instance_uuid(), *device,
                 cast.volume_id(), cast.new_size_bytes());
  }
  // Nova's instance-action event, which finishes compute-api's extend_volume action.
  pb::Cast report;
  pb::InstanceUpdate* u = report.mutable_instance_update();
  u->set_instance_uuid(cast.instance_uuid());
  u->set_task_id(cast.task_id());
  u->set_power_state(-1);
  u->set_keep_task_state(true);
  u->set_event("compute_extend_volume");
  u->set_event_failed(!s.ok());
  u->set_at_unix_ms(absl::ToUnixMillis(deps_.clock.Now()));
  amqp::Message m;
  m.body = report.SerializeAsString();
  m.content_type = "application/x-protobuf";
  return deps_.bus.Cast(options_.conductor_queue, m);
}

absl::StatusOr<std::string> VolumeAttacher::ReserveMadeVolume(const std::string& instance,
                                                              const std::string& volume_id) {
  const absl::Time deadline = deps_.clock.Now() + options_.block_device_allocate_timeout;
  absl::Duration pause = absl::Milliseconds(100);
  std::string last = "unknown";
  while (true) {
    absl::StatusOr<compute::VolumeInfo> v =
        deps_.block_storage->GetVolume(compute::kAsService, volume_id);
    if (absl::IsNotFound(v.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("the root volume ", volume_id, " does not exist any more"));
    }
    if (v.ok()) {
      last = v->status;
      // An earlier attempt of this build (the agent was killed) left its attachment:
      // the old domain is gone, so is that attachment.
      int dropped = 0;
      for (const compute::Attachment& a : v->attachments) {
        if (a.instance_uuid != instance) continue;
        absl::Status s = deps_.block_storage->DeleteAttachment(compute::kAsService, a.id);
        if (!s.ok() && !absl::IsNotFound(s)) return s;
        ++dropped;
      }
      if (dropped > 0) continue;  // read its status again
      if (v->status == "available") break;
      if (v->status == "error") {
        return absl::FailedPreconditionError(absl::StrCat(
            "the root volume ", volume_id,
            " could not be made at block storage (status error); see `openstack volume show`"));
      }
      if (v->status != "creating" && v->status != "downloading") {
        return absl::FailedPreconditionError(
            absl::StrCat("the root volume ", volume_id, " is ", v->status, ", not available"));
      }
    } else {
      last = std::string(v.status().message());
    }
    if (deps_.clock.Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the root volume ", volume_id, " was not available after ",
          absl::FormatDuration(options_.block_device_allocate_timeout), " (last: ", last, ")"));
    }
    deps_.clock.SleepFor(std::min(pause, deadline - deps_.clock.Now()));
    pause = std::min(pause * 2, absl::Seconds(2));
  }
  GUREUM_ASSIGN_OR_RETURN(
      compute::Attachment reserved,
      deps_.block_storage->CreateAttachment(compute::kAsService, volume_id, instance, nullptr));
  return reserved.id;
}

absl::StatusOr<DiskSpec> VolumeAttacher::ConnectRoot(const std::string& instance,
                                                     pb::BlockDevice& root) {
  if (deps_.block_storage == nullptr) {
    return absl::FailedPreconditionError(NotConfigured(options_.host));
  }
  if (root.attachment_id().empty()) {
    GUREUM_ASSIGN_OR_RETURN(std::string id, ReserveMadeVolume(instance, root.volume_id()));
    root.set_attachment_id(id);
  }
  absl::StatusOr<compute::Attachment> exported = deps_.block_storage->UpdateAttachment(
      compute::kAsService, root.attachment_id(), {.host = options_.host, .ip = options_.host_ip});
  if (!exported.ok()) {
    return absl::Status(exported.status().code(),
                        absl::StrCat("exporting the root volume ", root.volume_id(), ": ",
                                     exported.status().message()));
  }
  GUREUM_ASSIGN_OR_RETURN(DiskSpec disk,
                          VolumeDisk(exported->connection_info, root.volume_id(), "vda"));
  disk.boot_order = 1;
  return disk;
}

absl::Status VolumeAttacher::CompleteRoot(const std::string& instance, const pb::BlockDevice& root,
                                          const std::string& task_id) {
  GUREUM_RETURN_IF_ERROR(deps_.block_storage->CompleteAttachment(
      compute::kAsService, root.attachment_id(), std::string(kDevPrefix) + "vda"));
  pb::VolumeAttachmentUpdate u =
      Update(instance, root.volume_id(), root.attachment_id(), task_id, "attach");
  u.set_status("attached");
  u.set_device(std::string(kDevPrefix) + "vda");
  return Report(std::move(u));
}

void VolumeAttacher::ReleaseRoot(const pb::BlockDevice& root) {
  if (deps_.block_storage == nullptr || root.attachment_id().empty()) return;
  absl::Status s = deps_.block_storage->DeleteAttachment(compute::kAsService, root.attachment_id());
  if (!s.ok() && !absl::IsNotFound(s)) {
    spdlog::warn("releasing root volume {} (attachment {}) after a failed build: {}",
                 root.volume_id(), root.attachment_id(), s.ToString());
  }
}

}  // namespace gureum::compute_agent
