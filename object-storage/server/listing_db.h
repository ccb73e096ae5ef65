// An account's or a container's listing, as Swift keeps it: one SQLite database per
// account and per container, on the devices the ring gives the account or container, next
// to the objects. A container's rows are its objects (name, timestamp, size, type, etag);
// an account's rows are its containers (name, put timestamp, object count, bytes). Totals
// are kept with every change, so HEAD reads one row. Rows are never deleted, only marked
// (a later timestamp wins for each name, whatever order updates arrive in).
//
// This file and listing_db.cc are the only ones that see SQLite. Each call takes a
// connection of its own (from ListingConnections, or a new one), so one ListingDb may be
// used from many threads; SQLite's locking (WAL, a busy timeout) orders concurrent writers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "object-storage/server/timestamp.h"

struct sqlite3;  // SQLite's connection, opaque here

namespace gureum::object {

// Idle SQLite connections by database path, kept open between calls: opening a database
// (its file, schema and WAL index) cost more than the update itself. Thread-safe; a
// connection is used by one call at a time.
class ListingConnections {
 public:
  explicit ListingConnections(size_t max_idle = 512) : max_idle_(max_idle) {}
  ~ListingConnections();
  ListingConnections(const ListingConnections&) = delete;
  ListingConnections& operator=(const ListingConnections&) = delete;

  sqlite3* Take(const std::string& path);  // an idle one, or null
  void Give(const std::string& path, sqlite3* db);
  // Closes the idle connections to `path` (its database is being removed).
  void Forget(const std::string& path);

 private:
  const size_t max_idle_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::vector<sqlite3*>> idle_ ABSL_GUARDED_BY(mu_);
  size_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

struct ListingEntry {
  std::string name;
  Timestamp timestamp;
  int64_t size = 0;          // bytes (an object's, or all of a container's)
  int64_t object_count = 0;  // accounts: the container's objects
  std::string content_type;  // containers: the object's
  std::string etag;
  bool deleted = false;
  bool subdir = false;  // a listing with a delimiter: a common prefix, only `name` is set
};

struct ListingInfo {
  Timestamp put_timestamp;
  Timestamp delete_timestamp;
  int64_t count = 0;         // live rows (objects of a container, containers of an account)
  int64_t object_count = 0;  // accounts: objects in all their containers
  int64_t bytes = 0;
  // Metadata headers (X-Container-Meta-*, X-Container-Read, ...) as the client spelled them.
  std::map<std::string, std::string> headers;
  Timestamp headers_timestamp;
  // Where the parent listing lives (a container's account replica), for updates; may be
  // empty.
  std::string parent_host, parent_device, parent_partition;
  bool deleted() const { return delete_timestamp > put_timestamp; }
};

struct ListingQuery {
  std::string prefix, delimiter, marker, end_marker;
  int limit = 10000;
  bool reverse = false;
};

class ListingDb {
 public:
  // The database at `path` (its directory is created on Initialize). `connections` may be
  // null: then every call opens and closes its own.
  explicit ListingDb(std::string path, ListingConnections* connections = nullptr)
      : path_(std::move(path)), connections_(connections) {}

  // Creates the database if needed and records a PUT at `ts`: a deleted listing comes
  // back (empty of live rows). `headers` are merged into the metadata.
  absl::Status Initialize(Timestamp ts, const std::map<std::string, std::string>& headers,
                          const ListingInfo& parent);
  // NotFound when the database does not exist.
  absl::StatusOr<ListingInfo> Info() const;
  // Adds or replaces a row unless the stored one is newer. NotFound without a database.
  absl::Status Put(const ListingEntry& entry);
  // The same for several rows, in one transaction (all or none).
  absl::Status PutAll(const std::vector<ListingEntry>& entries);
  absl::StatusOr<std::vector<ListingEntry>> List(const ListingQuery& query) const;
  // Merges `headers` (an empty value removes the key) at `ts`.
  absl::Status UpdateHeaders(Timestamp ts, const std::map<std::string, std::string>& headers);
  // Marks the listing deleted at `ts`. FailedPrecondition (Swift's 409) when it still has
  // live rows; NotFound without a database.
  absl::Status MarkDeleted(Timestamp ts);

  // ---- replication (db_replicator.h) ----

  // Rows after `after` in name order, deleted ones too, at most `limit`.
  absl::StatusOr<std::vector<ListingEntry>> Rows(const std::string& after, int limit) const;
  // The MD5 of what replicas compare: the listing's timestamps and headers, and every
  // row (deleted ones too). NotFound without a database.
  absl::StatusOr<std::string> Digest() const;
  // Takes in another replica's info and rows, creating the database if needed: the later
  // put and delete timestamps, the newer headers (as a whole), for each row the newer one.
  absl::Status Merge(const ListingInfo& info, const std::vector<ListingEntry>& rows);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  ListingConnections* connections_;
};

}  // namespace gureum::object
