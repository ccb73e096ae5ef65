#include "object-storage/proxy/large_objects.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/controller.h"
#include "object-storage/server/names.h"
#include "object-storage/server/range.h"

namespace gureum::object::proxy {

absl::StatusOr<std::vector<Segment>> ListDloSegments(Cluster& cluster, const std::string& account,
                                                     const std::string& manifest) {
  std::string m = manifest;
  if (!m.empty() && m[0] == '/') m.erase(0, 1);
  const size_t slash = m.find('/');
  const std::string container = m.substr(0, slash);
  const std::string prefix = slash == std::string::npos ? "" : m.substr(slash + 1);
  if (container.empty()) return absl::InvalidArgumentError("bad X-Object-Manifest");
  Placement where = cluster.Locate(account, container);
  std::vector<Segment> out;
  std::string marker;
  for (int page = 0; page < 10000; ++page) {
    const std::string query =
        absl::StrCat("?prefix=", UrlEncode(prefix), "&marker=", UrlEncode(marker), "&limit=10000");
    ReplicaAnswer a =
        cluster.ReadFirst(where, "GET",
                          [&](const ring::Device& d) {
                            return Cluster::Path(d, where.partition, account, container) + query;
                          },
                          {});
    if (a.response.status == 404) return out;  // no segment container: an empty object
    if (a.response.status / 100 != 2) return absl::UnavailableError("segment listing failed");
    nlohmann::json rows = nlohmann::json::parse(a.response.body, nullptr, false);
    if (!rows.is_array() || rows.empty()) return out;
    for (const auto& r : rows) {
      out.push_back({container, r.value("name", ""), r.value("hash", ""), r.value("bytes", 0LL)});
    }
    marker = out.back().name;
  }
  return out;
}

namespace {

bool SplitPath(const std::string& path, Segment& s) {
  std::string p = path;
  if (!p.empty() && p[0] == '/') p.erase(0, 1);
  const size_t slash = p.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= p.size()) return false;
  s.container = p.substr(0, slash);
  s.name = p.substr(slash + 1);
  return true;
}

}  // namespace

absl::StatusOr<SloManifest> CheckSloManifest(Cluster& cluster, const std::string& account,
                                             const std::string& body) {
  nlohmann::json in = nlohmann::json::parse(body, nullptr, false);
  if (!in.is_array() || in.empty() || in.size() > 1000) {
    return absl::InvalidArgumentError("Manifest must be a list of 1 to 1000 segments");
  }
  SloManifest out;
  nlohmann::json stored = nlohmann::json::array();
  std::string etags;
  for (const nlohmann::json& item : in) {
    Segment s;
    if (!item.is_object() || !SplitPath(item.value("path", ""), s)) {
      return absl::InvalidArgumentError("Each segment needs a path /container/object");
    }
    Placement where = cluster.Locate(account, s.container, s.name);
    ReplicaAnswer a =
        cluster.ReadFirst(where, "HEAD",
                          [&](const ring::Device& d) {
                            return Cluster::Path(d, where.partition, account, s.container, s.name);
                          },
                          {});
    if (a.response.status != 200) {
      return absl::InvalidArgumentError(
          absl::StrCat(item["path"].get<std::string>(), ": segment not found"));
    }
    s.etag = a.response.Header("ETag");
    (void)absl::SimpleAtoi(a.response.Header("Content-Length"), &s.bytes);
    const auto etag = item.find("etag");
    const auto size = item.find("size_bytes");
    if ((etag != item.end() && etag->is_string() && etag->get<std::string>() != s.etag) ||
        (size != item.end() && size->is_number() && size->get<long long>() != s.bytes)) {
      return absl::InvalidArgumentError(
          absl::StrCat(item["path"].get<std::string>(), ": etag or size does not match"));
    }
    stored.push_back(
        {{"name", "/" + s.container + "/" + s.name}, {"hash", s.etag}, {"bytes", s.bytes}});
    out.bytes += s.bytes;
    etags += s.etag;
  }
  out.stored = stored.dump();
  out.etag = absl::StrCat("\"", Md5Hex(etags), "\"");
  return out;
}

absl::StatusOr<std::vector<Segment>> StoredSloSegments(const std::string& stored) {
  nlohmann::json in = nlohmann::json::parse(stored, nullptr, false);
  if (!in.is_array()) return absl::DataLossError("bad SLO manifest");
  std::vector<Segment> out;
  for (const nlohmann::json& item : in) {
    Segment s;
    if (!item.is_object() || !SplitPath(item.value("name", ""), s)) {
      return absl::DataLossError("bad SLO manifest");
    }
    s.etag = item.value("hash", "");
    s.bytes = item.value("bytes", 0LL);
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// Cuts `segments` to the bytes of `r` (of the whole object), the partial ones read with
// a range of their own.
std::vector<Segment> SegmentsInRange(const std::vector<Segment>& segments, const ByteRange& r) {
  std::vector<Segment> out;
  long long offset = 0;
  for (const Segment& s : segments) {
    const long long first = std::max<long long>(r.first, offset);
    const long long last = std::min<long long>(r.last, offset + s.bytes - 1);
    if (first <= last) {
      Segment part = s;
      if (first > offset || last < offset + s.bytes - 1) {
        part.first = first - offset;
        part.last = last - offset;
      }
      part.bytes = last - first + 1;
      out.push_back(std::move(part));
    }
    offset += s.bytes;
  }
  return out;
}

}  // namespace

void StreamSegments(Cluster& cluster, const std::string& account, std::vector<Segment> segments,
                    http::Response& res, bool head_only, const std::string& range) {
  long long total = 0;
  std::string etags;
  for (const Segment& s : segments) {
    total += s.bytes;
    etags += s.etag;
  }
  res.SetHeader("ETag", absl::StrCat("\"", Md5Hex(etags), "\""));
  res.status = 200;
  res.headers.erase(std::remove_if(res.headers.begin(), res.headers.end(),
                                   [](const auto& h) { return h.first == "Content-Range"; }),
                    res.headers.end());
  // One range is served from the segments it covers; several, as the whole object.
  std::optional<std::vector<ByteRange>> ranges =
      range.empty() ? std::nullopt : ParseRanges(range, total);
  if (ranges && ranges->empty()) {
    res.SetHeader("Content-Range", absl::StrCat("bytes */", total));
    res.status = 416;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "Requested Range Not Satisfiable";
    return;
  }
  if (ranges && ranges->size() == 1) {
    const ByteRange r = ranges->front();
    res.status = 206;
    res.SetHeader("Content-Range", absl::StrCat("bytes ", r.first, "-", r.last, "/", total));
    segments = SegmentsInRange(segments, r);
    total = r.length();
  }
  const std::string type = res.content_type;
  if (head_only) {
    return res.Stream(total, type, [](char*, size_t) -> absl::StatusOr<size_t> { return 0; });
  }
  struct State {
    std::vector<Segment> segments;
    size_t next = 0;
    std::unique_ptr<NodeDownload> current;
  };
  auto state = std::make_shared<State>();
  state->segments = std::move(segments);
  res.Stream(total, type,
             [state, &cluster, account](char* buf, size_t cap) -> absl::StatusOr<size_t> {
               while (true) {
                 if (state->current) {
                   absl::StatusOr<size_t> n = state->current->Read(buf, cap);
                   if (!n.ok() || *n > 0) return n;
                   state->current.reset();
                 }
                 if (state->next >= state->segments.size()) return 0;
                 const Segment& s = state->segments[state->next++];
                 Placement where = cluster.Locate(account, s.container, s.name);
                 std::vector<const ring::Device*> order = where.primaries;
                 order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
                 Headers headers;
                 if (s.last >= 0) headers["Range"] = absl::StrCat("bytes=", s.first, "-", s.last);
                 for (const ring::Device* d : order) {
                   auto got = cluster.client().StartDownload(
                       HostOf(*d), "GET",
                       Cluster::Path(*d, where.partition, account, s.container, s.name), headers);
                   if (got.ok() && (*got)->response().status / 100 == 2) {
                     state->current = *std::move(got);
                     break;
                   }
                 }
                 if (!state->current) return absl::UnavailableError("a segment could not be read");
               }
             });
}

}  // namespace gureum::object::proxy
