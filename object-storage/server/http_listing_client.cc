#include "object-storage/server/http_listing_client.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object {

HttpListingClient::HttpListingClient(std::chrono::milliseconds timeout) : timeout_(timeout) {}

HttpListingClient::~HttpListingClient() = default;

std::unique_ptr<httplib::Client> HttpListingClient::Take(const std::string& host) {
  {
    absl::MutexLock lock(&mu_);
    auto it = idle_.find(host);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<httplib::Client> client = std::move(it->second.back());
      it->second.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<httplib::Client>(absl::StrCat("http://", host));
  client->set_keep_alive(true);
  client->set_connection_timeout(timeout_);
  client->set_read_timeout(timeout_);
  client->set_write_timeout(timeout_);
  client->set_tcp_nodelay(true);  // no 40 ms wait for a delayed ACK between head and body
  return client;
}

void HttpListingClient::Give(const std::string& host, std::unique_ptr<httplib::Client> client) {
  absl::MutexLock lock(&mu_);
  auto& clients = idle_[host];
  if (clients.size() < 64) clients.push_back(std::move(client));
}

absl::Status HttpListingClient::Send(const ListingUpdate& u) {
  std::string path = absl::StrCat(u.account_row ? "/a/" : "/c/", u.device, "/", u.partition, "/",
                                  HexEncode(u.account), "/", HexEncode(u.container));
  if (!u.account_row) absl::StrAppend(&path, "/", HexEncode(u.entry.name));
  std::unique_ptr<httplib::Client> client = Take(u.host);
  httplib::Headers headers = {{"X-Timestamp", u.entry.timestamp.ToString()},
                              {"X-Size", std::to_string(u.entry.size)},
                              {"X-Object-Count", std::to_string(u.entry.object_count)},
                              {"X-Content-Type", u.entry.content_type},
                              {"X-Etag", u.entry.etag},
                              {"X-Deleted", u.entry.deleted ? "1" : "0"}};
  httplib::Result r = client->Put(path, headers, "", "text/plain");
  if (!r) {  // the connection is dropped with the client
    return absl::UnavailableError(absl::StrCat(u.host, ": ", httplib::to_string(r.error())));
  }
  Give(u.host, std::move(client));
  if (r->status / 100 != 2) {
    return absl::UnavailableError(absl::StrCat(u.host, " answered ", r->status));
  }
  return absl::OkStatus();
}

}  // namespace gureum::object
