// The object server's objects: writes that later timestamps win, reads that hide expired
// objects, and after every PUT or DELETE the update of the object's row in its container's
// listing (kept as an async pending when the container's server cannot take it).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "object-storage/server/async_pending.h"
#include "object-storage/server/listing_client.h"
#include "object-storage/server/object_files.h"

namespace gureum::object {

// Where a parent listing lives: one replica of the container (or account).
struct ListingTarget {
  std::string host;  // "ip:port"
  std::string device;
  std::string partition;
};

// A listing update is sent while the request waits, as Swift's object server waits for
// it, but by at most `max_waiting` requests at once; the others keep theirs as an async
// pending, which the updater sends within its interval. Unbounded, every worker of every
// server could wait for a container update that no server had a free worker to take: at
// 64 concurrent 4 KiB PUTs (32 workers) three servers fell to 11 PUT/s, p50 5.5 s, with
// 65 of 2000 PUTs failed. max_waiting below the server's workers leaves workers free to take
// the updates.
class ObjectManager {
 public:
  ObjectManager(ObjectFiles& files, ListingClient& listings, AsyncPending& pending, Clock& clock,
                int max_waiting = 16)
      : files_(files),
        listings_(listings),
        pending_(pending),
        clock_(clock),
        max_waiting_(max_waiting) {}

  absl::StatusOr<std::unique_ptr<ObjectWriter>> BeginPut(const ObjectLocation& where);
  // Commits the data (`meta` gets its etag and size) and updates the container listing at
  // `container`, if given (account and container are taken from the name).
  absl::Status FinishPut(const ObjectLocation& where, ObjectWriter& writer, ObjectMeta& meta,
                         const std::optional<ListingTarget>& container);
  // The current version; an object past its X-Delete-At reads as not there.
  absl::StatusOr<ObjectState> Get(const ObjectLocation& where) const;
  absl::Status Delete(const ObjectLocation& where, Timestamp ts,
                      const std::optional<ListingTarget>& container);
  absl::Status Post(const ObjectLocation& where, Timestamp ts,
                    const std::map<std::string, std::string>& headers, int64_t delete_at);
  // The expirer's delete: a tombstone at `ts` and the row removed from every replica of
  // the container listing in `containers`.
  absl::Status Expire(const ObjectLocation& where, Timestamp ts,
                      const std::vector<ListingTarget>& containers);
  // Moves a copy found corrupt out of every read (ObjectFiles::Quarantine).
  absl::Status Quarantine(const ObjectLocation& where);

 private:
  void UpdateContainer(const ObjectLocation& where, const ListingTarget& target,
                       const ListingEntry& entry);

  ObjectFiles& files_;
  ListingClient& listings_;
  AsyncPending& pending_;
  Clock& clock_;
  const int max_waiting_;
  std::atomic<int> waiting_{0};  // requests waiting for a listing update now
};

// "/a/c/o" -> {"a", "c", "o"} (the object may hold slashes); nullopt for other shapes.
struct ObjectName {
  std::string account, container, object;
};
std::optional<ObjectName> SplitObjectName(const std::string& name);

}  // namespace gureum::object
