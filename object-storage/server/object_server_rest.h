// The object server's internal HTTP API, spoken by the proxy and by other object servers
// (listing updates). Names are hex-encoded segments (names.h):
//
//   PUT|GET|HEAD|POST|DELETE /o/<device>/<partition>/<account>/<container>/<object>
//   PUT|GET|HEAD|POST|DELETE /c/<device>/<partition>/<account>/<container>
//   PUT                      /c/<device>/<partition>/<account>/<container>/<object>  (row)
//   PUT|GET|HEAD|POST        /a/<device>/<partition>/<account>
//   PUT                      /a/<device>/<partition>/<account>/<container>           (row)
//
// Every write carries X-Timestamp. Metadata headers travel as one JSON object in
// X-Gureum-Headers (both ways). Object writes name their container replica in
// X-Container-Host/-Device/-Partition, container writes their account replica in
// X-Account-Host/-Device/-Partition. Answers follow Swift's object, container and account
// servers: 201, 204, 404 (with X-Backend-Timestamp after a delete), 409 (older than what is
// there, or a container not empty), 422 (ETag mismatch), 507 (no such device).
//
// A GET never sends corrupt bytes as a success: an object up to 4 MiB is read and checked
// against its ETag before it (or a range of it) is sent (503 and quarantined when it does not
// match); a larger one is checked on the way and its last piece withheld on a mismatch (the
// transfer is cut short, and the copy quarantined). Range GETs of larger objects are not
// checked (the auditor finds those).
#pragma once

#include <memory>

#include "common/http/server.h"
#include "object-storage/server/listing_manager.h"
#include "object-storage/server/object_manager.h"

namespace gureum::object {

inline constexpr char kHeadersHeader[] = "X-Gureum-Headers";

class ObjectServerRest {
 public:
  ObjectServerRest(ObjectManager& objects, ListingManager& listings)
      : objects_(objects), listings_(listings) {}
  void Register(http::Server& server);

 private:
  void PutObject(http::Request& req, http::Response& res);
  void GetObject(http::Request& req, http::Response& res);
  void DeleteObject(http::Request& req, http::Response& res);
  void PostObject(http::Request& req, http::Response& res);
  void PutListing(http::Request& req, http::Response& res);
  void GetListing(http::Request& req, http::Response& res);
  void DeleteListing(http::Request& req, http::Response& res);
  void PostListing(http::Request& req, http::Response& res);
  void PutRow(http::Request& req, http::Response& res);
  void SendChecked(const ObjectLocation& where, const std::shared_ptr<ObjectReader>& reader,
                   int64_t offset, int64_t length, http::Response& res);
  void Corrupt(const ObjectLocation& where);

  ObjectManager& objects_;
  ListingManager& listings_;
};

}  // namespace gureum::object
