// Updates of a listing on another object server: an object's row in its container's
// listing (after an object PUT or DELETE), a container's row in its account's listing
// (after a container PUT or DELETE, and its counts later). What Swift calls container and
// account updates. An error means "not applied"; the caller keeps the update for later
// (async_pending.h).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "object-storage/server/listing_db.h"

namespace gureum::object {

struct ListingUpdate {
  std::string host;  // "ip:port" of the server with the listing
  std::string device;
  std::string partition;
  std::string account;
  std::string container;     // the container whose listing changes, or the row (accounts)
  bool account_row = false;  // true: `entry` is container's row in the account's listing
  ListingEntry entry;        // entry.name: the object (container listings)
};

class ListingClient {
 public:
  virtual ~ListingClient() = default;
  virtual absl::Status Send(const ListingUpdate& update) = 0;
};

}  // namespace gureum::object
