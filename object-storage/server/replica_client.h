// The replicator's view of another object server (Swift's REPLICATE verb and its rsync of
// suffixes, here over the servers' internal HTTP API, replication_rest.h): a partition's
// suffix hashes, the files of one suffix, and a file sent over.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "object-storage/server/object_files.h"
#include "object-storage/server/partition_hashes.h"

namespace gureum::object {

// One device on another server.
struct Peer {
  std::string host;  // "ip:port"
  std::string device;
};

class ReplicaClient {
 public:
  virtual ~ReplicaClient() = default;
  // The peer's suffix hashes of `part` (empty when it holds none of it).
  virtual absl::StatusOr<SuffixHashes> Hashes(const Peer& peer, uint32_t part) = 0;
  virtual absl::StatusOr<HashDirListing> ListSuffix(const Peer& peer, uint32_t part,
                                                    const std::string& suffix) = 0;
  // Sends the file at `path` as `hash_dir`/`file` of `part`; OK too when the peer already
  // has it or something newer.
  virtual absl::Status Send(const Peer& peer, uint32_t part, const std::string& hash_dir,
                            const std::string& file, const std::string& path) = 0;
};

}  // namespace gureum::object
