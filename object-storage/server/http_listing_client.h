// ListingClient over the object servers' internal HTTP API (object_server_rest.h): a
// container row is PUT /c/<device>/<partition>/<hex account>/<hex container>/<hex object>,
// an account row PUT /a/<device>/<partition>/<hex account>/<hex container>, the row's
// fields in X-Timestamp, X-Size, X-Object-Count, X-Content-Type, X-Etag, X-Deleted.
// The one file that sees cpp-httplib on the server side.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "object-storage/server/listing_client.h"

namespace httplib {
class Client;
}

namespace gureum::object {

// Keeps idle keep-alive clients per host between updates (a client serves one update at
// a time). Thread-safe.
class HttpListingClient final : public ListingClient {
 public:
  explicit HttpListingClient(std::chrono::milliseconds timeout = std::chrono::seconds(3));
  ~HttpListingClient() override;
  absl::Status Send(const ListingUpdate& update) override;

 private:
  std::unique_ptr<httplib::Client> Take(const std::string& host);
  void Give(const std::string& host, std::unique_ptr<httplib::Client> client);

  std::chrono::milliseconds timeout_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::vector<std::unique_ptr<httplib::Client>>> idle_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object
