// The in-memory ComputeStore, third part: services and aggregates (pg_host_store.cc).
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/fake_compute_store.h"

namespace gureum::compute {

// ---- services ----

absl::StatusOr<ServiceRecord> FakeComputeStore::RecordHeartbeat(const ServiceRecord& hb) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  const absl::Time now = clock_.Now();
  for (auto& [id, s] : services_) {
    if (s.host != hb.host || s.binary != hb.binary) continue;
    // The ON CONFLICT branch: keep what the beat leaves empty, except the version.
    s.last_seen_at = now;
    ++s.report_count;
    if (!hb.availability_zone.empty()) s.availability_zone = hb.availability_zone;
    if (!hb.node_uuid.empty()) s.node_uuid = hb.node_uuid;
    if (!hb.hypervisor_type.empty()) s.hypervisor_type = hb.hypervisor_type;
    if (!hb.host_ip.empty()) s.host_ip = hb.host_ip;
    s.running_vms = hb.running_vms;
    s.version = hb.version;
    s.updated_at = now;
    return s;
  }
  for (const auto& [id, s] : services_) {
    if (s.uuid == hb.uuid) {
      return absl::AlreadyExistsError(
          "duplicate key value violates unique constraint \"services_uuid_key\"");
    }
  }
  ServiceRecord s{.id = next_service_id_++,
                  .uuid = hb.uuid,
                  .host = hb.host,
                  .binary = hb.binary,
                  .last_seen_at = now,
                  .report_count = 1,
                  .availability_zone = hb.availability_zone,
                  .node_uuid = hb.node_uuid,
                  .hypervisor_type = hb.hypervisor_type,
                  .host_ip = hb.host_ip,
                  .running_vms = hb.running_vms,
                  .version = hb.version,
                  .created_at = now,
                  .updated_at = now};
  services_[s.id] = s;
  return s;
}

absl::StatusOr<std::vector<ServiceRecord>> FakeComputeStore::ListServices() {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<ServiceRecord> out;
  for (const auto& [id, s] : services_) out.push_back(s);
  return out;
}

absl::StatusOr<ServiceRecord> FakeComputeStore::GetService(const std::string& uuid_or_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  int id = -1;
  if (!absl::SimpleAtoi(uuid_or_id, &id)) id = -1;
  for (const auto& [sid, s] : services_) {
    if (s.uuid == uuid_or_id || sid == id) return s;
  }
  return absl::NotFoundError("Service " + uuid_or_id + " could not be found.");
}

absl::StatusOr<ServiceRecord> FakeComputeStore::UpdateService(const std::string& uuid,
                                                              std::optional<bool> enabled,
                                                              std::optional<std::string> reason,
                                                              std::optional<bool> forced_down) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto& [id, s] : services_) {
    if (s.uuid != uuid) continue;
    if (enabled) s.enabled = *enabled;
    if (enabled == true) {
      s.disabled_reason.clear();  // enabling drops the reason
    } else if (reason) {
      s.disabled_reason = *reason;
    }
    if (forced_down) s.forced_down = *forced_down;
    s.updated_at = clock_.Now();
    return s;
  }
  return absl::NotFoundError("Service " + uuid + " could not be found.");
}

absl::Status FakeComputeStore::DeleteService(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto it = services_.begin(); it != services_.end(); ++it) {
    if (it->second.uuid != uuid) continue;
    services_.erase(it);
    return absl::OkStatus();
  }
  return absl::NotFoundError("Service " + uuid + " could not be found.");
}

// ---- aggregates ----

absl::StatusOr<Aggregate*> FakeComputeStore::AggregateLocked(int id) {
  auto it = aggregates_.find(id);
  if (it == aggregates_.end()) {
    return absl::NotFoundError(absl::StrCat("Aggregate ", id, " could not be found."));
  }
  return &it->second;
}

absl::StatusOr<Aggregate> FakeComputeStore::CreateAggregate(const Aggregate& a) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (const auto& [id, other] : aggregates_) {
    if (other.name == a.name || other.uuid == a.uuid) {
      return absl::AlreadyExistsError("Aggregate " + a.name + " already exists.");
    }
  }
  Aggregate stored = a;
  stored.id = next_aggregate_id_++;
  stored.hosts.clear();
  stored.created_at = stored.updated_at = clock_.Now();
  aggregates_[stored.id] = stored;
  return stored;
}

absl::StatusOr<Aggregate> FakeComputeStore::GetAggregate(int id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  return *a;
}

absl::StatusOr<std::vector<Aggregate>> FakeComputeStore::ListAggregates() {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<Aggregate> out;
  for (const auto& [id, a] : aggregates_) out.push_back(a);
  return out;
}

absl::StatusOr<Aggregate> FakeComputeStore::UpdateAggregate(int id, std::optional<std::string> name,
                                                            std::optional<std::string> zone) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  for (const auto& [other_id, other] : aggregates_) {
    if (name && other_id != id && other.name == *name) {
      return absl::AlreadyExistsError("Aggregate " + *name + " already exists.");
    }
  }
  if (name) a->name = *name;
  if (zone) a->availability_zone = *zone;  // "" clears it (NULL)
  a->updated_at = clock_.Now();
  return *a;
}

absl::Status FakeComputeStore::DeleteAggregate(int id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  if (!a->hosts.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Cannot remove aggregate ", id, ": it still has hosts. Remove them first."));
  }
  aggregates_.erase(id);
  return absl::OkStatus();
}

absl::Status FakeComputeStore::AddAggregateHost(int id, const std::string& host) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  auto at = std::lower_bound(a->hosts.begin(), a->hosts.end(), host);
  if (at != a->hosts.end() && *at == host) {
    return absl::AlreadyExistsError(
        absl::StrCat("Aggregate ", id, " already has host ", host, "."));
  }
  a->hosts.insert(at, host);  // kept sorted, as ORDER BY host
  return absl::OkStatus();
}

absl::Status FakeComputeStore::RemoveAggregateHost(int id, const std::string& host) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  auto at = std::find(a->hosts.begin(), a->hosts.end(), host);
  if (at == a->hosts.end()) {
    return absl::NotFoundError(absl::StrCat("Aggregate ", id, " has no host ", host, "."));
  }
  a->hosts.erase(at);
  return absl::OkStatus();
}

absl::Status FakeComputeStore::SetAggregateMetadata(
    int id, const std::map<std::string, std::optional<std::string>>& changes) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  GUREUM_ASSIGN_OR_RETURN(Aggregate * a, AggregateLocked(id));
  for (const auto& [k, v] : changes) {
    if (v) {
      a->metadata[k] = *v;
    } else {
      a->metadata.erase(k);
    }
  }
  a->updated_at = clock_.Now();
  return absl::OkStatus();
}

}  // namespace gureum::compute
