// The in-memory ComputeStore: each method mirrors its pg_*_store.cc counterpart (what the
// SQL inserts, updates and orders by, and the foreign keys of migrations/0001_initial.sql).
// This file: flavors, keypairs, server groups and quotas (pg_resource_store.cc);
// fake_compute_store_instances.cc and fake_compute_store_hosts.cc hold the rest.
#include "compute/api/fake_compute_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"

namespace gureum::compute {
namespace {

absl::Status FlavorNotFound(const std::string& id) {
  return absl::NotFoundError("Flavor " + id + " could not be found.");
}

}  // namespace

void FakeComputeStore::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

absl::Status FakeComputeStore::TakeFailure() {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status s = failures_.front();
  failures_.pop_front();
  return s;
}

// ---- flavors ----

absl::Status FakeComputeStore::CreateFlavor(const FlavorRecord& f) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (f.vcpus <= 0 || f.ram_mb <= 0 || f.disk_gb < 0 || f.ephemeral_gb < 0 || f.swap_mb < 0) {
    return absl::InvalidArgumentError("new row for relation \"flavors\" violates a check");
  }
  bool taken = flavors_.count(f.id) > 0;
  for (const auto& [id, other] : flavors_) taken = taken || other.name == f.name;
  if (taken) {
    return absl::AlreadyExistsError("Flavor with ID " + f.id + " or name " + f.name +
                                    " already exists.");
  }
  FlavorRecord stored = f;
  stored.disabled = false;
  stored.created_at = clock_.Now();
  flavors_[f.id] = std::move(stored);
  return absl::OkStatus();
}

absl::StatusOr<FlavorRecord> FakeComputeStore::GetFlavor(const std::string& id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = flavors_.find(id);
  if (it == flavors_.end()) return absl::NotFoundError("flavor " + id + " not found");
  return it->second;
}

absl::StatusOr<std::vector<FlavorRecord>> FakeComputeStore::ListFlavors(
    const FlavorFilter& filter) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<FlavorRecord> out;
  for (const auto& [id, f] : flavors_) {
    if (!filter.all && !f.is_public && !flavor_access_.count({id, filter.project_id})) continue;
    if (filter.is_public && f.is_public != *filter.is_public) continue;
    if (filter.min_ram && f.ram_mb < *filter.min_ram) continue;
    if (filter.min_disk && f.disk_gb < *filter.min_disk) continue;
    out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(), [](const FlavorRecord& a, const FlavorRecord& b) {
    return a.ram_mb < b.ram_mb;  // then by id: the map's order
  });
  return out;
}

absl::Status FakeComputeStore::DeleteFlavor(const std::string& id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (flavors_.erase(id) == 0) return FlavorNotFound(id);
  for (auto it = flavor_access_.begin(); it != flavor_access_.end();) {
    it = it->first == id ? flavor_access_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::Status FakeComputeStore::UpdateFlavorDescription(const std::string& id,
                                                       const std::string& d) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = flavors_.find(id);
  if (it == flavors_.end()) return FlavorNotFound(id);
  it->second.description = d;
  return absl::OkStatus();
}

absl::Status FakeComputeStore::SetExtraSpecs(const std::string& id, const StringMap& specs) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = flavors_.find(id);
  if (it == flavors_.end()) return FlavorNotFound(id);
  for (const auto& [k, v] : specs) it->second.extra_specs[k] = v;
  return absl::OkStatus();
}

absl::Status FakeComputeStore::DeleteExtraSpec(const std::string& id, const std::string& key) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = flavors_.find(id);
  if (it == flavors_.end() || it->second.extra_specs.erase(key) == 0) {
    return absl::NotFoundError("Flavor " + id + " has no extra specs with key " + key + ".");
  }
  return absl::OkStatus();
}

absl::Status FakeComputeStore::AddFlavorAccess(const std::string& id, const std::string& project) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (!flavors_.count(id)) return FlavorNotFound(id);
  if (!flavor_access_.insert({id, project}).second) {
    return absl::AlreadyExistsError("Flavor access already exists for flavor " + id +
                                    " and project " + project + " combination.");
  }
  return absl::OkStatus();
}

absl::Status FakeComputeStore::RemoveFlavorAccess(const std::string& id,
                                                  const std::string& project) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (flavor_access_.erase({id, project}) == 0) {
    return absl::NotFoundError("Flavor access not found for " + id + " / " + project +
                               " combination.");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeComputeStore::ListFlavorAccess(const std::string& id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<std::string> out;
  for (const auto& [flavor, project] : flavor_access_) {
    if (flavor == id) out.push_back(project);
  }
  return out;
}

// ---- keypairs ----

absl::Status FakeComputeStore::CreateKeypair(const Keypair& k, int64_t limit) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  int64_t used = 0;
  for (const auto& [key, kp] : keypairs_) used += key.first == k.user_id ? 1 : 0;
  if (limit >= 0 && used + 1 > limit) {
    return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                              "Quota exceeded for key_pairs: Requested 1, but already used ", used,
                              " of ", limit, " key_pairs")),
                          403);
  }
  Keypair stored = k;
  stored.created_at = clock_.Now();
  if (!keypairs_.emplace(std::make_pair(k.user_id, k.name), std::move(stored)).second) {
    return absl::AlreadyExistsError("Key pair '" + k.name + "' already exists.");
  }
  return absl::OkStatus();
}

absl::StatusOr<Keypair> FakeComputeStore::GetKeypair(const std::string& user,
                                                     const std::string& name) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = keypairs_.find({user, name});
  if (it == keypairs_.end()) {
    return absl::NotFoundError("Keypair " + name + " not found for user " + user);
  }
  return it->second;
}

absl::StatusOr<std::vector<Keypair>> FakeComputeStore::ListKeypairs(const std::string& user) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<Keypair> out;
  for (const auto& [key, kp] : keypairs_) {
    if (key.first == user) out.push_back(kp);  // by name: the map's order
  }
  return out;
}

absl::Status FakeComputeStore::DeleteKeypair(const std::string& user, const std::string& name) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (keypairs_.erase({user, name}) == 0) {
    return absl::NotFoundError("Keypair " + name + " not found for user " + user);
  }
  return absl::OkStatus();
}

QuotaUsage FakeComputeStore::UsageLocked(const std::string& project) const {
  QuotaUsage u;
  for (const auto& [uuid, i] : instances_) {
    if (i.project_id != project) continue;
    ++u.instances;
    u.cores += i.flavor.vcpus;
    u.ram += i.flavor.ram_mb;
  }
  for (const auto& [uuid, g] : groups_) u.server_groups += g.project_id == project ? 1 : 0;
  return u;
}

// ---- server groups ----

std::vector<std::string> FakeComputeStore::MembersLocked(const std::string& group) const {
  std::vector<std::string> out;
  for (const auto& [g, uuid] : members_) {
    if (g == group) out.push_back(uuid);  // by instance uuid: the set's order
  }
  return out;
}

absl::Status FakeComputeStore::CreateServerGroup(const ServerGroup& g, int64_t limit) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  const int64_t used = UsageLocked(g.project_id).server_groups;
  if (limit >= 0 && used + 1 > limit) {
    return WithHttpStatus(
        absl::ResourceExhaustedError(
            absl::StrCat("Quota exceeded, too many server groups. (Requested 1, but already used ",
                         used, " of ", limit, " server_groups)")),
        403);
  }
  if (groups_.count(g.uuid)) {
    return absl::AlreadyExistsError(
        "duplicate key value violates unique constraint \"server_groups_pkey\"");
  }
  ServerGroup stored = g;
  stored.members.clear();
  stored.created_at = clock_.Now();
  groups_[g.uuid] = std::move(stored);
  return absl::OkStatus();
}

absl::StatusOr<ServerGroup> FakeComputeStore::GetServerGroup(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = groups_.find(uuid);
  if (it == groups_.end()) {
    return absl::NotFoundError("Instance group " + uuid + " could not be found.");
  }
  ServerGroup g = it->second;
  g.members = MembersLocked(uuid);
  return g;
}

absl::StatusOr<std::vector<ServerGroup>> FakeComputeStore::ListServerGroups(
    const std::string& project) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::vector<ServerGroup> out;
  for (const auto& [uuid, g] : groups_) {
    if (!project.empty() && g.project_id != project) continue;
    out.push_back(g);
    out.back().members = MembersLocked(uuid);
  }
  std::stable_sort(out.begin(), out.end(), [](const ServerGroup& a, const ServerGroup& b) {
    return a.created_at < b.created_at;  // then by uuid: the map's order
  });
  return out;
}

absl::Status FakeComputeStore::DeleteServerGroup(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (groups_.erase(uuid) == 0) {
    return absl::NotFoundError("Instance group " + uuid + " could not be found.");
  }
  for (auto it = members_.begin(); it != members_.end();) {
    it = it->first == uuid ? members_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

// ---- quotas ----

absl::StatusOr<QuotaLimits> FakeComputeStore::GetQuotaLimits(const std::string& project,
                                                             const QuotaLimits& defaults) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  QuotaLimits out = defaults;
  for (const auto& [key, limit] : quotas_) {  // the resources only kept (model.h)
    if (int64_t* kept = KeptQuota(out, key.second); kept && key.first == project) *kept = limit;
  }
  const std::map<std::string, int64_t*> fields = {
      {"instances", &out.instances},
      {"cores", &out.cores},
      {"ram", &out.ram},
      {"key_pairs", &out.key_pairs},
      {"server_groups", &out.server_groups},
      {"server_group_members", &out.server_group_members},
      {"metadata_items", &out.metadata_items}};
  for (const auto* rows : {&quota_classes_, &quotas_}) {
    const std::string& owner = rows == &quotas_ ? project : "default";
    for (const auto& [key, limit] : *rows) {
      auto field = fields.find(key.second);
      if (key.first == owner && field != fields.end()) *field->second = limit;
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> FakeComputeStore::GetQuotaClass(
    const std::string& name) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  std::map<std::string, int64_t> out;
  for (const auto& [key, limit] : quota_classes_) {
    if (key.first == name) out[key.second] = limit;
  }
  return out;
}

absl::Status FakeComputeStore::SetQuotaClassLimit(const std::string& name,
                                                  const std::string& resource, int64_t limit) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  quota_classes_[{name, resource}] = limit;
  return absl::OkStatus();
}

absl::Status FakeComputeStore::SetQuotaLimit(const std::string& project,
                                             const std::string& resource, int64_t limit) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  quotas_[{project, resource}] = limit;
  return absl::OkStatus();
}

absl::Status FakeComputeStore::DeleteQuotas(const std::string& project) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  for (auto it = quotas_.begin(); it != quotas_.end();) {
    it = it->first.first == project ? quotas_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::StatusOr<QuotaUsage> FakeComputeStore::GetQuotaUsage(const std::string& project,
                                                           const std::string& user) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  QuotaUsage u = UsageLocked(project);
  for (const auto& [key, kp] : keypairs_) u.key_pairs += key.first == user ? 1 : 0;
  return u;
}

}  // namespace gureum::compute
