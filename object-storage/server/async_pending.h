// Listing updates that could not be applied when they were made (the listing's server was
// down), kept on the device as <root>/<device>/async_pending/<md5>-<timestamp>.json until
// the updater sends them: Swift's async pendings and object updater.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "object-storage/server/listing_client.h"

namespace gureum::object {

class AsyncPending {
 public:
  // `root` holds the devices; `client` sends the updates (not owned).
  AsyncPending(std::string root, ListingClient& client) : root_(std::move(root)), client_(client) {}

  // Saves `update` under `device` (atomically: temp file and rename).
  absl::Status Save(const std::string& device, const ListingUpdate& update);
  // Sends every saved update on every device; removes those that were applied. Returns
  // how many are left.
  absl::StatusOr<int> SendAll();

 private:
  std::string root_;
  ListingClient& client_;
};

// The JSON form of an update (the pending files; tests).
std::string UpdateToJson(const ListingUpdate& update);
absl::StatusOr<ListingUpdate> UpdateFromJson(const std::string& text);

}  // namespace gureum::object
