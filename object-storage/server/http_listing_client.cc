#include "object-storage/server/http_listing_client.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object {

absl::Status HttpListingClient::Send(const ListingUpdate& u) {
  std::string path = absl::StrCat(u.account_row ? "/a/" : "/c/", u.device, "/", u.partition, "/",
                                  HexEncode(u.account), "/", HexEncode(u.container));
  if (!u.account_row) absl::StrAppend(&path, "/", HexEncode(u.entry.name));
  httplib::Client client(absl::StrCat("http://", u.host));
  client.set_connection_timeout(timeout_);
  client.set_tcp_nodelay(true);  // no 40 ms wait for a delayed ACK between head and body
  client.set_read_timeout(timeout_);
  client.set_write_timeout(timeout_);
  httplib::Headers headers = {{"X-Timestamp", u.entry.timestamp.ToString()},
                              {"X-Size", std::to_string(u.entry.size)},
                              {"X-Object-Count", std::to_string(u.entry.object_count)},
                              {"X-Content-Type", u.entry.content_type},
                              {"X-Etag", u.entry.etag},
                              {"X-Deleted", u.entry.deleted ? "1" : "0"}};
  httplib::Result r = client.Put(path, headers, "", "text/plain");
  if (!r) {
    return absl::UnavailableError(absl::StrCat(u.host, ": ", httplib::to_string(r.error())));
  }
  if (r->status / 100 != 2) {
    return absl::UnavailableError(absl::StrCat(u.host, " answered ", r->status));
  }
  return absl::OkStatus();
}

}  // namespace gureum::object
