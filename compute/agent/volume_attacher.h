// The agent's half of a volume attachment (Nova's attach/detach on the compute host): the
// casts attach_volume and detach_volume on compute.<host> (compute_casts.proto).
//
//  - Attach: give block storage this host's connector ([DEFAULT] host, my_ip) as the
//    service user (UpdateAttachment: the volume agent exports the volume over NBD and the
//    call returns the connection info), plug a virtio network disk with the volume id as
//    its serial at the next free vdX (live and persistent), CompleteAttachment with
//    /dev/vdX, and report `attached` with the device to the conductor. On failure the
//    attachment is deleted (the volume is available again) and `error` is reported.
//  - Extend: block storage grew the volume (the cast extend_volume, from Nova's
//    volume-extended event): the running guest's disk whose serial is the volume id is
//    grown to the new size (Hypervisor::ResizeDisk), so the guest sees it without a reboot.
//    The conductor gets the instance-action event compute_extend_volume (Success, or Error
//    when the disk could not grow or the volume is not in the domain).
//  - Detach: unplug the disk whose serial is the volume id and wait (bounded,
//    [compute] volume_detach_timeout) for the guest to release it, DeleteAttachment (the
//    export ends), report `detached`. A guest that keeps the disk: `error`, still attached.
//
//  - Root volume (boot from volume, a build's InstanceSpec.block_devices with boot_index 0):
//    ConnectRoot waits (bounded, [compute] block_device_allocate_timeout, on the injected
//    clock) for a volume made at create to be available and reserves it as the service
//    user (or takes the reservation compute-api made for an existing volume), gives this
//    host's connector and returns the network disk for vda, first in the boot order. Once
//    the domain runs, CompleteRoot completes the attachment at /dev/vda and reports it
//    `attached` (the report gives compute-api a made volume's attachment id). A failed
//    build calls ReleaseRoot: the attachment goes, nothing stays reserved or exported.
//
// Idempotent, because casts are delivered at least once: a replayed attach finds the disk
// by its serial and reports the same device; a replayed detach finds no disk and an
// attachment deleted already. Thread-safe as far as its collaborators are; the caller
// (ComputeManager) serialises the work of one instance. Collaborators must outlive it.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "compute/agent/agent_options.h"
#include "compute/agent/hypervisor.h"
#include "compute/clients/block_storage_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute_agent {

namespace pb = ::gureum::compute::v1;

struct VolumeAttacherDeps {
  Hypervisor& hypervisor;
  amqp::Bus& bus;  // the VolumeAttachmentUpdate reports go to options.conductor_queue
  const Clock& clock;
  // gureum-block-storage ([compute] block_storage_grpc), or null when this host has none:
  // then every volume cast is reported as an error saying so.
  compute::BlockStorageClient* block_storage = nullptr;
};

class VolumeAttacher {
 public:
  VolumeAttacher(AgentOptions options, VolumeAttacherDeps deps)
      : options_(std::move(options)), deps_(deps) {}

  // The outcome goes to the conductor; an error is returned only when that report could
  // not be sent (the consumer then retries the cast, which is idempotent).
  absl::Status Attach(const pb::AttachVolume& cast);
  absl::Status Detach(const pb::DetachVolume& cast);
  // An error only for a failure worth a retry of the cast (libvirt unreachable, the
  // report not sent); an instance not on this host is nothing to do.
  absl::Status Extend(const pb::ExtendVolume& cast);

  // The root disk of `instance` from `root` (a boot_index 0 block device); the attachment
  // used is written into `root` (keep it: CompleteRoot and ReleaseRoot need it). Errors:
  // FailedPrecondition when the volume went to error (or is not usable), DeadlineExceeded
  // when it was not available in time, block storage's own otherwise.
  absl::StatusOr<DiskSpec> ConnectRoot(const std::string& instance, pb::BlockDevice& root);
  absl::Status CompleteRoot(const std::string& instance, const pb::BlockDevice& root,
                            const std::string& task_id);
  // Failures are logged (the attachment may be gone already).
  void ReleaseRoot(const pb::BlockDevice& root);

 private:
  // The device (/dev/vdX) the volume is at in the domain now; "" if it is not.
  absl::StatusOr<std::string> Plug(const pb::AttachVolume& cast);
  absl::StatusOr<std::string> DeviceOf(const std::string& instance, const std::string& volume_id);
  absl::Status Unplug(const pb::DetachVolume& cast);
  absl::Status Report(pb::VolumeAttachmentUpdate update);
  // A volume made at create, available, reserved for `instance` (the attachment of an
  // earlier attempt of the same build is taken again).
  absl::StatusOr<std::string> ReserveMadeVolume(const std::string& instance,
                                                const std::string& volume_id);
  pb::VolumeAttachmentUpdate Update(const std::string& instance, const std::string& volume_id,
                                    const std::string& attachment_id, const std::string& task_id,
                                    const std::string& op) const;

  const AgentOptions options_;
  VolumeAttacherDeps deps_;
};

// The target for a new virtio disk: `wanted` (/dev/vdc or vdc) when it is a free virtio
// target, else the first free one from vdb on. ResourceExhausted past vdz.
absl::StatusOr<std::string> PickDiskTarget(const std::vector<DiskSpec>& disks,
                                           const std::string& wanted);

}  // namespace gureum::compute_agent
