// The replicator's view of another object server (Swift's REPLICATE verb and its rsync of
// suffixes, here over the servers' internal HTTP API, replication_rest.h): a partition's
// suffix hashes, the files of one suffix, and a file sent over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "object-storage/server/listing_db.h"
#include "object-storage/server/object_files.h"
#include "object-storage/server/partition_hashes.h"

namespace gureum::object {

// A piece of a listing database as replication sends it.
struct ListingDump {
  ListingInfo info;
  std::vector<ListingEntry> rows;
};
nlohmann::json DumpToJson(const ListingDump& dump);
// InvalidArgument when `j` is not a dump.
absl::StatusOr<ListingDump> DumpFromJson(const nlohmann::json& j);

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

  // Account and container databases (`kind` "accounts" or "containers"), named by their
  // hash directory: the peer's digest (ListingDb::Digest; NotFound when it has none), and
  // rows merged into its copy (created if missing).
  virtual absl::StatusOr<std::string> DbDigest(const Peer& peer, const std::string& kind,
                                               uint32_t part, const std::string& hash) = 0;
  virtual absl::Status SendDb(const Peer& peer, const std::string& kind, uint32_t part,
                              const std::string& hash, const ListingDump& dump) = 0;
};

}  // namespace gureum::object
