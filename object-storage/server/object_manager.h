// The object server's objects: writes that later timestamps win, reads that hide expired
// objects, and after every PUT or DELETE the update of the object's row in its container's
// listing (kept as an async pending when the container's server cannot take it).
#pragma once

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

class ObjectManager {
 public:
  ObjectManager(ObjectFiles& files, ListingClient& listings, AsyncPending& pending, Clock& clock)
      : files_(files), listings_(listings), pending_(pending), clock_(clock) {}

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
};

// "/a/c/o" -> {"a", "c", "o"} (the object may hold slashes); nullopt for other shapes.
struct ObjectName {
  std::string account, container, object;
};
std::optional<ObjectName> SplitObjectName(const std::string& name);

}  // namespace gureum::object
