// FakeBlockStorageStore: volume types and their access, backends, quotas.
#include <algorithm>

#include "block-storage/api/block_storage_store_rules.h"
#include "block-storage/api/fake_block_storage_store.h"
#include "common/status/macros.h"

namespace gureum::block_storage {

using namespace store_rules;  // NOLINT

#define FAKE_BLOCK_STORAGE_FAIL_FIRST() \
  absl::MutexLock lock(&mu_);           \
  if (absl::Status f = TakeFailure(); !f.ok()) return f

absl::Status FakeBlockStorageStore::CreateType(const VolumeType& t) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (t.name.empty()) return absl::InvalidArgumentError("Invalid input for the type's row.");
  if (types_.count(t.id)) return TypeExists(t.name);
  for (const auto& [id, other] : types_) {
    if (other.name == t.name) return TypeExists(t.name);
  }
  types_[t.id] = t;
  types_[t.id].created_at = Stored(t.created_at);
  return absl::OkStatus();
}

absl::StatusOr<VolumeType> FakeBlockStorageStore::GetType(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = types_.find(id);
  if (it == types_.end()) return TypeNotFound(id);
  return it->second;
}

absl::StatusOr<VolumeType> FakeBlockStorageStore::GetTypeByName(const std::string& name) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  for (const auto& [id, t] : types_) {
    if (t.name == name) return t;
  }
  return TypeNameNotFound(name);
}

absl::StatusOr<std::vector<VolumeType>> FakeBlockStorageStore::ListTypes(
    const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<VolumeType> out;
  for (const auto& [id, t] : types_) {
    if (project_id.empty() || t.is_public || type_access_.count({id, project_id})) {
      out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end(), [](const VolumeType& a, const VolumeType& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  return out;
}

absl::Status FakeBlockStorageStore::UpdateType(const VolumeType& t) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = types_.find(t.id);
  if (it == types_.end()) return TypeNotFound(t.id);
  if (t.name.empty()) return absl::InvalidArgumentError("Invalid input for the type's row.");
  for (const auto& [id, other] : types_) {
    if (id != t.id && other.name == t.name) return TypeExists(t.name);
  }
  it->second.name = t.name;
  it->second.description = t.description;
  it->second.is_public = t.is_public;
  it->second.extra_specs = t.extra_specs;
  return absl::OkStatus();
}

absl::Status FakeBlockStorageStore::DeleteType(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!types_.count(id)) return TypeNotFound(id);
  for (const auto& [vid, v] : volumes_) {
    if (v.volume_type_id == id) return absl::FailedPreconditionError("in use");
  }
  types_.erase(id);
  for (auto it = type_access_.begin(); it != type_access_.end();) {
    it = it->first == id ? type_access_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::Status FakeBlockStorageStore::AddTypeAccess(const std::string& type_id,
                                                  const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!types_.count(type_id)) return TypeNotFound(type_id);
  if (!type_access_.insert({type_id, project_id}).second) {
    return TypeAccessExists(type_id, project_id);
  }
  return absl::OkStatus();
}

absl::Status FakeBlockStorageStore::RemoveTypeAccess(const std::string& type_id,
                                                     const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  return type_access_.erase({type_id, project_id}) == 1 ? absl::OkStatus()
                                                        : TypeAccessNotFound(type_id, project_id);
}

absl::StatusOr<std::vector<std::string>> FakeBlockStorageStore::ListTypeAccess(
    const std::string& type_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!types_.count(type_id)) return TypeNotFound(type_id);
  std::vector<std::string> out;
  for (const auto& [type, project] : type_access_) {
    if (type == type_id) out.push_back(project);
  }
  return out;
}

// ---- backends ----

int64_t FakeBlockStorageStore::AllocatedLocked(const std::string& key,
                                               const std::string& except_volume) {
  int64_t n = 0;
  for (const auto& [id, v] : volumes_) {
    if (v.backend_key == key && id != except_volume) n += v.size_gb;
  }
  for (const auto& [id, s] : snapshots_) {
    if (s.backend_key == key) n += s.snapshot.size_gb;
  }
  return n;
}

absl::Status FakeBlockStorageStore::ReportBackend(const Backend& b) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (b.total_gb < 0 || b.free_gb < 0) {
    return absl::InvalidArgumentError("Invalid input for the backend's row.");
  }
  Backend& stored = backends_[b.key];
  bool disabled = stored.disabled;
  std::string reason = stored.disabled_reason;
  stored = b;
  stored.allocated_gb = 0;
  stored.updated_at = Stored(b.updated_at);
  stored.disabled = disabled;
  stored.disabled_reason = reason;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Backend>> FakeBlockStorageStore::ListBackends() {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Backend> out;
  for (const auto& [key, b] : backends_) {
    out.push_back(b);
    out.back().allocated_gb = AllocatedLocked(key, "");
  }
  return out;
}

absl::Status FakeBlockStorageStore::SetBackendDisabled(const std::string& key, bool disabled,
                                                       const std::string& reason) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = backends_.find(key);
  if (it == backends_.end()) return BackendNotFound(key);
  it->second.disabled = disabled;
  it->second.disabled_reason = reason;
  return absl::OkStatus();
}

absl::Status FakeBlockStorageStore::ClaimBackend(const std::string& volume_id,
                                                 const std::string& key, int64_t capacity_gb,
                                                 absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!backends_.count(key)) return BackendNotFound(key);
  auto v = volumes_.find(volume_id);
  if (v == volumes_.end()) return VolumeNotFound(volume_id);
  int64_t allocated = AllocatedLocked(key, volume_id);
  if (allocated + v->second.size_gb > capacity_gb) {
    return BackendFull(key, allocated, v->second.size_gb, capacity_gb);
  }
  v->second.backend_key = key;
  v->second.updated_at = Stored(now);
  return absl::OkStatus();
}

// ---- quotas ----

absl::StatusOr<QuotaLimits> FakeBlockStorageStore::GetQuotas(const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = quotas_.find(project_id);
  return it == quotas_.end() ? QuotaLimits{} : it->second;
}

absl::Status FakeBlockStorageStore::SetQuotas(const std::string& project_id,
                                              const QuotaLimits& limits) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  for (const auto& [name, limit] : limits) {
    if (limit < -1) return absl::InvalidArgumentError("Invalid input for the quota's row.");
  }
  for (const auto& [name, limit] : limits) quotas_[project_id][name] = limit;
  return absl::OkStatus();
}

absl::Status FakeBlockStorageStore::DeleteQuotas(const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  quotas_.erase(project_id);
  return absl::OkStatus();
}

absl::StatusOr<QuotaUsage> FakeBlockStorageStore::GetUsage(const std::string& project_id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  return UsageLocked(project_id);
}

}  // namespace gureum::block_storage
