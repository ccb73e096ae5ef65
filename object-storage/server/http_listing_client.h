// ListingClient over the object servers' internal HTTP API (object_server_rest.h): a
// container row is PUT /c/<device>/<partition>/<hex account>/<hex container>/<hex object>,
// an account row PUT /a/<device>/<partition>/<hex account>/<hex container>, the row's
// fields in X-Timestamp, X-Size, X-Object-Count, X-Content-Type, X-Etag, X-Deleted.
// The one file that sees cpp-httplib on the server side.
#pragma once

#include <chrono>

#include "object-storage/server/listing_client.h"

namespace gureum::object {

class HttpListingClient final : public ListingClient {
 public:
  explicit HttpListingClient(std::chrono::milliseconds timeout = std::chrono::seconds(3))
      : timeout_(timeout) {}
  absl::Status Send(const ListingUpdate& update) override;

 private:
  std::chrono::milliseconds timeout_;
};

}  // namespace gureum::object
