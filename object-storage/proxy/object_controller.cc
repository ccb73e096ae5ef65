#include "object-storage/proxy/object_controller.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "object-storage/proxy/large_objects.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/server/names.h"
#include "object-storage/server/object_server_rest.h"
#include "object-storage/server/range.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxObjectName = 1024;

void SetObjectHeaders(const NodeResponse& from, http::Response& res) {
  CopyMetadata(from, res, /*keep_empty=*/true);
  res.SetHeader("ETag", from.Header("ETag"));
  res.SetHeader("X-Timestamp", from.Header("X-Timestamp"));
  res.SetHeader("Accept-Ranges", "bytes");
  if (!from.Header("X-Delete-At").empty()) res.SetHeader("X-Delete-At", from.Header("X-Delete-At"));
  if (!from.Header("Content-Range").empty()) {
    res.SetHeader("Content-Range", from.Header("Content-Range"));
  }
  if (std::string modified = LastModifiedOf(from); !modified.empty()) {
    res.SetHeader("Last-Modified", modified);
  }
}

}  // namespace

bool WithinQuota(const ContainerFacts& facts, long long length) {
  // Container quotas (Swift's container_quotas), against counts a few seconds old at most.
  long long quota = 0;
  auto it = facts.headers.find("X-Container-Meta-Quota-Bytes");
  if (it != facts.headers.end() && absl::SimpleAtoi(it->second, &quota) &&
      facts.bytes + std::max(0LL, length) > quota) {
    return false;
  }
  it = facts.headers.find("X-Container-Meta-Quota-Count");
  return !(it != facts.headers.end() && absl::SimpleAtoi(it->second, &quota) &&
           facts.object_count + 1 > quota);
}

bool WithinAccountQuota(const ContainerFacts& account, long long length) {
  long long quota = 0;
  auto it = account.headers.find("X-Account-Meta-Quota-Bytes");
  return !(it != account.headers.end() && absl::SimpleAtoi(it->second, &quota) &&
           account.bytes + std::max(0LL, length) > quota);
}

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
    Target source{req.HasHeader("X-Copy-From-Account") ? req.Header("X-Copy-From-Account")
                                                       : t.account};
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
  if (req.Header("If-None-Match") == "*") {  // create only
    Placement where = cluster_.Locate(t.account, t.container, t.object);
    ReplicaAnswer there = cluster_.ReadFirst(where, "HEAD",
                                             [&](const ring::Device& d) {
                                               return Cluster::Path(d, where.partition, t.account,
                                                                    t.container, t.object);
                                             },
                                             {});
    if (there.response.status / 100 == 2) return Answer(res, 412, "Precondition Failed");
  }
  spec.headers = MetadataHeaders(req, Kind::kObject);
  if (std::string problem = MetadataProblem(spec.headers, Kind::kObject); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  int64_t after = 0;
  if (absl::SimpleAtoi(req.Header("X-Delete-After"), &after)) {
    spec.delete_at = absl::ToUnixSeconds(cluster_.clock().Now()) + after;
  } else if (req.HasHeader("X-Delete-At") &&
             (!absl::SimpleAtoi(req.Header("X-Delete-At"), &spec.delete_at) ||
              spec.delete_at <= absl::ToUnixSeconds(cluster_.clock().Now()))) {
    return Answer(res, 400, "X-Delete-At in past");
  }
  if (req.Query("multipart-manifest") == "put") return PutSlo(req, res, t, spec);
  Store(res, t, spec, [&req](const std::function<bool(const char*, size_t)>& sink) {
    return req.ReadBody(sink);
  });
}

void ObjectController::PutSlo(http::Request& req, http::Response& res, const Target& t,
                              PutSpec spec) {
  std::string body;
  absl::Status read = req.ReadBody([&body](const char* data, size_t size) {
    body.append(data, size);
    return body.size() <= (2u << 20);
  });
  if (!read.ok() || body.size() > (2u << 20)) return Answer(res, 400, "Manifest too large");
  absl::StatusOr<SloManifest> manifest = CheckSloManifest(cluster_, t.account, body);
  if (!manifest.ok()) return Answer(res, 400, std::string(manifest.status().message()));
  spec.headers["X-Static-Large-Object"] = "True";
  // Listings show the whole object's size (Swift's swift_bytes, taken off again there).
  spec.content_type =
      absl::StrCat(spec.content_type, ";swift_bytes=", manifest->bytes,
                   ";slo_etag=", absl::StripSuffix(absl::StripPrefix(manifest->etag, "\""), "\""));
  if (spec.headers.count("X-Object-Meta-S3api-Etag")) {
    absl::StrAppend(&spec.content_type, ";s3_etag=", spec.headers["X-Object-Meta-S3api-Etag"]);
  }
  spec.length = static_cast<long long>(manifest->stored.size());
  spec.etag.clear();
  const std::string& stored = manifest->stored;
  Store(res, t, spec, [&stored](const std::function<bool(const char*, size_t)>& sink) {
    sink(stored.data(), stored.size());
    return absl::OkStatus();
  });
  if (res.status == 201) res.SetHeader("ETag", manifest->etag);
}

std::optional<std::string> ObjectController::ReadManifest(const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  ReplicaAnswer a = cluster_.ReadFirst(where, "GET",
                                       [&](const ring::Device& d) {
                                         return Cluster::Path(d, where.partition, t.account,
                                                              t.container, t.object);
                                       },
                                       {});
  if (a.response.status != 200) return std::nullopt;
  return a.response.body;
}

void ObjectController::PutData(http::Response& res, const Target& t, const std::string& data) {
  if (t.object.size() > kMaxObjectName) return Answer(res, 400, "Object name length exceeded");
  PutSpec spec;
  spec.content_type = "application/octet-stream";
  spec.length = static_cast<long long>(data.size());
  Store(res, t, spec, [&data](const std::function<bool(const char*, size_t)>& sink) {
    if (!data.empty()) sink(data.data(), data.size());
    return absl::OkStatus();
  });
}

std::vector<Segment> ObjectController::SloSegmentsOf(const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  ReplicaAnswer a = cluster_.ReadFirst(where, "HEAD",
                                       [&](const ring::Device& d) {
                                         return Cluster::Path(d, where.partition, t.account,
                                                              t.container, t.object);
                                       },
                                       {});
  if (a.response.status != 200 || !StoredHeaders(a.response).count("X-Static-Large-Object")) {
    return {};
  }
  std::optional<std::string> stored = ReadManifest(t);
  absl::StatusOr<std::vector<Segment>> segments =
      stored ? StoredSloSegments(*stored) : absl::NotFoundError("gone");
  return segments.ok() ? *std::move(segments) : std::vector<Segment>();
}

void ObjectController::Store(http::Response& res, const Target& t, const PutSpec& spec,
                             const BodyPump& pump) {
  const ContainerFacts facts = containers_.Facts(t.account, t.container);
  if (!facts.exists) return Answer(res, 404, "Not Found");
  if (!WithinQuota(facts, spec.length)) return Answer(res, 413, "Upload exceeds quota.");
  if (!WithinAccountQuota(containers_.AccountFacts(t.account), spec.length)) {
    return Answer(res, 413, "Upload exceeds quota.");
  }
  if (spec.keep_version) ArchiveCurrent(t, facts);
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
  // One range goes to the object server as it is; several are cut here (multipart).
  const std::string range = req.Header("Range");
  const bool several = absl::StrContains(range, ',');
  Headers headers;
  if (!range.empty() && !several) headers["Range"] = range;
  std::vector<const ring::Device*> order = ReadOrder(where, t, req.Header("X-Newest"));
  int failure = 503;
  Timestamp deleted_at;  // the newest tombstone a replica answered with
  for (const ring::Device* d : order) {
    const std::string path = Cluster::Path(*d, where.partition, t.account, t.container, t.object);
    auto download = cluster_.client().StartDownload(HostOf(*d), req.method, path, headers);
    if (!download.ok()) continue;
    const NodeResponse& head = (*download)->response();
    if (head.status == 404) {
      failure = 404;
      deleted_at = std::max(
          deleted_at, Timestamp::Parse(head.Header("X-Backend-Timestamp")).value_or(Timestamp()));
    }
    // A range past a manifest's own bytes may still be within the large object's.
    const bool large = StoredHeaders(head).count("X-Static-Large-Object") ||
                       StoredHeaders(head).count("X-Object-Manifest");
    if (head.status == 416 && !large) return Answer(res, 416, "Requested Range Not Satisfiable");
    if (head.status / 100 != 2 && head.status != 416) continue;
    // A copy older than a delete another replica saw (it was away then) is not served.
    if (Timestamp::Parse(head.Header("X-Timestamp")).value_or(Timestamp()) < deleted_at) continue;
    SetObjectHeaders(head, res);
    const Headers meta = StoredHeaders(head);
    const bool slo = absl::EqualsIgnoreCase(
        meta.count("X-Static-Large-Object") ? meta.at("X-Static-Large-Object") : "", "true");
    if (slo && req.Query("multipart-manifest") != "get") {
      std::optional<std::string> stored = ReadManifest(t);
      absl::StatusOr<std::vector<Segment>> segments =
          stored ? StoredSloSegments(*stored) : absl::UnavailableError("no manifest");
      if (!segments.ok()) return Answer(res, 503, "Service Unavailable");
      res.content_type = WithoutSwiftBytes(head.Header("Content-Type"));
      return StreamSegments(cluster_, t.account, *std::move(segments), res, req.method == "HEAD",
                            range);
    }
    if (meta.count("X-Object-Manifest") && req.Query("multipart-manifest") != "get") {
      absl::StatusOr<std::vector<Segment>> segments =
          ListDloSegments(cluster_, t.account, meta.at("X-Object-Manifest"));
      if (!segments.ok()) return Answer(res, 503, "Service Unavailable");
      res.content_type = head.Header("Content-Type");
      return StreamSegments(cluster_, t.account, *std::move(segments), res, req.method == "HEAD",
                            range);
    }
    if (int status = Preconditions(req, head); status != 0) {
      res.SetHeader("Content-Type", head.Header("Content-Type"));
      return Answer(res, status, status == 412 ? "Precondition Failed" : "");
    }
    long long length = 0;
    (void)absl::SimpleAtoi(head.Header("Content-Length"), &length);
    if (several && head.status == 200) {
      std::optional<std::vector<ByteRange>> ranges = ParseRanges(range, length);
      if (ranges && ranges->empty()) {
        res.SetHeader("Content-Range", absl::StrCat("bytes */", length));
        return Answer(res, 416, "Requested Range Not Satisfiable");
      }
      if (ranges && ranges->size() > 1) {
        return StreamRanges(res, HostOf(*d), path, head, *ranges, length, req.method == "HEAD");
      }
    }
    res.status = head.status;
    std::shared_ptr<NodeDownload> body = *std::move(download);
    res.Stream(length, WithoutSwiftBytes(head.Header("Content-Type")),
               [body](char* buf, size_t cap) { return body->Read(buf, cap); });
    return;
  }
  Answer(res, failure, failure == 404 ? "Not Found" : "Service Unavailable");
}

std::vector<const ring::Device*> ObjectController::ReadOrder(const Placement& where,
                                                             const Target& t,
                                                             const std::string& newest) {
  std::vector<const ring::Device*> order = where.primaries;
  if (absl::EqualsIgnoreCase(newest, "true")) {
    // X-Newest: every primary is asked, and the one with the latest version read first.
    std::vector<ReplicaAnswer> answers = cluster_.SendToAll(
        where, "HEAD",
        [&](const ring::Device& d) {
          return Cluster::Path(d, where.partition, t.account, t.container, t.object);
        },
        [](size_t) { return Headers{}; }, /*use_handoffs=*/false);
    auto version = [](const ReplicaAnswer& a) {  // of the data, or of a tombstone
      return Timestamp::Parse(a.response.Header("X-Backend-Timestamp")).value_or(Timestamp());
    };
    std::stable_sort(
        answers.begin(), answers.end(),
        [&](const ReplicaAnswer& a, const ReplicaAnswer& b) { return version(a) > version(b); });
    order.clear();
    for (const ReplicaAnswer& a : answers) order.push_back(a.device);
  }
  order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
  return order;
}

int ObjectController::Preconditions(const http::Request& req, const NodeResponse& head) const {
  const std::string etag = head.Header("ETag");
  auto listed = [&etag](const std::string& header) {
    for (absl::string_view tag : absl::StrSplit(header, ',', absl::SkipWhitespace())) {
      tag = absl::StripAsciiWhitespace(tag);
      absl::ConsumePrefix(&tag, "W/");
      if (tag == "*" || absl::StripPrefix(absl::StripSuffix(tag, "\""), "\"") == etag) return true;
    }
    return false;
  };
  std::optional<Timestamp> ts = Timestamp::Parse(head.Header("X-Timestamp"));
  const int64_t modified = ts ? ts->seconds() + (ts->ticks() % 100000 ? 1 : 0) : 0;
  auto since = [&req](const char* name) -> std::optional<int64_t> {
    absl::Time t;
    std::string err;
    if (!req.HasHeader(name) ||
        !absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", req.Header(name), &t, &err)) {
      return std::nullopt;
    }
    return absl::ToUnixSeconds(t);
  };
  if (req.HasHeader("If-Match") && !listed(req.Header("If-Match"))) return 412;
  if (auto t = since("If-Unmodified-Since"); t && modified > *t) return 412;
  if (req.HasHeader("If-None-Match")) return listed(req.Header("If-None-Match")) ? 304 : 0;
  if (auto t = since("If-Modified-Since"); t && modified <= *t) return 304;
  return 0;
}

void ObjectController::StreamRanges(http::Response& res, const std::string& host,
                                    const std::string& path, const NodeResponse& head,
                                    const std::vector<ByteRange>& ranges, long long size,
                                    bool head_only) {
  // multipart/byteranges (RFC 9110 14.6): each part fetched from the same replica when
  // its turn comes, so memory stays one buffer whatever the ranges.
  const std::string boundary = Md5Hex(head.Header("ETag") + head.Header("X-Timestamp"));
  const std::string type = head.Header("Content-Type");
  std::vector<std::string> part_heads;
  long long total = 0;
  for (const ByteRange& r : ranges) {
    part_heads.push_back(absl::StrCat("--", boundary, "\r\nContent-Type: ", type,
                                      "\r\nContent-Range: bytes ", r.first, "-", r.last, "/", size,
                                      "\r\n\r\n"));
    total += static_cast<long long>(part_heads.back().size()) + r.length() + 2;  // + CRLF
  }
  const std::string tail = absl::StrCat("--", boundary, "--\r\n");
  total += static_cast<long long>(tail.size());
  res.status = 206;
  res.headers.erase(std::remove_if(res.headers.begin(), res.headers.end(),
                                   [](const auto& h) { return h.first == "Content-Range"; }),
                    res.headers.end());
  const std::string content_type = "multipart/byteranges;boundary=" + boundary;
  if (head_only) {  // the length only
    return res.Stream(total, content_type,
                      [](char*, size_t) -> absl::StatusOr<size_t> { return 0; });
  }
  // The body as a sequence of pieces: literal text, or a range read from the replica.
  struct State {
    std::vector<std::string> texts;
    std::vector<ByteRange> ranges;
    size_t step = 0;  // even: the text before range step/2; odd: that range's bytes
    size_t offset = 0;
    std::unique_ptr<NodeDownload> part;
  };
  auto state = std::make_shared<State>();
  for (size_t i = 0; i < ranges.size(); ++i) {
    state->texts.push_back((i == 0 ? "" : "\r\n") + part_heads[i]);
  }
  state->texts.push_back("\r\n" + tail);
  state->ranges = ranges;
  NodeClient& client = cluster_.client();
  res.Stream(total, content_type,
             [state, &client, host, path](char* buf, size_t cap) -> absl::StatusOr<size_t> {
               while (state->step < state->texts.size() + state->ranges.size()) {
                 if (state->step % 2 == 0) {
                   const std::string& text = state->texts[state->step / 2];
                   if (state->offset < text.size()) {
                     const size_t n = std::min(cap, text.size() - state->offset);
                     std::memcpy(buf, text.data() + state->offset, n);
                     state->offset += n;
                     return n;
                   }
                 } else {
                   const ByteRange& r = state->ranges[state->step / 2];
                   if (!state->part) {
                     auto part = client.StartDownload(
                         host, "GET", path,
                         {{"Range", absl::StrCat("bytes=", r.first, "-", r.last)}});
                     if (!part.ok()) return part.status();
                     state->part = *std::move(part);
                   }
                   absl::StatusOr<size_t> n = state->part->Read(buf, cap);
                   if (!n.ok() || *n > 0) return n;
                   state->part.reset();
                 }
                 ++state->step;
                 state->offset = 0;
               }
               return 0;
             });
}

void ObjectController::Delete(http::Request& req, http::Response& res, const Target& t) {
  if (req.Query("multipart-manifest") == "delete") {
    // The segments first, then the manifest (Swift's order).
    std::optional<std::string> stored = ReadManifest(t);
    absl::StatusOr<std::vector<Segment>> segments =
        stored ? StoredSloSegments(*stored) : absl::NotFoundError("no manifest");
    if (segments.ok()) {
      for (const Segment& s : *segments) {
        http::Response ignored;
        DeleteOne(ignored, {t.account, s.container, s.name});
      }
    }
  } else if (DeleteVersioned(res, t)) {
    return;
  }
  DeleteOne(res, t);
}

void ObjectController::DeleteOne(http::Response& res, const Target& t) {
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
  std::map<std::string, std::string> headers = MetadataHeaders(req, Kind::kObject);
  if (std::string problem = MetadataProblem(headers, Kind::kObject); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  // A POST replaces the user's metadata; what makes the object a static large object stays.
  ReplicaAnswer current = cluster_.ReadFirst(where, "HEAD",
                                             [&](const ring::Device& d) {
                                               return Cluster::Path(d, where.partition, t.account,
                                                                    t.container, t.object);
                                             },
                                             {});
  if (current.response.status == 404) return Answer(res, 404, "Not Found");
  const Headers before = StoredHeaders(current.response);
  if (before.count("X-Static-Large-Object")) {
    headers["X-Static-Large-Object"] = before.at("X-Static-Large-Object");
  }
  const std::string meta = json(headers).dump();
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

}  // namespace gureum::object::proxy
