// The object server's account and container listings: the SQLite databases of the
// accounts and containers whose partitions are on this server's devices
// (<root>/<device>/{accounts,containers}/<partition>/<md5>/<md5>.db). A container tells
// its account replica about itself when it is created or deleted, and its counts later
// (FlushCounts, run periodically: Swift's container updater). Accounts are created by the
// first container row they receive.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "object-storage/server/async_pending.h"
#include "object-storage/server/listing_client.h"
#include "object-storage/server/listing_db.h"
#include "object-storage/server/object_manager.h"
#include "object-storage/server/row_batcher.h"

namespace gureum::object {

// Which listing: an account (container empty) or a container, on one device.
struct ListingKey {
  std::string device;
  std::string partition;
  std::string account;
  std::string container;
};

class ListingManager {
 public:
  ListingManager(std::string root, ListingClient& client, AsyncPending& pending)
      : root_(std::move(root)),
        client_(client),
        pending_(pending),
        rows_([this](const std::string& path, const std::vector<ListingEntry>& rows) {
          return ListingDb(path, &connections_).PutAll(rows);
        }) {}

  // Creates (or re-creates) the listing at `ts` with `headers`. For a container, `parent`
  // is where its account lives (told now, and of its counts later). NotFound when the
  // device does not exist.
  absl::Status Create(const ListingKey& key, Timestamp ts,
                      const std::map<std::string, std::string>& headers,
                      const std::optional<ListingTarget>& parent);
  // NotFound when there is no listing or it was deleted.
  absl::StatusOr<ListingInfo> Head(const ListingKey& key) const;
  absl::StatusOr<std::vector<ListingEntry>> List(const ListingKey& key,
                                                 const ListingQuery& query) const;
  absl::Status UpdateHeaders(const ListingKey& key, Timestamp ts,
                             const std::map<std::string, std::string>& headers);
  // FailedPrecondition when it is not empty.
  absl::Status Delete(const ListingKey& key, Timestamp ts);
  // A row from another server: an object's in a container, a container's in an account
  // (which is created if missing).
  absl::Status PutRow(const ListingKey& key, const ListingEntry& entry);

  // Sends the counts of the containers changed since the last call to their accounts.
  void FlushCounts();

  std::string DbPath(const ListingKey& key) const;
  // The idle connections it keeps (the replicator drops those of a database it removes).
  ListingConnections& connections() const { return connections_; }

 private:
  absl::StatusOr<ListingDb> Open(const ListingKey& key) const;
  void TellAccount(const ListingKey& key, const ListingInfo& info);

  std::string root_;
  ListingClient& client_;
  AsyncPending& pending_;
  mutable ListingConnections connections_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, ListingKey> dirty_ ABSL_GUARDED_BY(mu_);  // by db path
  RowBatcher rows_;  // rows from other servers, committed in groups per database
};

}  // namespace gureum::object
