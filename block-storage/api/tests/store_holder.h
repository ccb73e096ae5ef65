// The store the shared contract cases run on: the unit binary (block_storage_store_test)
// defines NewStoreHolder with the in-memory fake, the integration binary
// (block_storage_store_pg_test) with a fresh migrated PostgreSQL database, so both
// implementations are held to one contract (block_storage_store.h).
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "block-storage/api/block_storage_store.h"

namespace gureum::block_storage::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual BlockStorageStore& store() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

// The contract tests' time zero.
inline const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

// A volume of project `project`, available, created `second` seconds after kT0.
inline Volume MakeVolume(const std::string& id, const std::string& project, int64_t size_gb = 1,
                         int second = 0) {
  Volume v;
  v.id = id;
  v.project_id = project;
  v.user_id = "u1";
  v.name = "vol-" + id;
  v.status = "available";
  v.size_gb = size_gb;
  v.availability_zone = "nova";
  v.created_at = v.updated_at = kT0 + absl::Seconds(second);
  return v;
}

inline Snapshot MakeSnapshot(const std::string& id, const std::string& volume_id,
                             const std::string& project, int64_t size_gb = 1, int second = 0) {
  Snapshot s;
  s.id = id;
  s.project_id = project;
  s.user_id = "u1";
  s.volume_id = volume_id;
  s.name = "snap-" + id;
  s.status = "creating";
  s.size_gb = size_gb;
  s.created_at = s.updated_at = kT0 + absl::Seconds(second);
  return s;
}

inline Attachment MakeAttachment(const std::string& id, const std::string& volume_id,
                                 const std::string& instance, int second = 0) {
  Attachment a;
  a.id = id;
  a.volume_id = volume_id;
  a.project_id = "p1";
  a.instance_uuid = instance;
  a.status = "reserved";
  a.created_at = a.updated_at = kT0 + absl::Seconds(second);
  return a;
}

inline VolumeType MakeType(const std::string& id, const std::string& name, bool is_public = true) {
  VolumeType t;
  t.id = id;
  t.name = name;
  t.description = "type " + name;
  t.is_public = is_public;
  t.extra_specs = {{"volume_backend_name", "file"}};
  t.created_at = kT0;
  return t;
}

}  // namespace gureum::block_storage::testing
