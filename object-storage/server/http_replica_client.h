// ReplicaClient over the object servers' internal HTTP API (replication_rest.h), with
// cpp-httplib. A file is sent from disk in pieces, never whole in memory.
#pragma once

#include <chrono>

#include "object-storage/server/replica_client.h"

namespace gureum::object {

class HttpReplicaClient final : public ReplicaClient {
 public:
  explicit HttpReplicaClient(std::chrono::milliseconds timeout = std::chrono::seconds(30))
      : timeout_(timeout) {}

  absl::StatusOr<SuffixHashes> Hashes(const Peer& peer, uint32_t part) override;
  absl::StatusOr<HashDirListing> ListSuffix(const Peer& peer, uint32_t part,
                                            const std::string& suffix) override;
  absl::Status Send(const Peer& peer, uint32_t part, const std::string& hash_dir,
                    const std::string& file, const std::string& path) override;
  absl::StatusOr<std::string> DbDigest(const Peer& peer, const std::string& kind, uint32_t part,
                                       const std::string& hash) override;
  absl::Status SendDb(const Peer& peer, const std::string& kind, uint32_t part,
                      const std::string& hash, const ListingDump& dump) override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace gureum::object
