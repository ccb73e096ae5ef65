// The in-memory ComputeStore, second part: instances, their faults and actions, and
// migrations (pg_instance_store.cc).
#include <algorithm>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/fake_compute_store.h"

namespace gureum::compute {
namespace {

absl::Status InstanceNotFound(const std::string& uuid) {
  return absl::NotFoundError("Instance " + uuid + " could not be found.");
}

// What an instance's flavor and image snapshots keep through their jsonb columns.
FlavorRecord Snapshot(FlavorRecord f) {
  f.disabled = false;
  f.created_at = absl::Time();
  return f;
}
std::optional<FlavorRecord> Snapshot(const std::optional<FlavorRecord>& f) {
  if (!f) return std::nullopt;
  return Snapshot(*f);
}

// The same check and message as pg_instance_store.cc.
absl::Status CheckQuota(const char* resource, int64_t requested, int64_t used, int64_t limit) {
  if (limit < 0 || requested == 0 || used + requested <= limit) return absl::OkStatus();
  return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                            "Quota exceeded for ", resource, ": Requested ", requested,
                            ", but already used ", used, " of ", limit, " ", resource)),
                        403);
}

std::optional<std::string> OrNull(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}
std::string Number(int64_t v) { return absl::StrFormat("%020d", v + (int64_t{1} << 62)); }
std::optional<std::string> TimeKey(std::optional<absl::Time> t) {
  if (!t) return std::nullopt;
  return Number(absl::ToUnixMicros(*t));
}

// The value of ListInstances' sort key as a byte-ordered string; nullopt is SQL NULL
// (the columns the store writes with NullIfEmpty).
std::optional<std::string> SortValue(const Instance& i, const std::string& key) {
  if (key == "created_at") return TimeKey(i.created_at);
  if (key == "updated_at") return TimeKey(i.updated_at);
  if (key == "launched_at") return TimeKey(i.launched_at);
  if (key == "terminated_at") return TimeKey(i.terminated_at);
  if (key == "power_state") return Number(i.power_state);
  if (key == "launch_index") return Number(i.launch_index);
  if (key == "name") return i.name;
  if (key == "uuid") return i.uuid;
  if (key == "vm_state") return i.vm_state;
  if (key == "image_ref") return i.image_ref;
  if (key == "project_id") return i.project_id;
  if (key == "user_id") return i.user_id;
  if (key == "task_state") return OrNull(i.task_state);
  if (key == "host") return OrNull(i.host);
  if (key == "availability_zone") return OrNull(i.availability_zone);
  if (key == "key_name") return OrNull(i.key_name);
  if (key == "hostname") return OrNull(i.hostname);
  return OrNull(i.node);
}

bool MatchesFilter(const Instance& i, const InstanceFilter& f, const std::regex* name) {
  if ((!f.all_projects || !f.project_id.empty()) && i.project_id != f.project_id) return false;
  if (!f.user_id.empty() && i.user_id != f.user_id) return false;
  if (name != nullptr && !std::regex_search(i.name, *name)) return false;
  if (!f.vm_state.empty() && i.vm_state != f.vm_state) return false;
  if (!f.not_vm_state.empty() && i.vm_state == f.not_vm_state) return false;
  if (!f.task_state.empty() && i.task_state != f.task_state) return false;
  if (!f.host.empty() && i.host != f.host) return false;
  if (!f.image_ref.empty() && i.image_ref != f.image_ref) return false;
  if (!f.flavor_id.empty() && i.flavor.id != f.flavor_id) return false;
  if (!f.reservation_id.empty() && i.reservation_id != f.reservation_id) return false;
  for (const auto& [regex, version] : {std::pair{&f.ip_regex, 4}, std::pair{&f.ip6_regex, 6}}) {
    if (regex->empty()) continue;
    const std::regex re(*regex);  // checked by ListInstances before it gets here
    bool found = false;
    for (const Vif& v : i.vifs) {
      for (const VifIp& ip : v.ips)
        found = found || (ip.version == version && std::regex_search(ip.address, re));
    }
    if (!found) return false;
  }
  if (f.changes_since && i.updated_at < *f.changes_since) return false;
  if (!f.uuids.empty() && std::find(f.uuids.begin(), f.uuids.end(), i.uuid) == f.uuids.end()) {
    return false;
  }
  return true;
}

}  // namespace

absl::Status FakeComputeStore::CreateInstances(const std::vector<Instance>& instances,
                                               const QuotaRequest& quota,
                                               const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (instances.empty()) return absl::OkStatus();
  const QuotaUsage u = UsageLocked(instances.front().project_id);
  GUREUM_RETURN_IF_ERROR(
      CheckQuota("instances", quota.instances, u.instances, quota.limits.instances));
  GUREUM_RETURN_IF_ERROR(CheckQuota("cores", quota.cores, u.cores, quota.limits.cores));
  GUREUM_RETURN_IF_ERROR(CheckQuota("ram", quota.ram, u.ram, quota.limits.ram));
  // All or nothing: check every row before writing any.
  std::set<std::string> uuids;
  for (const Instance& i : instances) {
    if (instances_.count(i.uuid) || !uuids.insert(i.uuid).second) {
      return absl::AlreadyExistsError(
          "duplicate key value violates unique constraint "
          "\"instances_pkey\"");
    }
    if (!i.server_group.empty() && !groups_.count(i.server_group)) {
      return absl::FailedPreconditionError(
          "insert or update on table \"server_group_members\" violates foreign key constraint");
    }
  }
  const absl::Time now = clock_.Now();
  for (const Instance& in : instances) {
    // The columns the INSERT writes; the others take their defaults.
    Instance i{.uuid = in.uuid,
               .name = in.name,
               .project_id = in.project_id,
               .user_id = in.user_id,
               .flavor = Snapshot(in.flavor),
               .image_ref = in.image_ref,
               .image = in.image,
               .vm_state = in.vm_state,
               .task_state = in.task_state,
               .power_state = in.power_state,
               .task_id = in.task_id,
               .availability_zone = in.availability_zone,
               .key_name = in.key_name,
               .key_data = in.key_data,
               .user_data = in.user_data,
               .metadata = in.metadata,
               .network_ids = in.network_ids,
               .port_ids = in.port_ids,
               .requested_networks = in.requested_networks,
               .security_groups = in.security_groups,
               .server_group = in.server_group,
               .hostname = in.hostname,
               .launch_index = in.launch_index,
               .reservation_id = in.reservation_id,
               .description = in.description,
               .access_ip_v4 = in.access_ip_v4,
               .access_ip_v6 = in.access_ip_v6,
               .auto_disk_config = in.auto_disk_config,
               .created_at = now,
               .updated_at = now};
    i.image.virtual_size = 0;  // not in the image snapshot
    if (!i.server_group.empty()) members_.insert({i.server_group, i.uuid});
    StartActionLocked({.instance_uuid = i.uuid,
                       .request_id = request_id,
                       .action = "create",
                       .project_id = i.project_id,
                       .user_id = i.user_id});
    instances_[i.uuid] = std::move(i);
  }
  return absl::OkStatus();
}

absl::StatusOr<Instance> FakeComputeStore::GetInstance(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = instances_.find(uuid);
  if (it == instances_.end()) return InstanceNotFound(uuid);
  return it->second;
}

absl::StatusOr<std::vector<Instance>> FakeComputeStore::ListInstances(const InstanceFilter& f) {
  static const std::set<std::string> kSortable = {
      "created_at", "updated_at",  "name",          "uuid",        "vm_state",
      "task_state", "power_state", "host",          "launched_at", "availability_zone",
      "image_ref",  "key_name",    "project_id",    "user_id",     "display_name",
      "hostname",   "node",        "terminated_at", "launch_index"};
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  const std::string key = f.sort_key == "display_name" ? "name" : f.sort_key;
  if (!kSortable.count(key)) return absl::InvalidArgumentError("Invalid sort_key " + f.sort_key);
  for (const std::string* ip : {&f.ip_regex, &f.ip6_regex}) {
    try {
      if (!ip->empty()) std::regex check(*ip);
    } catch (const std::regex_error&) {
      return absl::InvalidArgumentError("invalid regular expression: " + *ip);
    }
  }
  std::optional<std::regex> name;
  if (!f.name_regex.empty()) {
    try {
      name.emplace(f.name_regex);
    } catch (const std::regex_error&) {
      return absl::InvalidArgumentError("invalid regular expression: " + f.name_regex);
    }
  }
  using Row = std::pair<std::optional<std::string>, const Instance*>;
  // (key, uuid) in the requested direction, NULL keys last either way.
  auto before = [&](const Row& a, const Row& b) {
    if (a.first.has_value() != b.first.has_value()) return a.first.has_value();
    if (a.first != b.first) return f.sort_desc ? *a.first > *b.first : *a.first < *b.first;
    return f.sort_desc ? a.second->uuid > b.second->uuid : a.second->uuid < b.second->uuid;
  };
  std::optional<Row> marker;
  if (!f.marker.empty()) {
    auto it = instances_.find(f.marker);
    if (it == instances_.end()) {
      return absl::InvalidArgumentError("marker [" + f.marker + "] not found");
    }
    marker = Row{SortValue(it->second, key), &it->second};
  }
  std::vector<Row> rows;
  for (const auto& [uuid, i] : instances_) {
    if (!MatchesFilter(i, f, name ? &*name : nullptr)) continue;
    Row row{SortValue(i, key), &i};
    // SQL's row comparison is NULL (the row left out) when either key is NULL.
    if (marker && (!row.first || !marker->first || !before(*marker, row))) continue;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), before);
  std::vector<Instance> out;
  for (const Row& r : rows) {
    if (static_cast<int>(out.size()) >= std::max(0, f.limit)) break;
    out.push_back(*r.second);
  }
  return out;
}

absl::StatusOr<std::vector<Instance>> FakeComputeStore::ListInstancesOnHost(
    const std::string& host) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<Instance> out;
  for (const auto& [uuid, i] : instances_) {
    if (!host.empty() && i.host == host) out.push_back(i);
  }
  return out;
}

absl::StatusOr<Instance> FakeComputeStore::MutateInstance(const std::string& uuid,
                                                          const InstanceMutation& mutate) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = instances_.find(uuid);
  if (it == instances_.end()) return InstanceNotFound(uuid);
  Instance next = it->second;
  GUREUM_RETURN_IF_ERROR(mutate(next));
  // The columns the UPDATE writes; the others keep their stored values.
  Instance& saved = it->second;
  saved.name = next.name;
  saved.flavor = Snapshot(next.flavor);
  saved.new_flavor = Snapshot(next.new_flavor);
  saved.old_flavor = Snapshot(next.old_flavor);
  saved.image_ref = next.image_ref;
  saved.image = next.image;
  saved.image.virtual_size = 0;
  saved.vm_state = next.vm_state;
  saved.task_state = next.task_state;
  saved.power_state = next.power_state;
  saved.task_id = next.task_id;
  saved.host = next.host;
  saved.node = next.node;
  saved.metadata = next.metadata;
  saved.locked = next.locked;
  saved.locked_by = next.locked_by;
  saved.locked_reason = next.locked_reason;
  saved.console_tail = next.console_tail;
  saved.progress = next.progress;
  saved.launched_at = next.launched_at;
  saved.terminated_at = next.terminated_at;
  saved.description = next.description;
  saved.availability_zone = next.availability_zone;
  saved.vifs = next.vifs;
  saved.access_ip_v4 = next.access_ip_v4;
  saved.access_ip_v6 = next.access_ip_v6;
  saved.auto_disk_config = next.auto_disk_config;
  saved.deleted_at = next.deleted_at;
  saved.diagnostics = next.diagnostics;
  saved.diagnostics_at = next.diagnostics_at;
  saved.updated_at = clock_.Now();
  return saved;
}

absl::Status FakeComputeStore::DeleteInstance(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (instances_.erase(uuid) == 0) return InstanceNotFound(uuid);
  for (auto it = members_.begin(); it != members_.end();) {
    it = it->second == uuid ? members_.erase(it) : std::next(it);
  }
  faults_.erase(std::remove_if(faults_.begin(), faults_.end(),
                               [&](const StoredFault& f) { return f.fault.instance_uuid == uuid; }),
                faults_.end());
  for (auto it = volume_attachments_.begin(); it != volume_attachments_.end();) {
    it = it->first.first == uuid ? volume_attachments_.erase(it) : std::next(it);
  }
  return absl::OkStatus();  // actions stay (Nova lists a deleted server's actions)
}

absl::Status FakeComputeStore::AddFault(const InstanceFault& fault) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (!instances_.count(fault.instance_uuid)) {
    return absl::FailedPreconditionError(
        "insert or update on table \"instance_faults\" violates foreign key constraint");
  }
  StoredFault f{.id = next_id_++, .fault = fault};
  f.fault.created_at = clock_.Now();
  faults_.push_back(std::move(f));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<InstanceFault>> FakeComputeStore::ListFaults(const std::string& uuid,
                                                                        int limit) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<InstanceFault> out;
  for (auto it = faults_.rbegin(); it != faults_.rend(); ++it) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (it->fault.instance_uuid == uuid) out.push_back(it->fault);
  }
  return out;
}

int64_t FakeComputeStore::StartActionLocked(InstanceActionRecord a) {
  a.id = next_id_++;
  a.start_time = a.updated_at = clock_.Now();
  a.finish_time.reset();
  a.events.clear();
  actions_[a.id] = std::move(a);
  return next_id_ - 1;
}

absl::StatusOr<int64_t> FakeComputeStore::StartAction(const InstanceActionRecord& action) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  return StartActionLocked(action);
}

absl::Status FakeComputeStore::AddActionEvent(const std::string& uuid, const ActionEvent& event) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto it = actions_.rbegin(); it != actions_.rend(); ++it) {
    InstanceActionRecord& a = it->second;
    if (a.instance_uuid != uuid) continue;
    a.events.push_back(event);
    if (event.finish_time) {
      a.finish_time = event.finish_time;
      a.updated_at = clock_.Now();
      if (event.result == "Error") a.message = "Error";
    }
    return absl::OkStatus();
  }
  return absl::OkStatus();  // nothing to attach it to
}

absl::StatusOr<std::vector<InstanceActionRecord>> FakeComputeStore::ListActions(
    const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<InstanceActionRecord> out;
  for (auto it = actions_.rbegin(); it != actions_.rend(); ++it) {
    if (it->second.instance_uuid != uuid) continue;
    out.push_back(it->second);
    out.back().events.clear();  // the listing has no events, as the SQL one
  }
  return out;
}

absl::StatusOr<InstanceActionRecord> FakeComputeStore::GetAction(const std::string& uuid,
                                                                 const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto it = actions_.rbegin(); it != actions_.rend(); ++it) {
    if (it->second.instance_uuid == uuid && it->second.request_id == request_id) return it->second;
  }
  return absl::NotFoundError("Action for request_id " + request_id + " on instance " + uuid +
                             " not found");
}

absl::Status FakeComputeStore::CreateMigration(const MigrationRecord& m) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (migrations_.count(m.uuid)) {
    return absl::AlreadyExistsError(
        "duplicate key value violates unique constraint \"migrations_pkey\"");
  }
  StoredMigration s{.seq = next_id_++, .migration = m};
  s.migration.id = s.seq;
  s.migration.created_at = s.migration.updated_at = clock_.Now();
  migrations_[m.uuid] = std::move(s);
  return absl::OkStatus();
}

absl::Status FakeComputeStore::SetMigrationStatus(const std::string& uuid,
                                                  const std::string& status) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = migrations_.find(uuid);
  if (it == migrations_.end()) return absl::OkStatus();  // an UPDATE of no row
  it->second.migration.status = status;
  it->second.migration.updated_at = clock_.Now();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MigrationRecord>> FakeComputeStore::ListMigrations(
    const std::string& instance_uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<const StoredMigration*> rows;
  for (const auto& [uuid, m] : migrations_) {
    if (instance_uuid.empty() || m.migration.instance_uuid == instance_uuid) rows.push_back(&m);
  }
  // Newest first; the insertion order breaks ties of one clock reading.
  std::sort(rows.begin(), rows.end(), [](const StoredMigration* a, const StoredMigration* b) {
    if (a->migration.created_at != b->migration.created_at) {
      return a->migration.created_at > b->migration.created_at;
    }
    return a->seq > b->seq;
  });
  std::vector<MigrationRecord> out;
  for (const StoredMigration* m : rows) out.push_back(m->migration);
  return out;
}

}  // namespace gureum::compute
