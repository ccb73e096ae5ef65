#include "object-storage/server/replication_rest.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

using http::Request;
using http::Response;
using json = nlohmann::json;

void Reply(Response& res, int code, const std::string& text = "") {
  res.status = code;
  res.content_type = "text/plain";
  res.body = text;
}

// The device and partition of the route; false (answered) when the partition is not a
// number or the device is not here.
bool Where(const ObjectFiles& files, const Request& req, Response& res, std::string& device,
           uint32_t& part) {
  device = req.PathParam("device");
  if (!absl::SimpleAtoi(req.PathParam("part"), &part)) {
    Reply(res, 400, "bad partition");
    return false;
  }
  struct stat st;
  if (device.empty() || device.find('/') != std::string::npos || device[0] == '.' ||
      ::stat(files.DeviceDir(device).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    Reply(res, 507, "no such device");
    return false;
  }
  return true;
}

}  // namespace

void ReplicationRest::Register(http::Server& server) {
  const std::string r = "/replicate/{device}/{part}";
  server.Route("GET", r, [this](Request& req, Response& res) { Hashes(req, res); });
  server.Route("GET", r + "/{suffix}", [this](Request& req, Response& res) { Suffix(req, res); });
  server.Route("PUT", r + "/{hash}/{file}",
               [this](Request& req, Response& res) { Receive(req, res); }, {.stream_body = true});
  const std::string db = "/replicate-db/{kind}/{device}/{part}/{hash}";
  server.Route("GET", db, [this](Request& req, Response& res) { DbDigest(req, res); });
  server.Route("POST", db, [this](Request& req, Response& res) { DbMerge(req, res); });
  server.Route("POST", "/passes/{pass}", [this](Request& req, Response& res) { Pass(req, res); });
}

void ReplicationRest::Hashes(Request& req, Response& res) {
  std::string device;
  uint32_t part = 0;
  if (!Where(files_, req, res, device, part)) return;
  absl::StatusOr<SuffixHashes> hashes = files_.hashes().Get(device, part);
  if (!hashes.ok()) return Reply(res, 500, std::string(hashes.status().message()));
  res.Json(200, json(*hashes));
}

void ReplicationRest::Suffix(Request& req, Response& res) {
  std::string device;
  uint32_t part = 0;
  if (!Where(files_, req, res, device, part)) return;
  res.Json(200, json(files_.ListSuffix(device, part, req.PathParam("suffix"))));
}

void ReplicationRest::Receive(Request& req, Response& res) {
  std::string device;
  uint32_t part = 0;
  if (!Where(files_, req, res, device, part)) return;
  auto receiver = files_.Receive(device, part, req.PathParam("hash"), req.PathParam("file"));
  if (!receiver.ok()) {
    const absl::Status& s = receiver.status();
    return Reply(res,
                 absl::IsFailedPrecondition(s) ? 409
                 : absl::IsInvalidArgument(s)  ? 422
                                               : 500,
                 std::string(s.message()));
  }
  absl::Status written;
  absl::Status read = req.ReadBody([&](const char* data, size_t size) {
    written = (*receiver)->Append(data, size);
    return written.ok();
  });
  if (!written.ok()) return Reply(res, 500, std::string(written.message()));
  if (!read.ok()) return Reply(res, 499, std::string(read.message()));
  absl::Status done = (*receiver)->Commit();
  if (absl::IsFailedPrecondition(done)) return Reply(res, 409, std::string(done.message()));
  if (!done.ok()) return Reply(res, 500, std::string(done.message()));
  Reply(res, 201);
}

namespace {

// The database a /replicate-db route names; empty (answered) when it names none.
std::string DbPathOf(const ObjectFiles& files, const Request& req, Response& res) {
  std::string device;
  uint32_t part = 0;
  if (!Where(files, req, res, device, part)) return "";
  const std::string kind = req.PathParam("kind");
  const std::string hash = req.PathParam("hash");
  if ((kind != "accounts" && kind != "containers") || hash.size() != 32 || !HexDecode(hash)) {
    Reply(res, 400, "bad database");
    return "";
  }
  return absl::StrCat(files.DeviceDir(device), "/", kind, "/", part, "/", hash, "/", hash, ".db");
}

}  // namespace

void ReplicationRest::DbDigest(Request& req, Response& res) {
  const std::string path = DbPathOf(files_, req, res);
  if (path.empty()) return;
  absl::StatusOr<std::string> digest = ListingDb(path).Digest();
  if (absl::IsNotFound(digest.status())) return Reply(res, 404, "no such database");
  if (!digest.ok()) return Reply(res, 500, std::string(digest.status().message()));
  res.Json(200, {{"digest", *digest}});
}

void ReplicationRest::DbMerge(Request& req, Response& res) {
  const std::string path = DbPathOf(files_, req, res);
  if (path.empty()) return;
  absl::StatusOr<ListingDump> dump = DumpFromJson(json::parse(req.body(), nullptr, false));
  if (!dump.ok()) return Reply(res, 400, std::string(dump.status().message()));
  absl::Status merged = ListingDb(path).Merge(dump->info, dump->rows);
  if (!merged.ok()) return Reply(res, 500, std::string(merged.message()));
  Reply(res, 204);
}

void ReplicationRest::Pass(Request& req, Response& res) {
  const std::string pass = req.PathParam("pass");
  if (pass == "audit") {
    AuditStats s = auditor_.RunOnce();
    return res.Json(200,
                    {{"checked", s.checked}, {"quarantined", s.quarantined}, {"bytes", s.bytes}});
  }
  if ((pass == "replicate" && replicator_ == nullptr) ||
      (pass == "expire" && expirer_ == nullptr)) {
    return Reply(res, 503, "no ring: set [object_server] ring_file");
  }
  if (pass == "replicate") {
    ReplicationStats s = replicator_->RunOnce();
    return res.Json(200, {{"partitions", s.partitions},
                          {"suffixes", s.suffixes},
                          {"files_sent", s.files_sent},
                          {"handoffs_removed", s.handoffs_removed},
                          {"quarantined", s.quarantined},
                          {"errors", s.errors},
                          {"in_ring", s.in_ring},
                          {"databases", s.databases.databases},
                          {"databases_synced", s.databases.synced},
                          {"database_handoffs_removed", s.databases.handoffs_removed},
                          {"database_errors", s.databases.errors}});
  }
  if (pass == "expire") {
    ExpiryStats s = expirer_->RunOnce();
    return res.Json(200, {{"expired", s.expired}, {"dropped", s.dropped}});
  }
  Reply(res, 404, "no such pass");
}

}  // namespace gureum::object
