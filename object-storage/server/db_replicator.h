// Replication of the account and container databases (Swift's account and container
// replicators): each database on this server's devices is compared by digest
// (ListingDb::Digest) with its copy on the other primaries of its partition, and when they
// differ its rows are sent over in batches and merged there (for each name the newer row
// wins, the later put and delete timestamps, the newer headers). Replicas of a database
// converge because each side sends to the others. A copy on a handoff device is sent to
// the primaries and removed once all of them took it (and nothing was written to it
// meanwhile).
//
// Run by the Replicator after the objects, in the same pass.
#pragma once

#include <string>

#include "object-storage/ring/ring.h"
#include "object-storage/server/listing_db.h"
#include "object-storage/server/replica_client.h"

namespace gureum::object {

struct DbReplicationStats {
  int databases = 0;
  int synced = 0;  // sent to a peer whose copy differed (or was missing)
  int handoffs_removed = 0;
  int errors = 0;
};

class DbReplicator {
 public:
  // `connections` (may be null): the listings' idle connections, dropped for a database
  // that is removed.
  DbReplicator(std::string root, ReplicaClient& client, std::string ip, int port,
               ListingConnections* connections)
      : root_(std::move(root)),
        client_(client),
        ip_(std::move(ip)),
        port_(port),
        connections_(connections) {}
  void Run(const ring::Ring& ring, DbReplicationStats& stats);

 private:
  void Database(const ring::Ring& ring, const std::string& device, const std::string& kind,
                uint32_t part, const std::string& hash, DbReplicationStats& stats);
  absl::Status Sync(const std::string& path, const std::string& kind, uint32_t part,
                    const std::string& hash, const Peer& peer, DbReplicationStats& stats);

  const std::string root_;
  ReplicaClient& client_;
  const std::string ip_;
  const int port_;
  ListingConnections* connections_;
};

}  // namespace gureum::object
