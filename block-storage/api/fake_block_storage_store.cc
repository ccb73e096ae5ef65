// FakeBlockStorageStore: volumes, snapshots, attachments, and what they share.
#include "block-storage/api/fake_block_storage_store.h"

#include <algorithm>

#include "block-storage/api/block_storage_store_rules.h"
#include "common/status/macros.h"

namespace gureum::block_storage {

using namespace store_rules;  // NOLINT

#define FAKE_BLOCK_STORAGE_FAIL_FIRST() \
  absl::MutexLock lock(&mu_);           \
  if (absl::Status f = TakeFailure(); !f.ok()) return f

namespace {

// The schema's CHECK constraints (migrations/0001_initial.sql).
absl::Status CheckVolumeRow(const Volume& v) {
  static const std::set<std::string> kStatuses = {"creating",          "available",
                                                  "reserved",          "attaching",
                                                  "detaching",         "in-use",
                                                  "maintenance",       "deleting",
                                                  "awaiting-transfer", "error",
                                                  "error_deleting",    "backing-up",
                                                  "restoring-backup",  "error_backing-up",
                                                  "error_restoring",   "error_extending",
                                                  "downloading",       "uploading",
                                                  "retyping",          "extending",
                                                  "managing",          "error_managing"};
  if (!kStatuses.count(v.status) || v.size_gb < 1) {
    return absl::InvalidArgumentError("Invalid input for the volume's row.");
  }
  return absl::OkStatus();
}

absl::Status CheckSnapshotRow(const Snapshot& s) {
  static const std::set<std::string> kStatuses = {"creating",  "available",      "deleting",
                                                  "error",     "error_deleting", "backing-up",
                                                  "restoring", "unmanaging"};
  if (!kStatuses.count(s.status) || s.size_gb < 0) {
    return absl::InvalidArgumentError("Invalid input for the snapshot's row.");
  }
  return absl::OkStatus();
}

absl::Status CheckAttachmentRow(const Attachment& a) {
  static const std::set<std::string> kStatuses = {"reserved",       "attaching", "attached",
                                                  "detaching",      "detached",  "error_attaching",
                                                  "error_detaching"};
  if (!kStatuses.count(a.status) || (a.mode != "rw" && a.mode != "ro") ||
      (a.connection_info.protocol != "" && a.connection_info.protocol != "nbd" &&
       a.connection_info.protocol != "file")) {
    return absl::InvalidArgumentError("Invalid input for the attachment's row.");
  }
  return absl::OkStatus();
}

// a < b in a listing sorted by `column` ascending (ties by id).
template <typename T>
bool SortsBefore(const T& a, const T& b, const std::string& column) {
  auto by = [&](const auto& x, const auto& y) { return x != y ? x < y : a.id < b.id; };
  if (column == "created_at") return by(a.created_at, b.created_at);
  if (column == "name") return by(a.name, b.name);
  if (column == "size_gb") return by(a.size_gb, b.size_gb);
  if (column == "status") return by(a.status, b.status);
  if (column == "updated_at") return by(a.updated_at, b.updated_at);
  return a.id < b.id;
}

// What SelectPage does on PostgreSQL, on the rows that passed the filters.
template <typename T>
absl::StatusOr<std::vector<T>> Page(std::vector<T> rows, const std::string& sort_key,
                                    bool sort_desc, const std::string& marker, int64_t limit) {
  const char* column = SortColumn(sort_key);
  if (column == nullptr) return BadSortKey(sort_key);
  std::sort(rows.begin(), rows.end(), [&](const T& a, const T& b) {
    return sort_desc ? SortsBefore(b, a, column) : SortsBefore(a, b, column);
  });
  auto start = rows.begin();
  if (!marker.empty()) {
    start = std::find_if(rows.begin(), rows.end(), [&](const T& r) { return r.id == marker; });
    if (start == rows.end()) return MarkerNotFound(marker);
    ++start;
  }
  std::vector<T> out(start, rows.end());
  if (limit >= 0 && static_cast<int64_t>(out.size()) > limit) out.resize(limit);
  return out;
}

template <typename T>
std::vector<T> Stale(const std::vector<T>& all, const std::vector<std::string>& statuses,
                     absl::Time before) {
  std::vector<T> out;
  for (const T& r : all) {
    if (r.updated_at < before &&
        std::find(statuses.begin(), statuses.end(), r.status) != statuses.end()) {
      out.push_back(r);
    }
  }
  std::sort(out.begin(), out.end(), [](const T& a, const T& b) {
    return a.updated_at != b.updated_at ? a.updated_at < b.updated_at : a.id < b.id;
  });
  return out;
}

bool Contains(const Metadata& all, const Metadata& wanted) {
  for (const auto& [k, v] : wanted) {
    auto it = all.find(k);
    if (it == all.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

void FakeBlockStorageStore::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_next_ = std::move(status);
}

absl::Status FakeBlockStorageStore::TakeFailure() {
  absl::Status s = std::move(fail_next_);
  fail_next_ = absl::OkStatus();
  return s;
}

QuotaUsage FakeBlockStorageStore::UsageLocked(const std::string& project_id) {
  std::map<std::string, TypeUsage> by_type;
  for (const auto& [id, v] : volumes_) {
    if (v.project_id != project_id) continue;
    by_type[v.volume_type_id].volumes++;
    by_type[v.volume_type_id].volume_gb += v.size_gb;
  }
  for (const auto& [id, s] : snapshots_) {
    if (s.snapshot.project_id != project_id) continue;
    by_type[s.volume_type_id].snapshots++;
    by_type[s.volume_type_id].snapshot_gb += s.snapshot.size_gb;
  }
  std::map<std::string, std::string> names;
  for (const auto& [id, t] : types_) names[id] = t.name;
  return BuildUsage(by_type, names);
}

std::string FakeBlockStorageStore::TypeNameLocked(const std::string& type_id) {
  auto it = types_.find(type_id);
  return it == types_.end() ? "" : it->second.name;
}

bool FakeBlockStorageStore::HasAttachmentsLocked(const std::string& volume_id) {
  for (const auto& [id, a] : attachments_) {
    if (a.volume_id == volume_id) return true;
  }
  return false;
}

absl::Status FakeBlockStorageStore::CreateVolume(const Volume& v, const QuotaLimits& quota) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!v.volume_type_id.empty() && !types_.count(v.volume_type_id)) {
    return TypeNotFound(v.volume_type_id);
  }
  GUREUM_RETURN_IF_ERROR(CheckQuota(
      quota, UsageLocked(v.project_id),
      {TypeNameLocked(v.volume_type_id), /*volumes=*/1, /*snapshots=*/0, v.size_gb, v.size_gb}));
  if (volumes_.count(v.id)) return VolumeExists(v.id);
  GUREUM_RETURN_IF_ERROR(CheckVolumeRow(v));
  Volume& stored = volumes_[v.id] = v;
  stored.created_at = Stored(v.created_at);
  stored.updated_at = Stored(v.updated_at);
  return absl::OkStatus();
}

absl::StatusOr<Volume> FakeBlockStorageStore::GetVolume(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = volumes_.find(id);
  if (it == volumes_.end()) return VolumeNotFound(id);
  return it->second;
}

absl::StatusOr<std::vector<Volume>> FakeBlockStorageStore::ListVolumes(const VolumeQuery& q) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Volume> rows;
  for (const auto& [id, v] : volumes_) {
    if ((!q.project_id.empty() && v.project_id != q.project_id) ||
        (!q.name.empty() && v.name != q.name) || (!q.status.empty() && v.status != q.status) ||
        (!q.bootable.empty() && v.bootable != (q.bootable == "true")) ||
        (!q.availability_zone.empty() && v.availability_zone != q.availability_zone) ||
        !Contains(v.metadata, q.metadata)) {
      continue;
    }
    rows.push_back(v);
  }
  return Page(std::move(rows), q.sort_key, q.sort_desc, q.marker, q.limit);
}

absl::StatusOr<Volume> FakeBlockStorageStore::ChangeVolumeLocked(Volume& stored,
                                                                 const VolumeChange& change,
                                                                 absl::Time now) {
  GUREUM_RETURN_IF_ERROR(Guard(change.from, stored.status));
  if (change.require_no_attachments && HasAttachmentsLocked(stored.id)) {
    return absl::FailedPreconditionError("attached");
  }
  if (change.require_no_snapshots) {
    for (const auto& [id, s] : snapshots_) {
      if (s.snapshot.volume_id == stored.id) return absl::FailedPreconditionError("snapshots");
    }
  }
  if (change.quota.has_value() && change.size_gb.has_value() && *change.size_gb > stored.size_gb) {
    GUREUM_RETURN_IF_ERROR(
        CheckQuota(*change.quota, UsageLocked(stored.project_id),
                   {TypeNameLocked(stored.volume_type_id), /*volumes=*/0,
                    /*snapshots=*/0, *change.size_gb - stored.size_gb, *change.size_gb}));
  }
  if (change.quota.has_value() && change.volume_type_id.has_value() &&
      *change.volume_type_id != stored.volume_type_id) {
    GUREUM_RETURN_IF_ERROR(CheckQuota(*change.quota, UsageLocked(stored.project_id),
                                      {.type_name = TypeNameLocked(*change.volume_type_id),
                                       .volumes = 1,
                                       .gigabytes = stored.size_gb,
                                       .per_type_only = true}));
  }
  Volume v = stored;
  Apply(change, v);
  v.updated_at = Stored(now);
  GUREUM_RETURN_IF_ERROR(CheckVolumeRow(v));
  stored = v;
  return v;
}

absl::StatusOr<Volume> FakeBlockStorageStore::ChangeVolume(const std::string& id,
                                                           const VolumeChange& change,
                                                           absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = volumes_.find(id);
  if (it == volumes_.end()) return VolumeNotFound(id);
  return ChangeVolumeLocked(it->second, change, now);
}

absl::Status FakeBlockStorageStore::DeleteVolume(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  if (!volumes_.count(id)) return VolumeNotFound(id);
  if (HasAttachmentsLocked(id)) return absl::FailedPreconditionError("attached");
  volumes_.erase(id);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Volume>> FakeBlockStorageStore::ListStaleVolumes(
    const std::vector<std::string>& statuses, absl::Time before) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Volume> all;
  for (const auto& [id, v] : volumes_) all.push_back(v);
  return Stale(all, statuses, before);
}

// ---- snapshots ----

absl::Status FakeBlockStorageStore::CreateSnapshot(const Snapshot& s,
                                                   const std::vector<std::string>& volume_from,
                                                   const QuotaLimits& quota) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto v = volumes_.find(s.volume_id);
  if (v == volumes_.end()) return VolumeNotFound(s.volume_id);
  GUREUM_RETURN_IF_ERROR(Guard(volume_from, v->second.status));
  GUREUM_RETURN_IF_ERROR(CheckQuota(quota, UsageLocked(s.project_id),
                                    {TypeNameLocked(v->second.volume_type_id), /*volumes=*/0,
                                     /*snapshots=*/1, s.size_gb, 0}));
  if (snapshots_.count(s.id)) return SnapshotExists(s.id);
  GUREUM_RETURN_IF_ERROR(CheckSnapshotRow(s));
  StoredSnapshot& stored = snapshots_[s.id] =
      StoredSnapshot{s, v->second.volume_type_id, v->second.backend_key};
  stored.snapshot.created_at = Stored(s.created_at);
  stored.snapshot.updated_at = Stored(s.updated_at);
  return absl::OkStatus();
}

absl::StatusOr<Snapshot> FakeBlockStorageStore::GetSnapshot(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = snapshots_.find(id);
  if (it == snapshots_.end()) return SnapshotNotFound(id);
  return it->second.snapshot;
}

absl::StatusOr<std::vector<Snapshot>> FakeBlockStorageStore::ListSnapshots(const SnapshotQuery& q) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Snapshot> rows;
  for (const auto& [id, stored] : snapshots_) {
    const Snapshot& s = stored.snapshot;
    if ((!q.project_id.empty() && s.project_id != q.project_id) ||
        (!q.volume_id.empty() && s.volume_id != q.volume_id) ||
        (!q.name.empty() && s.name != q.name) || (!q.status.empty() && s.status != q.status)) {
      continue;
    }
    rows.push_back(s);
  }
  return Page(std::move(rows), q.sort_key, q.sort_desc, q.marker, q.limit);
}

absl::StatusOr<Snapshot> FakeBlockStorageStore::ChangeSnapshot(const std::string& id,
                                                               const SnapshotChange& change,
                                                               absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = snapshots_.find(id);
  if (it == snapshots_.end()) return SnapshotNotFound(id);
  GUREUM_RETURN_IF_ERROR(Guard(change.from, it->second.snapshot.status));
  Snapshot s = it->second.snapshot;
  Apply(change, s);
  s.updated_at = Stored(now);
  GUREUM_RETURN_IF_ERROR(CheckSnapshotRow(s));
  it->second.snapshot = s;
  return s;
}

absl::Status FakeBlockStorageStore::DeleteSnapshot(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  return snapshots_.erase(id) == 1 ? absl::OkStatus() : SnapshotNotFound(id);
}

absl::StatusOr<std::vector<Snapshot>> FakeBlockStorageStore::ListStaleSnapshots(
    const std::vector<std::string>& statuses, absl::Time before) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Snapshot> all;
  for (const auto& [id, s] : snapshots_) all.push_back(s.snapshot);
  return Stale(all, statuses, before);
}

// ---- attachments ----

absl::Status FakeBlockStorageStore::CreateAttachment(const Attachment& a,
                                                     const VolumeChange& volume_change,
                                                     absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto v = volumes_.find(a.volume_id);
  if (v == volumes_.end()) return VolumeNotFound(a.volume_id);
  GUREUM_RETURN_IF_ERROR(Guard(volume_change.from, v->second.status));
  if (!v->second.multiattach && HasAttachmentsLocked(a.volume_id)) {
    return absl::FailedPreconditionError("attached");
  }
  Volume before = v->second;
  GUREUM_RETURN_IF_ERROR(ChangeVolumeLocked(v->second, volume_change, now).status());
  absl::Status s = attachments_.count(a.id) ? AttachmentExists(a.id) : CheckAttachmentRow(a);
  if (!s.ok()) {
    v->second = before;  // one transaction: the volume's change goes too
    return s;
  }
  Attachment& stored = attachments_[a.id] = a;
  stored.created_at = Stored(a.created_at);
  stored.updated_at = Stored(a.updated_at);
  return absl::OkStatus();
}

absl::StatusOr<Attachment> FakeBlockStorageStore::GetAttachment(const std::string& id) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = attachments_.find(id);
  if (it == attachments_.end()) return AttachmentNotFound(id);
  return it->second;
}

absl::StatusOr<std::vector<Attachment>> FakeBlockStorageStore::ListAttachments(
    const std::string& project_id, const std::string& volume_id, const std::string& instance_uuid) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  std::vector<Attachment> out;
  for (const auto& [id, a] : attachments_) {
    if ((project_id.empty() || a.project_id == project_id) &&
        (volume_id.empty() || a.volume_id == volume_id) &&
        (instance_uuid.empty() || a.instance_uuid == instance_uuid)) {
      out.push_back(a);
    }
  }
  std::sort(out.begin(), out.end(), [](const Attachment& a, const Attachment& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  return out;
}

absl::StatusOr<Attachment> FakeBlockStorageStore::ChangeAttachment(const std::string& id,
                                                                   const AttachmentChange& change,
                                                                   absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = attachments_.find(id);
  if (it == attachments_.end()) return AttachmentNotFound(id);
  GUREUM_RETURN_IF_ERROR(Guard(change.from, it->second.status));
  Attachment a = it->second;
  Apply(change, a);
  a.updated_at = Stored(now);
  GUREUM_RETURN_IF_ERROR(CheckAttachmentRow(a));
  Volume& v = volumes_.at(a.volume_id);
  if (change.volume_status.has_value()) {
    Volume changed = v;
    changed.status = *change.volume_status;
    changed.updated_at = Stored(now);
    GUREUM_RETURN_IF_ERROR(CheckVolumeRow(changed));
    v = changed;
  }
  it->second = a;
  return a;
}

absl::StatusOr<Volume> FakeBlockStorageStore::DeleteAttachment(const std::string& id,
                                                               absl::Time now) {
  FAKE_BLOCK_STORAGE_FAIL_FIRST();
  auto it = attachments_.find(id);
  if (it == attachments_.end()) return AttachmentNotFound(id);
  Volume& v = volumes_.at(it->second.volume_id);
  attachments_.erase(it);
  if (!HasAttachmentsLocked(v.id)) {
    v.status = "available";
    v.updated_at = Stored(now);
  }
  return v;
}

}  // namespace gureum::block_storage
