#include "object-storage/server/http_replica_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"

namespace gureum::object {
namespace {

using json = nlohmann::json;

std::unique_ptr<httplib::Client> Connect(const std::string& host,
                                         std::chrono::milliseconds timeout) {
  auto client = std::make_unique<httplib::Client>(absl::StrCat("http://", host));
  client->set_connection_timeout(std::chrono::seconds(3));
  client->set_read_timeout(timeout);
  client->set_write_timeout(timeout);
  client->set_tcp_nodelay(true);
  return client;
}

absl::StatusOr<json> GetJson(const std::string& host, const std::string& path,
                             std::chrono::milliseconds timeout) {
  httplib::Result r = Connect(host, timeout)->Get(path);
  if (!r) return absl::UnavailableError(absl::StrCat(host, ": ", httplib::to_string(r.error())));
  if (r->status != 200) return absl::UnavailableError(absl::StrCat(host, " answered ", r->status));
  json j = json::parse(r->body, nullptr, false);
  if (!j.is_object()) return absl::UnavailableError(absl::StrCat(host, ": not a JSON object"));
  return j;
}

}  // namespace

absl::StatusOr<SuffixHashes> HttpReplicaClient::Hashes(const Peer& peer, uint32_t part) {
  absl::StatusOr<json> j =
      GetJson(peer.host, absl::StrCat("/replicate/", peer.device, "/", part), timeout_);
  if (!j.ok()) return j.status();
  SuffixHashes out;
  for (const auto& [suffix, hash] : j->items()) {
    if (hash.is_string()) out[suffix] = hash.get<std::string>();
  }
  return out;
}

absl::StatusOr<HashDirListing> HttpReplicaClient::ListSuffix(const Peer& peer, uint32_t part,
                                                             const std::string& suffix) {
  absl::StatusOr<json> j = GetJson(
      peer.host, absl::StrCat("/replicate/", peer.device, "/", part, "/", suffix), timeout_);
  if (!j.ok()) return j.status();
  try {
    return j->get<HashDirListing>();
  } catch (const json::exception& e) {
    return absl::UnavailableError(absl::StrCat(peer.host, ": ", e.what()));
  }
}

absl::Status HttpReplicaClient::Send(const Peer& peer, uint32_t part, const std::string& hash_dir,
                                     const std::string& file, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  struct stat st;
  ::fstat(fd, &st);
  std::shared_ptr<int> closer(new int(fd), [](int* f) {
    ::close(*f);
    delete f;
  });
  const std::string target =
      absl::StrCat("/replicate/", peer.device, "/", part, "/", hash_dir, "/", file);
  httplib::Result r = Connect(peer.host, timeout_)
                          ->Put(
                              target, static_cast<size_t>(st.st_size),
                              [fd, closer](size_t offset, size_t length, httplib::DataSink& sink) {
                                std::vector<char> buf(std::min<size_t>(length, 1 << 20));
                                ssize_t n =
                                    ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
                                if (n <= 0) return false;
                                sink.write(buf.data(), static_cast<size_t>(n));
                                return true;
                              },
                              "application/octet-stream");
  if (!r)
    return absl::UnavailableError(absl::StrCat(peer.host, ": ", httplib::to_string(r.error())));
  if (r->status == 201 || r->status == 409) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(peer.host, " answered ", r->status, " for ", target));
}

namespace {

std::string DbRoute(const Peer& peer, const std::string& kind, uint32_t part,
                    const std::string& hash) {
  return absl::StrCat("/replicate-db/", kind, "/", peer.device, "/", part, "/", hash);
}

}  // namespace

absl::StatusOr<std::string> HttpReplicaClient::DbDigest(const Peer& peer, const std::string& kind,
                                                        uint32_t part, const std::string& hash) {
  httplib::Result r = Connect(peer.host, timeout_)->Get(DbRoute(peer, kind, part, hash));
  if (!r)
    return absl::UnavailableError(absl::StrCat(peer.host, ": ", httplib::to_string(r.error())));
  if (r->status == 404) return absl::NotFoundError("no such database");
  if (r->status != 200)
    return absl::UnavailableError(absl::StrCat(peer.host, " answered ", r->status));
  json j = json::parse(r->body, nullptr, false);
  if (!j.is_object() || !j.contains("digest") || !j["digest"].is_string()) {
    return absl::UnavailableError(absl::StrCat(peer.host, ": no digest"));
  }
  return j["digest"].get<std::string>();
}

absl::Status HttpReplicaClient::SendDb(const Peer& peer, const std::string& kind, uint32_t part,
                                       const std::string& hash, const ListingDump& dump) {
  httplib::Result r =
      Connect(peer.host, timeout_)
          ->Post(DbRoute(peer, kind, part, hash), DumpToJson(dump).dump(), "application/json");
  if (!r)
    return absl::UnavailableError(absl::StrCat(peer.host, ": ", httplib::to_string(r.error())));
  if (r->status / 100 != 2)
    return absl::UnavailableError(absl::StrCat(peer.host, " answered ", r->status));
  return absl::OkStatus();
}

}  // namespace gureum::object
