// Suffix hashes of a device's partitions, as Swift's hashes.pkl: the hash directories of a
// partition (<device>/objects/<part>/<md5 of the name>) are grouped by their suffix, the
// last three hex digits of the directory's name, and each suffix has the MD5 of the file
// names in its directories. Two replicas of a partition that hold the same versions have
// the same hashes, so the replicator compares a few hundred short strings instead of every
// object, and looks inside only the suffixes that differ.
//
// Kept in <part>/hashes.json; a write appends its suffix to <part>/hashes.invalid and the
// next Get recomputes only those suffixes (all of them when hashes.json is missing).
// Thread-safe within one process.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gureum::object {

// suffix ("a3f") -> the MD5 of its directories' file names.
using SuffixHashes = std::map<std::string, std::string>;

// The suffix of a hash directory's name.
std::string SuffixOf(const std::string& hash_dir);

class PartitionHashes {
 public:
  explicit PartitionHashes(std::string root) : root_(std::move(root)) {}

  // Marks the suffix of `hash_dir` in `device`'s partition `part` as changed.
  void Invalidate(const std::string& device, uint32_t part, const std::string& hash_dir);
  // The partition's suffix hashes, those marked changed recomputed first; empty for a
  // partition the device does not hold.
  absl::StatusOr<SuffixHashes> Get(const std::string& device, uint32_t part);

  std::string PartitionDir(const std::string& device, uint32_t part) const;

 private:
  // Orders the reads and writes of a partition's hashes.json and hashes.invalid; one of
  // kStripes by (device, partition), so that a rehash holds up only writes that share it.
  absl::Mutex& MutexOf(const std::string& device, uint32_t part);
  static constexpr size_t kStripes = 64;

  const std::string root_;
  absl::Mutex stripes_[kStripes];
};

// The hash of one suffix as it is now on disk (its directories' newest files).
std::string HashSuffix(const std::string& partition_dir, const std::string& suffix);

}  // namespace gureum::object
