#include "object-storage/proxy/object_controller.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/server/object_server_rest.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxObjectName = 1024;

Headers ObjectHeaders(const NodeResponse& from) {
  json headers = json::parse(from.Header(kHeadersHeader), nullptr, false);
  Headers out;
  if (headers.is_object()) {
    for (const auto& [k, v] : headers.items()) out[k] = v.get<std::string>();
  }
  return out;
}

void SetObjectHeaders(const NodeResponse& from, http::Response& res) {
  CopyMetadata(from, res);
  res.SetHeader("ETag", from.Header("ETag"));
  res.SetHeader("X-Timestamp", from.Header("X-Timestamp"));
  res.SetHeader("Accept-Ranges", "bytes");
  if (!from.Header("X-Delete-At").empty()) res.SetHeader("X-Delete-At", from.Header("X-Delete-At"));
  if (!from.Header("Content-Range").empty()) {
    res.SetHeader("Content-Range", from.Header("Content-Range"));
  }
  std::optional<Timestamp> ts = Timestamp::Parse(from.Header("X-Timestamp"));
  if (ts) res.SetHeader("Last-Modified", HttpDate(ts->seconds() + (ts->ticks() % 100000 ? 1 : 0)));
}

}  // namespace

bool SplitCopyPath(const std::string& path, std::string& container, std::string& object) {
  std::string p = path;
  if (!p.empty() && p[0] == '/') p.erase(0, 1);
  const size_t slash = p.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= p.size()) return false;
  container = p.substr(0, slash);
  object = p.substr(slash + 1);
  return true;
}

void ObjectController::Put(http::Request& req, http::Response& res, const Target& t) {
  if (t.object.size() > kMaxObjectName) return Answer(res, 400, "Object name length exceeded");
  const std::string copy_from = req.Header("X-Copy-From");
  if (!copy_from.empty()) {
    Target source{t.account};
    if (!SplitCopyPath(copy_from, source.container, source.object)) {
      return Answer(res, 412, "X-Copy-From header must be of the form <container>/<object>");
    }
    return CopyFrom(req, res, source, t);
  }
  PutSpec spec;
  spec.content_type = req.Header("Content-Type");
  if (spec.content_type.empty()) spec.content_type = "application/octet-stream";
  spec.etag = absl::AsciiStrToLower(req.Header("ETag"));
  const std::string length = req.Header("Content-Length");
  if (!length.empty() && !absl::SimpleAtoi(length, &spec.length)) {
    return Answer(res, 400, "Invalid Content-Length");
  }
  if (length.empty() &&
      !absl::StrContains(absl::AsciiStrToLower(req.Header("Transfer-Encoding")), "chunked")) {
    return Answer(res, 411, "Length Required");
  }
  spec.headers = MetadataHeaders(req, Kind::kObject);
  int64_t after = 0;
  if (absl::SimpleAtoi(req.Header("X-Delete-After"), &after)) {
    spec.delete_at = absl::ToUnixSeconds(cluster_.clock().Now()) + after;
  } else if (req.HasHeader("X-Delete-At") &&
             (!absl::SimpleAtoi(req.Header("X-Delete-At"), &spec.delete_at) ||
              spec.delete_at <= absl::ToUnixSeconds(cluster_.clock().Now()))) {
    return Answer(res, 400, "X-Delete-At in past");
  }
  Store(res, t, spec, [&req](const std::function<bool(const char*, size_t)>& sink) {
    return req.ReadBody(sink);
  });
}

void ObjectController::Store(http::Response& res, const Target& t, const PutSpec& spec,
                             const BodyPump& pump) {
  if (!containers_.Facts(t.account, t.container).exists) return Answer(res, 404, "Not Found");
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  Placement container = cluster_.Locate(t.account, t.container);
  const Timestamp ts = cluster_.NewTimestamp();
  const std::string meta = json(spec.headers).dump();
  std::vector<std::unique_ptr<NodeUpload>> uploads;
  size_t next_handoff = 0;
  for (size_t i = 0; i < where.primaries.size(); ++i) {
    const ring::Device& c = *container.primaries[i % container.primaries.size()];
    Headers headers{{"X-Timestamp", ts.ToString()},
                    {"Content-Type", spec.content_type},
                    {kHeadersHeader, meta},
                    {"X-Container-Host", HostOf(c)},
                    {"X-Container-Device", c.device},
                    {"X-Container-Partition", std::to_string(container.partition)}};
    if (!spec.etag.empty()) headers["ETag"] = spec.etag;
    if (spec.delete_at > 0) headers["X-Delete-At"] = std::to_string(spec.delete_at);
    const ring::Device* device = where.primaries[i];
    while (device != nullptr) {
      auto upload = cluster_.client().StartUpload(
          HostOf(*device), "PUT",
          Cluster::Path(*device, where.partition, t.account, t.container, t.object), headers,
          spec.length);
      if (upload.ok()) {
        uploads.push_back(*std::move(upload));
        break;
      }
      device = next_handoff < where.handoffs.size() ? where.handoffs[next_handoff++] : nullptr;
    }
  }
  const size_t quorum = where.primaries.size() / 2 + 1;
  if (uploads.size() < quorum) return Answer(res, 503, "Service Unavailable");
  absl::Status read = pump([&](const char* data, size_t size) {
    for (auto& u : uploads) {
      if (u && !u->Write(data, size).ok()) u.reset();  // that replica is lost
    }
    return true;
  });
  if (!read.ok()) return Answer(res, 499, "Client Disconnect");
  std::vector<int> statuses;
  std::string etag;
  for (auto& u : uploads) {
    if (!u) continue;
    absl::StatusOr<NodeResponse> r = u->Finish();
    statuses.push_back(r.ok() ? r->status : 0);
    if (r.ok() && r->status == 201) etag = r->Header("ETag");
  }
  while (statuses.size() < where.primaries.size()) statuses.push_back(0);
  const int status = QuorumStatus(statuses, where.primaries.size());
  if (status == 201) {
    res.SetHeader("ETag", etag);
    res.SetHeader("Last-Modified", HttpDate(ts.seconds() + 1));
  }
  Answer(res, status == 409 ? 202 : status);
}

void ObjectController::Get(http::Request& req, http::Response& res, const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  Headers headers;
  if (req.HasHeader("Range")) headers["Range"] = req.Header("Range");
  std::vector<const ring::Device*> order = where.primaries;
  order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
  int failure = 503;
  for (const ring::Device* d : order) {
    auto download = cluster_.client().StartDownload(
        HostOf(*d), req.method,
        Cluster::Path(*d, where.partition, t.account, t.container, t.object), headers);
    if (!download.ok()) continue;
    const NodeResponse& head = (*download)->response();
    if (head.status == 404) failure = 404;
    if (head.status == 416) return Answer(res, 416, "Requested Range Not Satisfiable");
    if (head.status / 100 != 2) continue;
    SetObjectHeaders(head, res);
    long long length = 0;
    (void)absl::SimpleAtoi(head.Header("Content-Length"), &length);
    res.status = head.status;
    std::shared_ptr<NodeDownload> body = *std::move(download);
    res.Stream(length, head.Header("Content-Type"),
               [body](char* buf, size_t cap) { return body->Read(buf, cap); });
    return;
  }
  Answer(res, failure, failure == 404 ? "Not Found" : "Service Unavailable");
}

void ObjectController::Delete(http::Request& req, http::Response& res, const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  Placement container = cluster_.Locate(t.account, t.container);
  const Timestamp ts = cluster_.NewTimestamp();
  auto answers = cluster_.SendToAll(
      where, "DELETE",
      [&](const ring::Device& d) {
        return Cluster::Path(d, where.partition, t.account, t.container, t.object);
      },
      [&](size_t i) {
        const ring::Device& c = *container.primaries[i % container.primaries.size()];
        return Headers{{"X-Timestamp", ts.ToString()},
                       {"X-Container-Host", HostOf(c)},
                       {"X-Container-Device", c.device},
                       {"X-Container-Partition", std::to_string(container.partition)}};
      },
      true);
  std::vector<int> statuses;
  for (const ReplicaAnswer& a : answers) statuses.push_back(a.response.status);
  Answer(res, QuorumStatus(statuses, where.primaries.size()));
}

void ObjectController::Post(http::Request& req, http::Response& res, const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  const Timestamp ts = cluster_.NewTimestamp();
  const std::string meta = json(MetadataHeaders(req, Kind::kObject)).dump();
  int64_t delete_at = 0, after = 0;
  if (absl::SimpleAtoi(req.Header("X-Delete-After"), &after)) {
    delete_at = absl::ToUnixSeconds(cluster_.clock().Now()) + after;
  } else {
    (void)absl::SimpleAtoi(req.Header("X-Delete-At"), &delete_at);
  }
  auto answers = cluster_.SendToAll(
      where, "POST",
      [&](const ring::Device& d) {
        return Cluster::Path(d, where.partition, t.account, t.container, t.object);
      },
      [&](size_t) {
        Headers h{{"X-Timestamp", ts.ToString()}, {kHeadersHeader, meta}};
        if (delete_at > 0) h["X-Delete-At"] = std::to_string(delete_at);
        return h;
      },
      true);
  std::vector<int> statuses;
  for (const ReplicaAnswer& a : answers) statuses.push_back(a.response.status);
  Answer(res, QuorumStatus(statuses, where.primaries.size()));
}

void ObjectController::Copy(http::Request& req, http::Response& res, const Target& t) {
  Target dest{t.account};
  if (!SplitCopyPath(req.Header("Destination"), dest.container, dest.object)) {
    return Answer(res, 412, "Destination header must be of the form <container>/<object>");
  }
  CopyFrom(req, res, t, dest);
}

void ObjectController::CopyFrom(http::Request& req, http::Response& res, const Target& source,
                                const Target& dest) {
  Placement where = cluster_.Locate(source.account, source.container, source.object);
  std::vector<const ring::Device*> order = where.primaries;
  order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
  for (const ring::Device* d : order) {
    auto download = cluster_.client().StartDownload(
        HostOf(*d), "GET",
        Cluster::Path(*d, where.partition, source.account, source.container, source.object), {});
    if (!download.ok() || (*download)->response().status != 200) continue;
    const NodeResponse& head = (*download)->response();
    PutSpec spec;
    spec.content_type =
        req.HasHeader("Content-Type") ? req.Header("Content-Type") : head.Header("Content-Type");
    (void)absl::SimpleAtoi(head.Header("Content-Length"), &spec.length);
    for (const auto& [k, v] : ObjectHeaders(head)) spec.headers[k] = v;
    for (const auto& [k, v] : MetadataHeaders(req, Kind::kObject)) spec.headers[k] = v;
    NodeDownload& body = **download;
    Store(res, dest, spec, [&body](const std::function<bool(const char*, size_t)>& sink) {
      std::vector<char> buf(1 << 16);
      while (true) {
        absl::StatusOr<size_t> n = body.Read(buf.data(), buf.size());
        if (!n.ok()) return n.status();
        if (*n == 0 || !sink(buf.data(), *n)) return absl::OkStatus();
      }
    });
    if (res.status == 201) {
      res.SetHeader("X-Copied-From", absl::StrCat(source.container, "/", source.object));
    }
    return;
  }
  Answer(res, 404, "Not Found");
}

}  // namespace gureum::object::proxy
