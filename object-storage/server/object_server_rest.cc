#include "object-storage/server/object_server_rest.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/validate/validate.h"
#include "object-storage/server/content_check.h"
#include "object-storage/server/names.h"
#include "object-storage/server/range.h"

namespace gureum::object {
namespace {

using json = nlohmann::json;
using http::Request;
using http::Response;

// Objects up to this size are checked against their ETag before a GET sends them.
constexpr int64_t kCheckWholeBytes = 4 << 20;

int HttpCode(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kInvalidArgument:
      return 422;
    default:
      return 500;
  }
}

void Reply(Response& res, int code, const std::string& text = "") {
  res.status = code;
  res.content_type = "text/plain";
  res.body = text;
}

void ReplyError(Response& res, const absl::Status& s) {
  Reply(res, HttpCode(s), std::string(s.message()));
}

struct Names {
  std::string device, partition, account, container, object;
};

// The route's parameters, hex-decoded; false (400 sent) when one is not hex.
bool Decode(const Request& req, Response& res, Names& out) {
  out.device = req.PathParam("device");
  out.partition = req.PathParam("part");
  uint32_t part = 0;
  if (!absl::SimpleAtoi(out.partition, &part)) {
    Reply(res, 400, "bad partition");
    return false;
  }
  for (auto [param, slot] :
       {std::pair{"account", &out.account}, std::pair{"container", &out.container},
        std::pair{"object", &out.object}}) {
    const std::string& hex = req.PathParam(param);
    if (hex.empty()) continue;
    std::optional<std::string> name = HexDecode(hex);
    if (!name || name->empty() || !IsValidUtf8(*name)) {
      Reply(res, 400, absl::StrCat("bad ", param, " name"));
      return false;
    }
    *slot = *name;
  }
  return true;
}

ObjectLocation Location(const Names& n) {
  uint32_t part = 0;
  (void)absl::SimpleAtoi(n.partition, &part);
  return {n.device, part, absl::StrCat("/", n.account, "/", n.container, "/", n.object)};
}

ListingKey Key(const Names& n) { return {n.device, n.partition, n.account, n.container}; }

// X-Timestamp, required on writes; false (400 sent) when missing or malformed.
bool RequireTimestamp(const Request& req, Response& res, Timestamp& ts) {
  std::optional<Timestamp> parsed = Timestamp::Parse(req.Header("X-Timestamp"));
  if (!parsed || parsed->empty()) {
    Reply(res, 400, "X-Timestamp is required");
    return false;
  }
  ts = *parsed;
  return true;
}

std::map<std::string, std::string> HeadersOf(const Request& req) {
  json j = json::parse(req.Header(kHeadersHeader), nullptr, false);
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

std::optional<ListingTarget> TargetOf(const Request& req, const std::string& kind) {
  ListingTarget t{req.Header("X-" + kind + "-Host"), req.Header("X-" + kind + "-Device"),
                  req.Header("X-" + kind + "-Partition")};
  if (t.host.empty() || t.device.empty() || t.partition.empty()) return std::nullopt;
  return t;
}

void SetMetaHeaders(Response& res, const ObjectMeta& m) {
  res.SetHeader("Content-Type", m.content_type);
  res.SetHeader("ETag", m.etag);
  res.SetHeader("X-Timestamp", m.timestamp.ToString());
  res.SetHeader("X-Backend-Timestamp", m.timestamp.ToString());
  res.SetHeader(kHeadersHeader, json(m.headers).dump());
  if (m.delete_at > 0) res.SetHeader("X-Delete-At", std::to_string(m.delete_at));
}

void SetInfoHeaders(Response& res, const ListingInfo& info, bool account) {
  const std::string kind = account ? "Account" : "Container";
  if (account) res.SetHeader("X-Account-Container-Count", std::to_string(info.count));
  res.SetHeader(absl::StrCat("X-", kind, "-Object-Count"),
                std::to_string(account ? info.object_count : info.count));
  res.SetHeader(absl::StrCat("X-", kind, "-Bytes-Used"), std::to_string(info.bytes));
  res.SetHeader("X-Timestamp", info.put_timestamp.ToString());
  res.SetHeader("X-Put-Timestamp", info.put_timestamp.ToString());
  res.SetHeader(kHeadersHeader, json(info.headers).dump());
}

ListingQuery QueryOf(const Request& req) {
  ListingQuery q;
  q.prefix = req.Query("prefix").value_or("");
  q.delimiter = req.Query("delimiter").value_or("");
  q.marker = req.Query("marker").value_or("");
  q.end_marker = req.Query("end_marker").value_or("");
  int limit = 0;
  if (absl::SimpleAtoi(req.Query("limit").value_or(""), &limit) && limit >= 0) q.limit = limit;
  // Swift's config_true_value: any case ("True" from a Python client).
  const std::string reverse = absl::AsciiStrToLower(req.Query("reverse").value_or(""));
  q.reverse = reverse == "true" || reverse == "1" || reverse == "yes" || reverse == "on";
  return q;
}

}  // namespace

void ObjectServerRest::Register(http::Server& server) {
  const std::string o = "/o/{device}/{part}/{account}/{container}/{object}";
  const std::string c = "/c/{device}/{part}/{account}/{container}";
  const std::string a = "/a/{device}/{part}/{account}";
  auto bind = [this](void (ObjectServerRest::*f)(Request&, Response&)) {
    return [this, f](Request& req, Response& res) { (this->*f)(req, res); };
  };
  server.Route("PUT", o, bind(&ObjectServerRest::PutObject), {.stream_body = true});
  server.Route("GET", o, bind(&ObjectServerRest::GetObject));
  server.Route("DELETE", o, bind(&ObjectServerRest::DeleteObject));
  server.Route("POST", o, bind(&ObjectServerRest::PostObject));
  for (const std::string& listing : {c, a}) {
    server.Route("PUT", listing, bind(&ObjectServerRest::PutListing));
    server.Route("GET", listing, bind(&ObjectServerRest::GetListing));
    server.Route("DELETE", listing, bind(&ObjectServerRest::DeleteListing));
    server.Route("POST", listing, bind(&ObjectServerRest::PostListing));
  }
  server.Route("PUT", c + "/{object}", bind(&ObjectServerRest::PutRow));
  server.Route("PUT", a + "/{container}", bind(&ObjectServerRest::PutRow));
}

void ObjectServerRest::PutObject(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  const ObjectLocation where = Location(n);
  absl::StatusOr<std::unique_ptr<ObjectWriter>> writer = objects_.BeginPut(where);
  if (!writer.ok()) {
    return Reply(res, absl::IsNotFound(writer.status()) ? 507 : 500,
                 std::string(writer.status().message()));
  }
  absl::Status written;
  absl::Status read = req.ReadBody([&](const char* data, size_t size) {
    written = (*writer)->Append(data, size);
    return written.ok();
  });
  if (!written.ok()) return ReplyError(res, written);
  if (!read.ok()) return Reply(res, 499, std::string(read.message()));
  ObjectMeta meta;
  meta.timestamp = ts;
  meta.content_type = req.Header("Content-Type");
  meta.etag = absl::AsciiStrToLower(req.Header("ETag"));
  meta.headers = HeadersOf(req);
  (void)absl::SimpleAtoi(req.Header("X-Delete-At"), &meta.delete_at);
  absl::Status done = objects_.FinishPut(where, **writer, meta, TargetOf(req, "Container"));
  if (!done.ok()) return ReplyError(res, done);
  res.SetHeader("ETag", meta.etag);
  Reply(res, 201);
}

void ObjectServerRest::GetObject(Request& req, Response& res) {
  Names n;
  if (!Decode(req, res, n)) return;
  absl::StatusOr<ObjectState> state = objects_.Get(Location(n));
  if (!state.ok()) return ReplyError(res, state.status());
  if (!state->reader) {
    if (!state->timestamp.empty()) {
      res.SetHeader("X-Backend-Timestamp", state->timestamp.ToString());
    }
    return Reply(res, 404);
  }
  std::shared_ptr<ObjectReader> reader = std::move(state->reader);
  const ObjectMeta& meta = reader->meta();
  SetMetaHeaders(res, meta);
  int64_t offset = 0, length = meta.size;
  if (req.HasHeader("Range")) {
    auto ranges = ParseRanges(req.Header("Range"), meta.size);
    if (ranges && ranges->empty()) {
      res.SetHeader("Content-Range", absl::StrCat("bytes */", meta.size));
      return Reply(res, 416);
    }
    if (ranges && ranges->size() == 1) {
      offset = (*ranges)[0].first;
      length = (*ranges)[0].length();
      res.status = 206;
      res.SetHeader("Content-Range",
                    absl::StrCat("bytes ", offset, "-", offset + length - 1, "/", meta.size));
    }
  }
  const bool whole = offset == 0 && length == meta.size && req.method == "GET";
  if (req.method == "GET" && meta.size <= kCheckWholeBytes) {
    return SendChecked(Location(n), reader, offset, length, res);
  }
  const int64_t end = offset + length;
  // The whole object: its bytes are checked on the way (content_check.h) and the last piece
  // is not sent when they do not match (the client sees a transfer cut short).
  std::shared_ptr<ContentCheck> check;
  if (whole) check = std::make_shared<ContentCheck>(meta);
  res.Stream(length, meta.content_type,
             [this, reader, check, where = Location(n), pos = offset, end](
                 char* buf, size_t cap) mutable -> absl::StatusOr<size_t> {
               if (pos >= end) return 0;
               const size_t want = static_cast<size_t>(std::min<int64_t>(cap, end - pos));
               absl::StatusOr<size_t> n = reader->ReadAt(buf, want, pos);
               if (!n.ok()) return n;
               pos += static_cast<int64_t>(*n);
               if (check == nullptr) return n;
               check->Update(buf, *n);
               if (*n == 0 || (pos >= end && !check->Matches())) {
                 Corrupt(where);
                 return absl::DataLossError("the object's bytes do not match its ETag");
               }
               return n;
             });
}

// Small objects are read whole and checked before anything (or any range of them) is sent:
// a corrupt copy is quarantined and answered 503, so the proxy reads another replica.
void ObjectServerRest::SendChecked(const ObjectLocation& where,
                                   const std::shared_ptr<ObjectReader>& reader, int64_t offset,
                                   int64_t length, Response& res) {
  const ObjectMeta& meta = reader->meta();
  std::string body(static_cast<size_t>(meta.size), '\0');
  size_t got = 0;
  while (got < body.size()) {
    absl::StatusOr<size_t> n =
        reader->ReadAt(body.data() + got, body.size() - got, static_cast<int64_t>(got));
    if (!n.ok() || *n == 0) break;
    got += *n;
  }
  ContentCheck check(meta);
  check.Update(body.data(), got);
  if (got != body.size() || !check.Matches()) {
    Corrupt(where);
    return Reply(res, 503, "the stored copy is corrupt");
  }
  res.content_type = meta.content_type;  // the status (200, or 206 for a range) is set
  res.body = body.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
}

void ObjectServerRest::Corrupt(const ObjectLocation& where) {
  spdlog::warn("{} on {}: the bytes do not match the ETag; quarantined", where.name, where.device);
  if (absl::Status s = objects_.Quarantine(where); !s.ok()) {
    spdlog::error("cannot quarantine {}: {}", where.name, s.ToString());
  }
}

void ObjectServerRest::DeleteObject(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  absl::StatusOr<ObjectState> before = objects_.Get(Location(n));
  const bool existed = before.ok() && before->reader != nullptr;
  absl::Status s = objects_.Delete(Location(n), ts, TargetOf(req, "Container"));
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, existed ? 204 : 404);
}

void ObjectServerRest::PostObject(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  int64_t delete_at = 0;
  (void)absl::SimpleAtoi(req.Header("X-Delete-At"), &delete_at);
  absl::Status s = objects_.Post(Location(n), ts, HeadersOf(req), delete_at);
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, 202);
}

void ObjectServerRest::PutListing(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  const bool existed = listings_.Head(Key(n)).ok();
  absl::Status s = listings_.Create(Key(n), ts, HeadersOf(req), TargetOf(req, "Account"));
  if (absl::IsNotFound(s)) return Reply(res, 507, std::string(s.message()));
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, existed ? 202 : 201);
}

void ObjectServerRest::GetListing(Request& req, Response& res) {
  Names n;
  if (!Decode(req, res, n)) return;
  absl::StatusOr<ListingInfo> info = listings_.Head(Key(n));
  if (!info.ok()) return ReplyError(res, info.status());
  SetInfoHeaders(res, *info, n.container.empty());
  if (req.method == "HEAD") return Reply(res, 204);
  absl::StatusOr<std::vector<ListingEntry>> rows = listings_.List(Key(n), QueryOf(req));
  if (!rows.ok()) return ReplyError(res, rows.status());
  json out = json::array();
  for (const ListingEntry& e : *rows) {
    if (e.subdir) {
      out.push_back({{"subdir", e.name}});
      continue;
    }
    out.push_back({{"name", e.name},
                   {"timestamp", e.timestamp.ToString()},
                   {"bytes", e.size},
                   {"count", e.object_count},
                   {"content_type", e.content_type},
                   {"hash", e.etag}});
  }
  res.Json(200, out);
}

void ObjectServerRest::DeleteListing(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  absl::Status s = listings_.Delete(Key(n), ts);
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, 204);
}

void ObjectServerRest::PostListing(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  absl::Status s = listings_.UpdateHeaders(Key(n), ts, HeadersOf(req));
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, 204);
}

void ObjectServerRest::PutRow(Request& req, Response& res) {
  Names n;
  Timestamp ts;
  if (!Decode(req, res, n) || !RequireTimestamp(req, res, ts)) return;
  ListingEntry e;
  ListingKey key = Key(n);
  if (req.route.rfind("/a/", 0) == 0) {  // a container's row in its account
    e.name = n.container;
    key.container.clear();
  } else {
    e.name = n.object;
  }
  e.timestamp = ts;
  (void)absl::SimpleAtoi(req.Header("X-Size"), &e.size);
  (void)absl::SimpleAtoi(req.Header("X-Object-Count"), &e.object_count);
  e.content_type = req.Header("X-Content-Type");
  e.etag = req.Header("X-Etag");
  e.deleted = req.Header("X-Deleted") == "1";
  absl::Status s = listings_.PutRow(key, e);
  if (!s.ok()) return ReplyError(res, s);
  Reply(res, 201);
}

}  // namespace gureum::object
