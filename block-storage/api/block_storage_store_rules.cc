#include "block-storage/api/block_storage_store_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gureum::block_storage::store_rules {

absl::Status VolumeNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Volume ", id, " could not be found."));
}
absl::Status VolumeExists(const std::string& id) {
  return absl::AlreadyExistsError(absl::StrCat("Volume ", id, " already exists."));
}
absl::Status SnapshotNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Snapshot ", id, " could not be found."));
}
absl::Status SnapshotExists(const std::string& id) {
  return absl::AlreadyExistsError(absl::StrCat("Snapshot ", id, " already exists."));
}
absl::Status AttachmentNotFound(const std::string& id) {
  return absl::NotFoundError(
      absl::StrCat("Volume attachment could not be found with filter: attachment_id = ", id, "."));
}
absl::Status AttachmentExists(const std::string& id) {
  return absl::AlreadyExistsError(absl::StrCat("Volume attachment ", id, " already exists."));
}
absl::Status TypeNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Volume type ", id, " could not be found."));
}
absl::Status TypeNameNotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat("Volume type with name ", name, " could not be found."));
}
absl::Status TypeExists(const std::string& name) {
  return absl::AlreadyExistsError(absl::StrCat("Volume Type ", name, " already exists."));
}
absl::Status TypeAccessNotFound(const std::string& type_id, const std::string& project_id) {
  return absl::NotFoundError(absl::StrCat("Volume type access not found for ", type_id, " / ",
                                          project_id, " combination."));
}
absl::Status TypeAccessExists(const std::string& type_id, const std::string& project_id) {
  return absl::AlreadyExistsError(absl::StrCat("Volume type access for ", type_id, " / ",
                                               project_id, " combination already exists."));
}
absl::Status BackendNotFound(const std::string& key) {
  return absl::NotFoundError(absl::StrCat("Backend ", key, " could not be found."));
}
absl::Status MarkerNotFound(const std::string& marker) {
  return absl::NotFoundError(absl::StrCat("Marker ", marker, " could not be found."));
}
absl::Status BadSortKey(const std::string& key) {
  return absl::InvalidArgumentError(absl::StrCat("Invalid sort key: ", key, "."));
}
absl::Status BackendFull(const std::string& key, int64_t allocated_gb, int64_t size_gb,
                         int64_t capacity_gb) {
  return absl::ResourceExhaustedError(absl::StrCat("Backend ", key, " has ", allocated_gb,
                                                   " GB placed of ", capacity_gb,
                                                   " GB: no room for ", size_gb, " GB more."));
}

absl::Status Guard(const std::vector<std::string>& from, const std::string& current) {
  if (from.empty() || std::find(from.begin(), from.end(), current) != from.end()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(current);
}

const char* SortColumn(const std::string& sort_key) {
  static const std::map<std::string, const char*> kColumns = {
      {"created_at", "created_at"}, {"id", "id"},         {"name", "name"},
      {"size", "size_gb"},          {"status", "status"}, {"updated_at", "updated_at"}};
  auto it = kColumns.find(sort_key);
  return it == kColumns.end() ? nullptr : it->second;
}

absl::Time Stored(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

template <typename T>
void Set(const std::optional<T>& value, T& field) {
  if (value.has_value()) field = *value;
}

void Apply(const VolumeChange& c, Volume& v) {
  Set(c.status, v.status);
  Set(c.previous_status, v.previous_status);
  Set(c.size_gb, v.size_gb);
  Set(c.volume_type_id, v.volume_type_id);
  Set(c.backend_key, v.backend_key);
  Set(c.name, v.name);
  Set(c.description, v.description);
  Set(c.bootable, v.bootable);
  Set(c.read_only, v.read_only);
  Set(c.metadata, v.metadata);
  Set(c.image_metadata, v.image_metadata);
  Set(c.error, v.error);
  Set(c.task_id, v.task_id);
}

void Apply(const SnapshotChange& c, Snapshot& s) {
  Set(c.status, s.status);
  Set(c.name, s.name);
  Set(c.description, s.description);
  Set(c.metadata, s.metadata);
  Set(c.error, s.error);
  Set(c.task_id, s.task_id);
}

void Apply(const AttachmentChange& c, Attachment& a) {
  Set(c.status, a.status);
  Set(c.mountpoint, a.mountpoint);
  Set(c.connector_host, a.connector_host);
  Set(c.connector_ip, a.connector_ip);
  Set(c.connection_info, a.connection_info);
  Set(c.error, a.error);
  Set(c.task_id, a.task_id);
}

QuotaUsage BuildUsage(const std::map<std::string, TypeUsage>& by_type_id,
                      const std::map<std::string, std::string>& type_names) {
  QuotaUsage out = {{"volumes", 0}, {"gigabytes", 0}, {"snapshots", 0}};
  for (const auto& [id, name] : type_names) {
    out["volumes_" + name] = out["gigabytes_" + name] = out["snapshots_" + name] = 0;
  }
  for (const auto& [id, u] : by_type_id) {
    out["volumes"] += u.volumes;
    out["gigabytes"] += u.volume_gb + u.snapshot_gb;
    out["snapshots"] += u.snapshots;
    auto name = type_names.find(id);
    if (name == type_names.end()) continue;
    out["volumes_" + name->second] += u.volumes;
    out["gigabytes_" + name->second] += u.volume_gb + u.snapshot_gb;
    out["snapshots_" + name->second] += u.snapshots;
  }
  return out;
}

absl::Status CheckQuota(const QuotaLimits& limits, const QuotaUsage& usage,
                        const QuotaDelta& delta) {
  auto over = [&](const std::string& name, int64_t used, int64_t more) {
    if (more <= 0) return false;
    auto limit = limits.find(name);
    return limit != limits.end() && limit->second >= 0 && used + more > limit->second;
  };
  auto used = [&](const std::string& name) {
    auto it = usage.find(name);
    return it == usage.end() ? int64_t{0} : it->second;
  };
  std::vector<std::pair<std::string, int64_t>> checks;
  if (!delta.per_type_only) {
    checks = {
        {"volumes", delta.volumes}, {"snapshots", delta.snapshots}, {"gigabytes", delta.gigabytes}};
  }
  if (!delta.type_name.empty()) {
    checks.push_back({"volumes_" + delta.type_name, delta.volumes});
    checks.push_back({"snapshots_" + delta.type_name, delta.snapshots});
    checks.push_back({"gigabytes_" + delta.type_name, delta.gigabytes});
  }
  if (over("per_volume_gigabytes", 0, delta.volume_size_gb)) {
    return absl::ResourceExhaustedError("per_volume_gigabytes");
  }
  for (const auto& [name, more] : checks) {
    if (over(name, used(name), more)) return absl::ResourceExhaustedError(name);
  }
  return absl::OkStatus();
}

}  // namespace gureum::block_storage::store_rules
