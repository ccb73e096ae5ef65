// What both BlockStorageStore implementations (pg_block_storage_store*, fake_block_storage_store*)
// must say and compute the same way: the NotFound and AlreadyExists texts, the status guard,
// the fields a change writes, and the quota arithmetic. Pure functions, so the contract test
// holds the two stores to one set of words and numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "block-storage/api/block_storage_store.h"
#include "block-storage/api/model.h"

namespace gureum::block_storage::store_rules {

// Cinder's words (cinder/exception.py).
absl::Status VolumeNotFound(const std::string& id);
absl::Status VolumeExists(const std::string& id);
absl::Status SnapshotNotFound(const std::string& id);
absl::Status SnapshotExists(const std::string& id);
absl::Status AttachmentNotFound(const std::string& id);
absl::Status AttachmentExists(const std::string& id);
absl::Status TypeNotFound(const std::string& id);
absl::Status TypeNameNotFound(const std::string& name);
absl::Status TypeExists(const std::string& name);
absl::Status TypeAccessNotFound(const std::string& type_id, const std::string& project_id);
absl::Status TypeAccessExists(const std::string& type_id, const std::string& project_id);
absl::Status BackendNotFound(const std::string& key);
absl::Status MarkerNotFound(const std::string& marker);
absl::Status BadSortKey(const std::string& key);
// ClaimBackend's refusal.
absl::Status BackendFull(const std::string& key, int64_t allocated_gb, int64_t size_gb,
                         int64_t capacity_gb);

// The compare-and-set guard: OK when `from` is empty or holds `current`, otherwise
// FailedPrecondition whose message is `current`.
absl::Status Guard(const std::vector<std::string>& from, const std::string& current);

// The sort keys a listing accepts (VolumeQuery/SnapshotQuery::sort_key) and the column each
// sorts by; nullptr for any other key (the listing answers BadSortKey).
const char* SortColumn(const std::string& sort_key);

// A time as the stores keep it: PostgreSQL's microseconds (common/db sends them truncated).
absl::Time Stored(absl::Time t);

// Write the fields a change sets (not `updated_at`, not the guard).
void Apply(const VolumeChange& change, Volume& volume);
void Apply(const SnapshotChange& change, Snapshot& snapshot);
void Apply(const AttachmentChange& change, Attachment& attachment);

// What a project uses under one volume type id ("" for none).
struct TypeUsage {
  int64_t volumes = 0;
  int64_t volume_gb = 0;
  int64_t snapshots = 0;
  int64_t snapshot_gb = 0;
};
// The usage by Cinder's names: volumes, gigabytes (volumes and snapshots), snapshots, and
// volumes_<name>, gigabytes_<name>, snapshots_<name> for every type of `type_names` (id ->
// current name), zero when it has nothing. Usage under ids not in `type_names` counts in the
// totals only.
QuotaUsage BuildUsage(const std::map<std::string, TypeUsage>& by_type_id,
                      const std::map<std::string, std::string>& type_names);

// What a write adds to a project's usage.
struct QuotaDelta {
  std::string type_name;  // the volume type's current name; "" for no per-type quotas
  int64_t volumes = 0;
  int64_t snapshots = 0;
  int64_t gigabytes = 0;
  int64_t volume_size_gb = 0;  // the new size of the volume, checked per_volume_gigabytes; 0 not
  // Only the per-type quotas (a retype: the totals do not change).
  bool per_type_only = false;
};
// OK when `usage` plus `delta` stays within `limits`; otherwise ResourceExhausted whose message
// is the first quota exceeded, in the order per_volume_gigabytes, volumes, snapshots, gigabytes,
// volumes_<type>, snapshots_<type>, gigabytes_<type>. Only names with a positive delta are
// checked; a limit of -1 or a name absent from `limits` is not.
absl::Status CheckQuota(const QuotaLimits& limits, const QuotaUsage& usage,
                        const QuotaDelta& delta);

}  // namespace gureum::block_storage::store_rules
