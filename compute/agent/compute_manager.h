// The compute agent's logic: what to do with each cast on compute.<host>, and the
// periodic work (heartbeat, power-state sync, console tails, image cache cleanup,
// reconciliation after a restart). Handlers are idempotent, keyed by instance uuid and
// task id (the instance record, instance_files.h), because delivery is at least once:
//
//  - Build: fetch the image (cache), qcow2 overlay, config drive, define + start, cast
//    InstanceUpdate(active) to the conductor. Booted from a volume (the spec's block
//    device with boot_index 0), the root disk is that volume, exported to this host
//    through the VolumeAttacher, instead of an overlay; such a build is not rescheduled. A
//    redelivered build of an instance already built re-sends the update and makes no second domain.
//    On failure everything made is removed, the host's allocation is dropped, and the request goes
//    back to the scheduler with attempt+1 and the alternates, or the instance goes to ERROR with a
//    fault the user can read (also at once for the user's own mistakes).
//  - Actions: start, stop, reboot, pause, suspend and back, delete, rebuild, and the
//    resize/migrate bookkeeping (confirm, revert).
//  - Volumes: attach_volume, detach_volume and extend_volume go to the VolumeAttacher, under the
//    instance's lock.
//
// Thread-safe: casts may be handled by several workers; one instance's work is
// serialised by a per-instance lock. Collaborators are injected and must outlive it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "compute/agent/agent_options.h"
#include "compute/agent/hypervisor.h"
#include "compute/agent/image_cache.h"
#include "compute/agent/instance_files.h"
#include "compute/agent/instance_ports.h"
#include "compute/agent/volume_attacher.h"
#include "compute/clients/network_client.h"
#include "compute/clients/placement_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute_agent {

inline constexpr char kBinary[] = "gureum-compute-agent";
inline constexpr size_t kConsoleTailBytes = 64 * 1024;

// Where the time of the last build went (for logs and the benchmark).
struct BuildTimings {
  double total_ms = 0;       // cast handed to Build -> domain started
  double image_ms = 0;       // image cache (0-ish when warm)
  double disks_ms = 0;       // overlay + config drive
  double hypervisor_ms = 0;  // libvirt define + start (QEMU process start included)
};

struct ComputeManagerDeps {
  Hypervisor& hypervisor;
  ImageCache& images;
  InstanceFiles& files;
  compute::PlacementClient& placement;
  amqp::Bus& bus;
  const Clock& clock;
  // gureum-network ([compute] network_grpc), or null when this host has none: then an
  // instance that asks for networks fails here (and is rescheduled).
  compute::NetworkClient* network = nullptr;
  // The attach_volume and detach_volume casts go to it; null (tests of other things): they
  // are dropped with a warning.
  VolumeAttacher* volumes = nullptr;
  // gureum-image as this host's service user: fills the images of snapshots (createImage);
  // null (tests of other things): a snapshot fails.
  compute::ImageClient* image_client = nullptr;
};

class ComputeManager {
 public:
  ComputeManager(AgentOptions options, ComputeManagerDeps deps);

  // Decodes and dispatches one cast. An error makes the consumer retry the message;
  // failures of the work itself are reported to the conductor and return OK.
  absl::Status Handle(const pb::Cast& cast);
  absl::Status Build(const pb::BuildInstance& build);
  absl::Status Act(const pb::InstanceAction& action);
  absl::Status HandleVolume(const pb::Cast& cast);

  // PutResourceProvider with the host's VCPU, MEMORY_MB and DISK_GB.
  absl::Status RegisterProvider(const std::string& provider_uuid);
  // ServiceHeartbeat to the conductor, with the power states libvirt reports.
  absl::Status Heartbeat();
  // Reports instances whose power state changed behind our back (a guest that died);
  // domains nobody knows are logged, never destroyed.
  void SyncPowerStates();
  // InstanceUpdate.console_tail for every instance whose console log changed.
  void PushConsoleTails();
  void PushConsoleTail(const std::string& uuid);
  // InstanceUpdate.diagnostics: the domain's statistics now (compute-api's DIAGNOSTICS
  // cast); empty when the domain does not run or the hypervisor has none.
  void PushDiagnostics(const std::string& uuid);
  // At start: builds a dead agent left half done: a running domain is finished (active),
  // the rest waits for the redelivered cast, and FailStaleBuilds fails what is still
  // unfinished after the grace period.
  void ReconcileAfterRestart();
  void FailStaleBuilds();
  // Removes unused bases from the image cache; returns how many.
  int CleanupImageCache();

  BuildTimings last_build() const;
  const std::string& node_uuid() const { return node_uuid_; }

 private:
  struct Failure {
    absl::Status status;
    bool user_error = false;  // the request itself is wrong: no reschedule
  };
  absl::Mutex* LockFor(const std::string& uuid);
  // The pieces of Build (compute_build.cc).
  // A domain found without a record is taken as the instance.
  absl::Status AdoptDomain(const pb::BuildInstance& build);
  // The source host of a move (not an evacuation) powers its copy off.
  void AskSourceToStop(const pb::ScheduleRequest& req);
  absl::Status DoBuild(const pb::BuildInstance& build, InstanceRecord& record, BuildTimings& t);
  absl::StatusOr<DomainSpec> MakeDomainSpec(const pb::InstanceSpec& spec, InstanceRecord& record);
  void BuildFailed(const pb::BuildInstance& build, const absl::Status& status);
  // A build finished by ReconcileAfterRestart: its root volume's attach is completed.
  void CompleteRootAfterRestart(const InstanceRecord& r);
  // Hands the build on to the next host; false if the scheduler could not be told.
  bool Reschedule(const pb::BuildInstance& build, const std::string& reason);
  // The root disk from the image: the cached base and the overlay's backing format.
  struct LocalRoot {
    CachedImage base;
    std::string format;
  };
  absl::StatusOr<LocalRoot> FetchLocalRoot(const pb::InstanceSpec& spec);
  // Boot from volume: the root volume exported to this host, first in `domain`'s disks; the
  // attachment it holds is saved in the record's spec.
  absl::Status ConnectRootVolume(InstanceRecord& record, DomainSpec& domain);
  absl::Status BuildSucceeded(const pb::BuildInstance& build);
  absl::Status PrepareMove(const pb::BuildInstance& build);
  void RemoveInstance(const std::string& uuid);
  // Actions (compute_actions.cc).
  absl::Status Delete(const pb::InstanceAction& action);
  absl::Status Rebuild(const pb::InstanceAction& action);
  // createImage (compute_snapshot.cc): the root disk, flattened into a qcow2 while the
  // guest is paused, uploaded into the queued image; the task ends either way.
  absl::Status Snapshot(const pb::InstanceAction& action);
  absl::Status UploadSnapshot(const std::string& uuid, const std::string& image_id);
  absl::Status MoveBookkeeping(const pb::InstanceAction& action);
  absl::Status FinishRevert(const pb::InstanceAction& action);
  // Defines the domain again from the instance record when libvirt lost it, and starts it.
  absl::Status DefineFromRecordAndStart(const std::string& uuid);
  // Casts.
  absl::Status CastToConductor(pb::InstanceUpdate update);
  pb::InstanceUpdate Update(const std::string& uuid, const std::string& task_id) const;

  const AgentOptions options_;
  ComputeManagerDeps deps_;
  InstancePorts ports_;
  std::string node_uuid_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<absl::Mutex>> locks_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> last_power_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::pair<long long, long long>> console_seen_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> warned_foreign_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> pending_reconcile_ ABSL_GUARDED_BY(mu_);
  // Builds that failed here and were handed on (uuid -> task id), so a redelivered cast
  // of the same task does nothing. Kept in memory, not on disk: a failed build leaves
  // nothing on the host (issue 16, hole 12). Bounded; an entry goes with the delete.
  std::map<std::string, std::string> failed_builds_ ABSL_GUARDED_BY(mu_);
  BuildTimings last_build_ ABSL_GUARDED_BY(mu_);
};

// The spec's root volume (boot from volume: the block device with boot_index 0), if any.
pb::BlockDevice* RootVolume(pb::InstanceSpec& spec);
std::optional<pb::BlockDevice> RootVolumeOf(const pb::InstanceSpec& spec);
bool HasRootVolume(const pb::InstanceSpec& spec);

// Nova's power state number for a domain (kNoState when it is missing).
int PowerNumber(PowerState state);
// `text` with every invalid UTF-8 sequence replaced by '?' (protobuf strings must be UTF-8;
// a console log is whatever the guest wrote).
std::string SanitizeUtf8(const std::string& text);

}  // namespace gureum::compute_agent
