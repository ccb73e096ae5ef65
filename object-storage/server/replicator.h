// The object replicator, as Swift's (and then, in the same pass, the account and container
// databases: db_replicator.h): for every partition on this server's devices it
// compares the suffix hashes (partition_hashes.h) with each other primary of the
// partition, and for the suffixes that differ sends the files the peer lacks or has older
// versions of (data, tombstones, metadata), each with its own timestamp, so the newest
// version wins everywhere. A partition this device is not a primary for (a handoff, or a
// device the ring no longer has) is sent to every primary and removed once all of them
// took it. Data is checked against its ETag before it leaves (a corrupt copy is
// quarantined, never spread). As Swift's, a server that does not find itself (its
// ip:port) in the ring does nothing: a wrong ring_ip must not hand everything away.
//
// Runs in a background thread of gureum-object-server (every `replicator_interval`), or
// once on POST /passes/replicate.
#pragma once

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "object-storage/ring/ring_holder.h"
#include "object-storage/server/db_replicator.h"
#include "object-storage/server/object_files.h"
#include "object-storage/server/replica_client.h"

namespace gureum::object {

// Of a hash directory's files here and on a peer (null: none there), the ones to send:
// the newest data or tombstone when the peer's newest is older, and the newest .meta when
// the peer has (or gets) that data and no .meta as new.
std::vector<std::string> FilesToSend(const std::vector<std::string>& local,
                                     const std::vector<std::string>* remote);

// The suffixes whose hashes differ (or that the peer lacks).
std::vector<std::string> SuffixesToSync(const SuffixHashes& local, const SuffixHashes& remote);

struct ReplicationStats {
  int partitions = 0;
  int suffixes = 0;  // compared and found different
  int files_sent = 0;
  int handoffs_removed = 0;  // partitions handed back to their primaries and removed here
  int quarantined = 0;
  int errors = 0;       // peers that could not be reached or took no file
  bool in_ring = true;  // false: this server is not in the ring, nothing was done
  DbReplicationStats databases;
};

struct ReplicatorDeps {
  ObjectFiles& files;
  ring::RingHolder& rings;
  ReplicaClient& client;
  std::string ip;  // this server's address and port in the ring
  int port = 0;
  ListingConnections* connections = nullptr;  // the listings' (may be null)
};

class Replicator {
 public:
  explicit Replicator(ReplicatorDeps deps)
      : d_(std::move(deps)),
        databases_(d_.files.root(), d_.client, d_.ip, d_.port, d_.connections) {}
  ReplicationStats RunOnce();

 private:
  absl::Mutex run_mu_;  // one pass at a time (the thread, POST /passes/...)
  void Partition(const ring::Ring& ring, const std::string& device, uint32_t part,
                 ReplicationStats& stats);
  // Brings `peer` up to date with this device's `part`; false when something failed.
  bool Sync(const std::string& device, uint32_t part, const Peer& peer, ReplicationStats& stats);
  bool SyncHashDir(const std::string& device, uint32_t part, const std::string& hash_dir,
                   const std::vector<std::string>& files, const std::vector<std::string>* remote,
                   const Peer& peer, ReplicationStats& stats);

  ReplicatorDeps d_;
  DbReplicator databases_;
};

// Whether the ring has a device on the server at ip:port.
bool InRing(const ring::Ring& ring, const std::string& ip, int port);

// The devices (directories) under the server's root.
std::vector<std::string> LocalDevices(const std::string& root);
// The partitions (numbered directories) under <device>/objects.
std::vector<uint32_t> LocalPartitions(const std::string& device_dir);

}  // namespace gureum::object
