// ComputeManager: building an instance (also the destination side of resize, cold migrate
// and evacuate, which build the disk anew from the image).
#include <future>
#include <optional>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/status/macros.h"
#include "compute/agent/compute_manager.h"
#include "compute/agent/domain_xml.h"

namespace gureum::compute_agent {
namespace {

// Failed builds remembered against redelivery; past this many, an arbitrary one goes.
constexpr size_t kMaxFailedBuilds = 4096;

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

bool IsMove(const pb::ScheduleRequest& r) { return r.operation() != pb::ScheduleRequest::BUILD; }

std::string Prop(const pb::InstanceSpec& spec, const std::string& key,
                 const std::string& def = "") {
  auto it = spec.image().properties().find(key);
  return it == spec.image().properties().end() || it->second.empty() ? def : it->second;
}

}  // namespace

pb::BlockDevice* RootVolume(pb::InstanceSpec& spec) {
  for (pb::BlockDevice& b : *spec.mutable_block_devices()) {
    if (b.boot_index() == 0) return &b;
  }
  return nullptr;
}

std::optional<pb::BlockDevice> RootVolumeOf(const pb::InstanceSpec& spec) {
  for (const pb::BlockDevice& b : spec.block_devices()) {
    if (b.boot_index() == 0) return b;
  }
  return std::nullopt;
}

bool HasRootVolume(const pb::InstanceSpec& spec) { return RootVolumeOf(spec).has_value(); }

absl::Status ComputeManager::Build(const pb::BuildInstance& build) {
  const pb::ScheduleRequest& req = build.request();
  const std::string& uuid = req.spec().uuid();
  if (!IsUuid(uuid)) {
    spdlog::error("build cast without a valid instance uuid ('{}'): dropped", uuid);
    return absl::OkStatus();
  }
  absl::MutexLock instance_lock(LockFor(uuid));
  bool failed_here = false;
  {
    absl::MutexLock l(&mu_);
    pending_reconcile_.erase(uuid);
    auto it = failed_builds_.find(uuid);
    failed_here = it != failed_builds_.end() && it->second == req.task_id();
  }
  auto record = deps_.files.Load(uuid);
  // (A "failed" record on disk is the marker of an older agent.)
  if (failed_here ||
      (record.ok() && record->task_id == req.task_id() && record->state == "failed")) {
    spdlog::info("build {} task {} already failed here and was handed on", uuid, req.task_id());
    return absl::OkStatus();
  }
  // Built already: by this task (a redelivery), or, for a plain build, by any task (a
  // running instance is never wiped by a second build cast).
  if (record.ok() && record->state == "active" &&
      (record->task_id == req.task_id() || !IsMove(req)) && deps_.hypervisor.Get(uuid).ok()) {
    spdlog::info("build {} task {}: already built here", uuid, req.task_id());
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Start(uuid));
    return BuildSucceeded(build);
  }
  if (IsMove(req) && req.source_host() == options_.host && record.ok() &&
      record->task_id != req.task_id()) {
    GUREUM_RETURN_IF_ERROR(PrepareMove(build));
  } else if (!record.ok() && deps_.hypervisor.Get(uuid).ok()) {
    return AdoptDomain(build);
  }
  if (IsMove(req) && !req.source_host().empty() && req.source_host() != options_.host &&
      req.operation() != pb::ScheduleRequest::EVACUATE) {
    AskSourceToStop(req);
  }

  InstanceRecord fresh;
  fresh.state = "building";
  fresh.task_id = req.task_id();
  fresh.migration_id = req.migration_id();
  fresh.spec = req.spec();
  fresh.updated_unix_ms = absl::ToUnixMillis(deps_.clock.Now());
  BuildTimings t;
  absl::Time start = deps_.clock.Now();
  absl::Status s = DoBuild(build, fresh, t);
  if (!s.ok()) {
    BuildFailed(build, s);
    return absl::OkStatus();
  }
  t.total_ms = Ms(deps_.clock.Now() - start);
  {
    absl::MutexLock l(&mu_);
    last_build_ = t;
  }
  spdlog::info("built {} in {:.1f} ms (image {:.1f}, disks {:.1f}, libvirt {:.1f})", uuid,
               t.total_ms, t.image_ms, t.disks_ms, t.hypervisor_ms);
  return BuildSucceeded(build);
}

absl::Status ComputeManager::AdoptDomain(const pb::BuildInstance& build) {
  const pb::ScheduleRequest& req = build.request();
  const std::string& uuid = req.spec().uuid();
  // A domain of ours without a record (an older agent, or the record was lost): it is
  // the instance; do not define a second one.
  spdlog::warn("build {}: domain exists without a record; adopting it", uuid);
  GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Start(uuid));
  InstanceRecord adopted;
  adopted.state = "active";
  adopted.task_id = req.task_id();
  adopted.base_image_id = req.spec().image().id();
  adopted.spec = req.spec();
  GUREUM_RETURN_IF_ERROR(deps_.files.Save(uuid, adopted));
  return BuildSucceeded(build);
}

void ComputeManager::AskSourceToStop(const pb::ScheduleRequest& req) {
  // The source powers its copy off (it keeps the disk until confirm or revert).
  const std::string& uuid = req.spec().uuid();
  pb::Cast stop;
  pb::InstanceAction* a = stop.mutable_action();
  a->set_kind(pb::InstanceAction::STOP);
  a->set_instance_uuid(uuid);
  a->set_task_id(req.task_id());
  a->set_migration_id(req.migration_id());
  amqp::Message m;
  m.body = stop.SerializeAsString();
  m.content_type = "application/x-protobuf";
  if (absl::Status s = deps_.bus.Cast("compute." + req.source_host(), m); !s.ok()) {
    spdlog::warn("could not ask {} to power off {}: {}", req.source_host(), uuid, s.ToString());
  }
}

absl::Status ComputeManager::DoBuild(const pb::BuildInstance& build, InstanceRecord& record,
                                     BuildTimings& t) {
  const pb::InstanceSpec& spec = build.request().spec();
  const std::string& uuid = spec.uuid();
  // Leftovers of an interrupted attempt (agent killed mid-build) go first.
  if (deps_.hypervisor.Get(uuid).ok()) {
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Undefine(uuid));
  }
  GUREUM_RETURN_IF_ERROR(deps_.files.Remove(uuid));
  // The record comes first: it says which bases are in use before they are fetched.
  record.base_image_id = HasRootVolume(spec) ? "" : spec.image().id();
  record.kernel_id = Prop(spec, "kernel_id");
  record.ramdisk_id = Prop(spec, "ramdisk_id");
  GUREUM_RETURN_IF_ERROR(deps_.files.Save(uuid, record));

  GUREUM_ASSIGN_OR_RETURN(DomainSpec domain, MakeDomainSpec(spec, record));
  // Ports first (their MACs and addresses go on the config drive); the network agent
  // wires them while the image and disks are made.
  absl::Status plugged = ports_.Plug(spec, record);
  GUREUM_RETURN_IF_ERROR(deps_.files.Save(uuid, record));  // what to release, even on failure
  GUREUM_RETURN_IF_ERROR(plugged);
  domain.interfaces = Interfaces(record.vifs);
  absl::Time t0 = deps_.clock.Now();
  // The root disk: a local overlay on the cached image, or (boot from volume) the volume.
  std::optional<LocalRoot> local;
  if (!HasRootVolume(spec)) {
    GUREUM_ASSIGN_OR_RETURN(local, FetchLocalRoot(spec));
  }
  if (!record.kernel_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(CachedImage kernel, deps_.images.Fetch(record.kernel_id));
    domain.kernel = kernel.path;
  }
  if (!record.ramdisk_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(CachedImage ramdisk, deps_.images.Fetch(record.ramdisk_id));
    domain.initrd = ramdisk.path;
  }
  absl::Time t1 = deps_.clock.Now();
  InstancePaths paths = deps_.files.Paths(uuid);
  // The two tools run side by side: each is mostly process start-up.
  auto config_drive = std::async(
      std::launch::async, [&] { return MakeConfigDrive(spec, paths.config_drive, record.vifs); });
  absl::Status root =
      local ? CreateOverlay(local->base.path, local->format, paths.disk, spec.flavor().disk_gb())
            : ConnectRootVolume(record, domain);
  absl::Status drive = config_drive.get();
  GUREUM_RETURN_IF_ERROR(root);
  GUREUM_RETURN_IF_ERROR(drive);
  GUREUM_RETURN_IF_ERROR(ports_.WaitActive(record.vifs));
  absl::Time t2 = deps_.clock.Now();
  GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Define(domain));
  GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Start(uuid));
  if (!local) {
    // The guest has its root disk: the volume is in-use, compute-api learns the attachment.
    GUREUM_RETURN_IF_ERROR(
        deps_.volumes->CompleteRoot(uuid, *RootVolume(record.spec), build.request().task_id()));
  }
  absl::Time t3 = deps_.clock.Now();
  t.image_ms = Ms(t1 - t0);
  t.disks_ms = Ms(t2 - t1);
  t.hypervisor_ms = Ms(t3 - t2);
  record.state = "active";
  record.updated_unix_ms = absl::ToUnixMillis(deps_.clock.Now());
  return deps_.files.Save(uuid, record);
}

absl::StatusOr<ComputeManager::LocalRoot> ComputeManager::FetchLocalRoot(
    const pb::InstanceSpec& spec) {
  GUREUM_ASSIGN_OR_RETURN(CachedImage base, deps_.images.Fetch(spec.image().id()));
  std::string format = base.disk_format == "qcow2" ? "qcow2" : "raw";
  if (base.disk_format != "qcow2" && base.disk_format != "raw" && base.disk_format != "ami") {
    return absl::InvalidArgumentError(absl::StrCat("image ", spec.image().id(),
                                                   " has disk format '", base.disk_format,
                                                   "'; this host boots raw, qcow2 and ami images"));
  }
  if (spec.flavor().disk_gb() > 0) {
    // Checked by compute-api against the image service's record too; this is what qemu
    // itself sees, so an image that slipped by (or an old record) never gets a disk
    // larger than the flavor's.
    GUREUM_ASSIGN_OR_RETURN(int64_t virtual_size, DiskVirtualSize(base.path, format));
    const int64_t flavor_bytes = spec.flavor().disk_gb() * (int64_t{1} << 30);
    if (virtual_size > flavor_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("Flavor's disk is too small for requested image. Flavor disk is ",
                       flavor_bytes, " bytes, image is ", virtual_size, " bytes."));
    }
  }
  return LocalRoot{.base = base, .format = format};
}

absl::Status ComputeManager::ConnectRootVolume(InstanceRecord& record, DomainSpec& domain) {
  const std::string& uuid = record.spec.uuid();
  if (deps_.volumes == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "compute host ", options_.host, " cannot boot from a volume (no block storage)"));
  }
  pb::BlockDevice* root = RootVolume(record.spec);
  absl::StatusOr<DiskSpec> disk = deps_.volumes->ConnectRoot(uuid, *root);
  // The attachment it holds is in the record now, for the cleanup of a failed build.
  GUREUM_RETURN_IF_ERROR(deps_.files.Save(uuid, record));
  GUREUM_RETURN_IF_ERROR(disk.status());
  domain.disks.insert(domain.disks.begin(), *std::move(disk));
  return absl::OkStatus();
}

absl::StatusOr<DomainSpec> ComputeManager::MakeDomainSpec(const pb::InstanceSpec& spec,
                                                          InstanceRecord& record) {
  if (spec.flavor().vcpus() <= 0 || spec.flavor().ram_mb() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("flavor '", spec.flavor().name(), "' has no vCPUs or no memory"));
  }
  InstancePaths paths = deps_.files.Paths(spec.uuid());
  DomainSpec d;
  d.uuid = spec.uuid();
  d.name = "instance-" + spec.uuid();
  d.virt_type = options_.virt_type;
  d.vcpus = spec.flavor().vcpus();
  d.memory_mb = spec.flavor().ram_mb();
  d.machine_type = Prop(spec, "hw_machine_type", options_.machine_type);
  if (options_.virt_type == "kvm")
    d.cpu_mode = options_.cpu_mode.empty() ? "host-model" : options_.cpu_mode;
  if (options_.virt_type == "qemu") d.cpu_mode = options_.cpu_mode;
  std::string disk_bus = Prop(spec, "hw_disk_bus", "virtio");
  bool q35 = d.machine_type.find("q35") != std::string::npos;
  std::string cdrom_bus = Prop(spec, "hw_cdrom_bus", q35 ? "sata" : "ide");
  // A root volume (boot from volume) is put first once it is exported (ConnectRootVolume).
  if (!HasRootVolume(spec)) {
    d.disks.push_back({.path = paths.disk, .format = "qcow2", .device = "disk", .bus = disk_bus});
  }
  d.disks.push_back({.path = paths.config_drive,
                     .format = "raw",
                     .device = "cdrom",
                     .bus = cdrom_bus,
                     .readonly = true});
  if (!record.kernel_id.empty()) {
    d.cmdline =
        Prop(spec, "os_command_line",
             disk_bus == "virtio" ? "console=ttyS0 root=/dev/vda" : "console=ttyS0 root=/dev/sda");
  }
  d.console_log = paths.console_log;
  d.interfaces = Interfaces(record.vifs);
  d.metadata = {{"instance_uuid", spec.uuid()},
                {"display_name", spec.name()},
                {"project_id", spec.project_id()},
                {"user_id", spec.user_id()},
                {"flavor", spec.flavor().name()},
                {"image_id", spec.image().id()},
                {"host", options_.host}};
  // Checked here so a bad image property fails before anything is fetched.
  GUREUM_RETURN_IF_ERROR(DomainXml(d).status());
  return d;
}

void ComputeManager::RemoveInstance(const std::string& uuid) {
  if (deps_.hypervisor.Get(uuid).ok()) {
    if (absl::Status s = deps_.hypervisor.Undefine(uuid); !s.ok()) {
      spdlog::error("cleaning up {}: {}", uuid, s.ToString());
    }
  }
  if (absl::Status s = deps_.files.Remove(uuid); !s.ok()) {
    spdlog::error("cleaning up {}: {}", uuid, s.ToString());
  }
}

void ComputeManager::BuildFailed(const pb::BuildInstance& build, const absl::Status& status) {
  const pb::ScheduleRequest& req = build.request();
  const std::string& uuid = req.spec().uuid();
  bool user_error = status.code() == absl::StatusCode::kInvalidArgument ||
                    status.code() == absl::StatusCode::kNotFound ||
                    status.code() == absl::StatusCode::kFailedPrecondition;
  // A root volume's attachment (in the record once taken) goes once the domain is gone.
  // The build is not rescheduled: the reservation compute-api made went with it.
  auto made = deps_.files.Load(uuid);
  std::optional<pb::BlockDevice> root_volume = RootVolumeOf(made.ok() ? made->spec : req.spec());
  spdlog::error("build of {} failed on {}: {}", uuid, options_.host, status.ToString());
  if (!IsMove(req)) {
    // The next host (or none) starts over: this attempt's ports go, the user's are unbound.
    if (absl::Status s =
            ports_.Unplug(uuid, req.spec(), made.ok() ? made->vifs : std::vector<VifRecord>{});
        !s.ok()) {
      spdlog::error("releasing the ports of {} after the failed build: {}", uuid, s.ToString());
    }
  }
  RemoveInstance(uuid);
  if (root_volume && deps_.volumes != nullptr) deps_.volumes->ReleaseRoot(*root_volume);
  if (IsMove(req) && req.source_host() == options_.host && deps_.files.HasStash(uuid)) {
    // Same-host move: the old disks come back (the old domain is defined again on revert).
    if (absl::Status s = deps_.files.Unstash(uuid); !s.ok()) spdlog::error("{}", s.ToString());
  } else {
    // Nothing is left to retry here: the folder (record, overlay, config drive, console
    // log) is gone with the domain, and only the in-memory marker remains.
    absl::MutexLock l(&mu_);
    if (failed_builds_.size() >= kMaxFailedBuilds) failed_builds_.erase(failed_builds_.begin());
    failed_builds_[uuid] = req.task_id();
  }
  if (absl::Status s = deps_.placement.DeleteAllocations(uuid, options_.host); !s.ok()) {
    spdlog::error("dropping the allocation of {} on {}: {}", uuid, options_.host, s.ToString());
  }
  std::string reason = std::string(status.message());
  if (!user_error && !root_volume && build.alternates_size() > 0 && Reschedule(build, reason)) {
    return;
  }
  pb::InstanceUpdate u = Update(uuid, req.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_event(IsMove(req) ? "compute_finish_resize" : "compute_build_and_run_instance");
  u.set_event_failed(true);
  pb::Fault* f = u.mutable_fault();
  f->set_code(user_error ? 400 : 500);
  if (IsMove(req)) {
    u.set_migration_id(req.migration_id());
    u.set_migration_status("error");
    f->set_message(absl::StrCat("The move to host ", options_.host, " failed: ", reason));
  } else {
    u.set_vm_state("error");
    u.set_power_state(0);
    f->set_message(user_error
                       ? absl::StrCat("Build of instance ", uuid, " failed: ", reason)
                       : absl::StrCat("Build of instance ", uuid, " failed on host ", options_.host,
                                      " and no other host is left to try: ", reason));
  }
  f->set_details(
      absl::StrCat("host ", options_.host, ", attempt ", req.attempt(), ": ", status.ToString()));
  if (absl::Status s = CastToConductor(u); !s.ok()) {
    spdlog::error("reporting the failed build of {}: {}", uuid, s.ToString());
  }
}

bool ComputeManager::Reschedule(const pb::BuildInstance& build, const std::string& reason) {
  const pb::ScheduleRequest& req = build.request();
  pb::ScheduleRequest next = req;
  next.set_attempt(req.attempt() + 1);
  next.add_ignore_hosts(options_.host);
  next.clear_alternates();
  for (const std::string& h : build.alternates()) next.add_alternates(h);
  next.set_last_fault(absl::StrCat("host ", options_.host, ": ", reason));
  pb::Cast cast;
  *cast.mutable_schedule() = next;
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  absl::Status s = deps_.bus.Cast(options_.scheduler_queue, m);
  if (s.ok()) {
    spdlog::info("build of {} rescheduled (attempt {})", req.spec().uuid(), next.attempt());
    return true;
  }
  spdlog::error("rescheduling {} failed: {}", req.spec().uuid(), s.ToString());
  return false;
}

absl::Status ComputeManager::BuildSucceeded(const pb::BuildInstance& build) {
  const pb::ScheduleRequest& req = build.request();
  pb::InstanceUpdate u = Update(req.spec().uuid(), req.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_power_state(PowerNumber(PowerState::kRunning));
  u.set_host(options_.host);
  u.set_node(node_uuid_.empty() ? build.node() : node_uuid_);
  if (auto record = deps_.files.Load(req.spec().uuid()); record.ok() && HasNetworks(record->spec)) {
    AddVifs(u, record->vifs);
  }
  switch (req.operation()) {
    case pb::ScheduleRequest::BUILD:
      u.set_vm_state("active");
      u.set_event("compute_build_and_run_instance");
      break;
    case pb::ScheduleRequest::EVACUATE:
      u.set_vm_state("active");
      u.set_event("compute_rebuild_instance");
      u.set_migration_id(req.migration_id());
      u.set_migration_status("done");
      break;
    default:  // RESIZE, MIGRATE: waits for confirm or revert
      u.set_vm_state("resized");
      u.set_event("compute_finish_resize");
      u.set_flavor_id(req.spec().flavor().id());
      u.set_migration_id(req.migration_id());
      u.set_migration_status("finished");
      break;
  }
  return CastToConductor(u);
}

absl::Status ComputeManager::PrepareMove(const pb::BuildInstance& build) {
  // Same-host resize: the old domain goes (its spec stays in the stashed record, so a
  // revert defines it again), its folder is kept aside until confirm or revert.
  const std::string& uuid = build.request().spec().uuid();
  if (deps_.hypervisor.Get(uuid).ok()) {
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Stop(uuid, options_.shutdown_timeout));
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Undefine(uuid));
  }
  return deps_.files.Stash(uuid);
}

}  // namespace gureum::compute_agent
