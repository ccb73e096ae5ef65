// ComputeManager: the periodic work — registration, heartbeats, power-state sync,
// console tails, reconciliation after a restart, image cache cleanup.
#include <algorithm>

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/agent/compute_manager.h"

namespace gureum::compute_agent {

std::string SanitizeUtf8(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 2;
    if (ok && len == 1 && c == 0) ok = false;
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

absl::Status ComputeManager::RegisterProvider(const std::string& provider_uuid) {
  GUREUM_ASSIGN_OR_RETURN(HostResources host, deps_.hypervisor.Host());
  long long vcpus = options_.vcpus > 0 ? options_.vcpus : host.vcpus;
  long long memory_mb = options_.memory_mb > 0 ? options_.memory_mb : host.memory_mb;
  long long disk_gb = options_.disk_gb;
  if (disk_gb <= 0) {
    struct statvfs vfs;
    if (statvfs(options_.instances_path.c_str(), &vfs) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read the size of ", options_.instances_path));
    }
    disk_gb = static_cast<long long>(vfs.f_blocks * vfs.f_frsize / (1024ULL * 1024 * 1024));
  }
  std::map<std::string, compute::ProviderInventory> inv;
  auto clamp = [](long long reserved, long long total) {
    return std::min(reserved, std::max(0LL, total - 1));
  };
  inv["VCPU"] = {vcpus, clamp(options_.reserved_host_cpus, vcpus)};
  inv["MEMORY_MB"] = {memory_mb, clamp(options_.reserved_host_memory_mb, memory_mb)};
  inv["DISK_GB"] = {disk_gb, clamp((options_.reserved_host_disk_mb + 1023) / 1024, disk_gb)};
  GUREUM_ASSIGN_OR_RETURN(node_uuid_,
                          deps_.placement.PutProvider(provider_uuid, options_.host, inv));
  spdlog::info("resource provider {} ({}): VCPU {}, MEMORY_MB {} (reserved {}), DISK_GB {}",
               options_.host, node_uuid_, vcpus, memory_mb, inv["MEMORY_MB"].reserved, disk_gb);
  return absl::OkStatus();
}

absl::Status ComputeManager::Heartbeat() {
  pb::Cast cast;
  pb::ServiceHeartbeat* hb = cast.mutable_heartbeat();
  hb->set_host(options_.host);
  hb->set_binary(kBinary);
  hb->set_node_uuid(node_uuid_);
  hb->set_availability_zone(options_.availability_zone);
  hb->set_version("0.1.0");
  hb->set_at_unix_ms(absl::ToUnixMillis(deps_.clock.Now()));
  hb->set_hypervisor_type(deps_.hypervisor.HypervisorType());
  hb->set_host_ip(options_.host_ip);
  auto domains = deps_.hypervisor.List();
  if (domains.ok()) {
    int running = 0;
    for (const DomainInfo& d : *domains) {
      (*hb->mutable_power_states())[d.uuid] = PowerNumber(d.power_state);
      if (d.power_state == PowerState::kRunning) ++running;
    }
    hb->set_running_vms(running);
  } else {
    // The heartbeat still goes: the service is up even if libvirt is not answering.
    spdlog::error("listing domains for the heartbeat: {}", domains.status().ToString());
  }
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  return deps_.bus.Cast(options_.conductor_queue, m);
}

void ComputeManager::SyncPowerStates() {
  auto domains = deps_.hypervisor.List();
  if (!domains.ok()) {
    spdlog::error("power-state sync: {}", domains.status().ToString());
    return;
  }
  std::map<std::string, DomainInfo> by_uuid;
  for (DomainInfo& d : *domains) by_uuid[d.uuid] = std::move(d);
  std::set<std::string> known;  // every instance with a record here, in any state
  for (const InstanceRecord& r : deps_.files.All()) {
    const std::string& uuid = r.spec.uuid();
    if (!uuid.empty()) known.insert(uuid);
    if (uuid.empty() || r.state != "active") continue;
    absl::Mutex* lock = LockFor(uuid);
    if (!lock->TryLock()) continue;  // an action is under way; it reports the state itself
    // The listing above may predate an action that finished since (a build that started
    // the domain, a start): read the domain again now that nothing else acts on it, as
    // Nova's power sync does, or a stale "shut off" would stop a running server.
    absl::StatusOr<DomainInfo> fresh = deps_.hypervisor.Get(uuid);
    if (!fresh.ok() && fresh.status().code() != absl::StatusCode::kNotFound) {
      spdlog::error("power-state sync of {}: {}", uuid, fresh.status().ToString());
      lock->Unlock();
      continue;
    }
    const bool exists = fresh.ok();
    int now = exists ? PowerNumber(fresh->power_state) : 0;
    int before = -1;
    {
      absl::MutexLock l(&mu_);
      auto p = last_power_.find(uuid);
      if (p != last_power_.end()) before = p->second;
      last_power_[uuid] = now;
    }
    if (before != now) {
      pb::InstanceUpdate u = Update(uuid, "");
      u.set_power_state(now);
      bool died =
          before == PowerNumber(PowerState::kRunning) &&
          (now == PowerNumber(PowerState::kShutdown) || now == PowerNumber(PowerState::kCrashed));
      if (died) u.set_vm_state("stopped");
      if (!exists) {
        spdlog::error("instance {} has a record on {} but libvirt has no domain for it", uuid,
                      options_.host);
      } else if (before != -1) {
        spdlog::warn("instance {}: power state {} -> {}", uuid, before, now);
      }
      if (absl::Status s = CastToConductor(u); !s.ok()) {
        spdlog::error("reporting the power state of {}: {}", uuid, s.ToString());
        absl::MutexLock l(&mu_);
        last_power_.erase(uuid);  // try again next time
      }
    }
    lock->Unlock();
  }
  for (const auto& [uuid, d] : by_uuid) {
    if (known.count(uuid)) continue;
    absl::MutexLock l(&mu_);
    if (warned_foreign_.insert(uuid).second) {
      // Reported in the heartbeat's power states; never destroyed by the agent.
      spdlog::warn("domain {} ({}) on {} belongs to no instance this agent holds; left alone",
                   d.name, uuid, options_.host);
    }
  }
}

void ComputeManager::PushConsoleTails() {
  for (const InstanceRecord& r : deps_.files.All()) {
    if (r.spec.uuid().empty() || r.state != "active") continue;
    PushConsoleTail(r.spec.uuid());
  }
}

void ComputeManager::PushConsoleTail(const std::string& uuid) {
  {
    std::string path = deps_.files.Paths(uuid).console_log;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return;
    std::pair<long long, long long> seen{st.st_size,
                                         st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
    {
      absl::MutexLock l(&mu_);
      auto it = console_seen_.find(uuid);
      if (it != console_seen_.end() && it->second == seen) return;
    }
    pb::InstanceUpdate u = Update(uuid, "");
    u.set_has_console_tail(true);
    u.set_console_tail(SanitizeUtf8(ReadTail(path, kConsoleTailBytes)));
    if (absl::Status s = CastToConductor(u); !s.ok()) {
      spdlog::warn("pushing the console of {}: {}", uuid, s.ToString());
      return;
    }
    absl::MutexLock l(&mu_);
    console_seen_[uuid] = seen;
  }
}

void ComputeManager::PushDiagnostics(const std::string& uuid) {
  pb::InstanceUpdate u = Update(uuid, "");
  u.set_has_diagnostics(true);
  absl::StatusOr<std::map<std::string, int64_t>> stats = deps_.hypervisor.Diagnostics(uuid);
  if (stats.ok()) {
    u.mutable_diagnostics()->insert(stats->begin(), stats->end());
  } else {
    spdlog::info("diagnostics of {}: {}", uuid, stats.status().ToString());
  }
  if (absl::Status s = CastToConductor(u); !s.ok()) {
    spdlog::warn("pushing the diagnostics of {}: {}", uuid, s.ToString());
  }
}

void ComputeManager::ReconcileAfterRestart() {
  for (const InstanceRecord& r : deps_.files.All()) {
    const std::string& uuid = r.spec.uuid();
    if (!uuid.empty() && r.state == "failed") {
      // An older agent's marker of a failed build: remembered in memory, and the folder
      // goes (a failed build leaves nothing on the host).
      {
        absl::MutexLock l(&mu_);
        failed_builds_[uuid] = r.task_id;
      }
      if (absl::Status s = deps_.files.Remove(uuid); !s.ok()) spdlog::error("{}", s.ToString());
      continue;
    }
    if (uuid.empty() || r.state != "building") continue;
    auto d = deps_.hypervisor.Get(uuid);
    if (d.ok() && d->power_state == PowerState::kRunning) {
      // It got as far as a running domain: finish it.
      InstanceRecord done = r;
      done.state = "active";
      if (absl::Status s = deps_.files.Save(uuid, done); !s.ok()) spdlog::error("{}", s.ToString());
      pb::BuildInstance b;
      b.mutable_request()->set_task_id(r.task_id);
      *b.mutable_request()->mutable_spec() = r.spec;
      if (!r.migration_id.empty()) {
        b.mutable_request()->set_operation(pb::ScheduleRequest::MIGRATE);
        b.mutable_request()->set_migration_id(r.migration_id);
      }
      spdlog::info("reconcile: build of {} had finished before the restart", uuid);
      CompleteRootAfterRestart(r);
      if (absl::Status s = BuildSucceeded(b); !s.ok()) spdlog::error("{}", s.ToString());
      continue;
    }
    spdlog::info("reconcile: build of {} was interrupted; waiting for its cast again", uuid);
    absl::MutexLock l(&mu_);
    pending_reconcile_.insert(uuid);
  }
}

void ComputeManager::CompleteRootAfterRestart(const InstanceRecord& r) {
  // Boot from volume: the guest runs on its root volume; the attach is completed and
  // reported (again, if it was: completing twice changes nothing).
  std::optional<pb::BlockDevice> root = RootVolumeOf(r.spec);
  if (!root || root->attachment_id().empty() || deps_.volumes == nullptr) return;
  if (absl::Status s = deps_.volumes->CompleteRoot(r.spec.uuid(), *root, r.task_id); !s.ok()) {
    spdlog::error("reconcile: completing the root volume of {}: {}", r.spec.uuid(), s.ToString());
  }
}

void ComputeManager::FailStaleBuilds() {
  std::set<std::string> pending;
  {
    absl::MutexLock l(&mu_);
    pending.swap(pending_reconcile_);
  }
  for (const std::string& uuid : pending) {
    absl::MutexLock instance_lock(LockFor(uuid));
    auto r = deps_.files.Load(uuid);
    if (!r.ok() || r->state != "building") continue;  // a redelivery finished it
    pb::BuildInstance b;
    b.mutable_request()->set_task_id(r->task_id);
    *b.mutable_request()->mutable_spec() = r->spec;
    b.mutable_request()->mutable_spec()->set_uuid(uuid);
    b.mutable_request()->set_attempt(1);
    BuildFailed(b, absl::AbortedError(
                       absl::StrCat("the build was interrupted when the compute agent on ",
                                    options_.host, " stopped, and its request did not come back")));
  }
}

int ComputeManager::CleanupImageCache() {
  std::set<std::string> in_use;
  const int64_t day_ago = absl::ToUnixMillis(deps_.clock.Now() - absl::Hours(24));
  for (const InstanceRecord& r : deps_.files.All()) {
    if (r.state == "failed" && r.updated_unix_ms < day_ago && !r.spec.uuid().empty()) {
      // The marker that kept a redelivered failed build from running again has served.
      absl::MutexLock instance_lock(LockFor(r.spec.uuid()));
      (void)deps_.files.Remove(r.spec.uuid());
      continue;
    }
    for (const std::string* id : {&r.base_image_id, &r.kernel_id, &r.ramdisk_id}) {
      if (!id->empty()) in_use.insert(*id);
    }
  }
  return static_cast<int>(deps_.images.Cleanup(in_use, options_.image_cache_max_unused).size());
}

}  // namespace gureum::compute_agent
