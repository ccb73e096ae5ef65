#include "object-storage/proxy/s3_rest.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/proxy_rest.h"
#include "object-storage/proxy/s3_signature.h"
#include "object-storage/proxy/s3_xml.h"
#include "object-storage/proxy/swift_headers.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

constexpr int kMaxKeys = 1000;

std::string Owner(const S3Call& c) {
  const std::string id = c.account.substr(5);  // AUTH_<project>
  return absl::StrCat("<Owner>", XmlElement("ID", id), XmlElement("DisplayName", id), "</Owner>");
}

void XmlAnswer(http::Response& res, int status, const std::string& root, const std::string& inner) {
  res.status = status;
  res.content_type = "application/xml";
  res.body = XmlDocument(root, inner);
}

// A key in a listing, %-encoded when the client asked for encoding-type=url.
std::string ListedKey(const S3Call& c, const std::string& key) {
  return c.req.Query("encoding-type") == "url" ? AwsUriEncode(key, true) : key;
}

}  // namespace

std::string SegmentsContainer(const std::string& bucket) { return bucket + "+segments"; }

std::string S3Time(const std::string& swift_time) {
  if (swift_time.size() < 19) return "1970-01-01T00:00:00.000Z";
  std::string out = swift_time.substr(0, 19);
  absl::StrAppend(&out, swift_time.size() >= 23 ? swift_time.substr(19, 4) : ".000", "Z");
  return out;
}

std::string Quoted(const std::string& etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag;
  return absl::StrCat("\"", etag, "\"");
}

http::Request MakeSwiftRequest(const SwiftCall& call) {
  http::Request r;
  r.method = call.method;
  r.query = call.query;
  auto headers = std::make_shared<std::vector<std::pair<std::string, std::string>>>(call.headers);
  r.header_lookup = [headers](const std::string& name) {
    for (const auto& [k, v] : *headers) {
      if (absl::EqualsIgnoreCase(k, name)) return v;
    }
    return std::string();
  };
  r.header_exists = [headers](const std::string& name) {
    for (const auto& [k, v] : *headers) {
      if (absl::EqualsIgnoreCase(k, name)) return true;
    }
    return false;
  };
  r.header_list = [headers] { return *headers; };
  if (call.stream) {
    r.body_stream = call.stream;
  } else if (call.stream_from != nullptr) {
    const http::Request* from = call.stream_from;
    r.body_stream = [from](const http::BodyReader& reader) { return from->ReadBody(reader); };
  } else {
    r.body_ = call.body;
    auto body = std::make_shared<std::string>(call.body);
    r.body_stream = [body](const http::BodyReader& reader) {
      if (!body->empty()) reader(body->data(), body->size());
      return absl::OkStatus();
    };
  }
  return r;
}

bool SignedPayloadHash(const http::Request& req) {
  const std::string hash = req.Header("X-Amz-Content-Sha256");
  return hash.size() == 64 &&
         std::all_of(hash.begin(), hash.end(), [](char ch) { return absl::ascii_isxdigit(ch); });
}

std::function<absl::Status(const http::BodyReader&)> CheckedBody(const http::Request& req,
                                                                 std::shared_ptr<bool> mismatch) {
  const http::Request* from = &req;
  if (!SignedPayloadHash(req)) {
    return [from](const http::BodyReader& reader) { return from->ReadBody(reader); };
  }
  const std::string expected = absl::AsciiStrToLower(req.Header("X-Amz-Content-Sha256"));
  return [from, expected, mismatch](const http::BodyReader& reader) -> absl::Status {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::string held;
    bool stopped = false;
    absl::Status read = from->ReadBody([&](const char* data, size_t size) {
      EVP_DigestUpdate(ctx.get(), data, size);
      if (!held.empty() && !reader(held.data(), held.size())) {
        stopped = true;
        return false;
      }
      held.assign(data, size);
      return true;
    });
    if (!read.ok() || stopped) return read;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    if (absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), size)) !=
        expected) {
      *mismatch = true;
      return absl::InvalidArgumentError("the body does not match X-Amz-Content-Sha256");
    }
    if (!held.empty()) reader(held.data(), held.size());
    return absl::OkStatus();
  };
}

void S3Rest::Register(http::Server& server) {
  auto handle = [this](http::Request& req, http::Response& res) { Handle(req, res); };
  for (const char* method : {"GET", "PUT", "POST", "DELETE"}) server.Route(method, "/", handle);
  for (const char* method : {"GET", "PUT", "POST", "DELETE"}) {
    server.Route(method, "/{bucket}", handle);
  }
  std::string pattern = "/{bucket}";
  for (int i = 0; i < kMaxObjectSegments; ++i) {
    absl::StrAppend(&pattern, "/{k", i, "}");
    for (const char* method : {"GET", "POST", "DELETE"}) server.Route(method, pattern, handle);
    server.Route("PUT", pattern, handle, {.stream_body = true});
  }
}

std::string HostBucket(const std::string& host, const std::string& domain) {
  if (domain.empty()) return "";
  std::string name = absl::AsciiStrToLower(host.substr(0, host.rfind(':')));
  const std::string suffix = "." + absl::AsciiStrToLower(domain);
  if (name.size() <= suffix.size() || !absl::EndsWith(name, suffix)) return "";
  return name.substr(0, name.size() - suffix.size());
}

void S3Rest::Handle(http::Request& req, http::Response& res) {
  S3Error error;
  const std::string path = req.path.empty() ? "/" : req.path;
  const std::string host_bucket = HostBucket(req.Header("Host"), domain_);
  ChunkSigning chunks;
  absl::StatusOr<Ec2Credential> who = auth_.Verify(req, error, host_bucket, &chunks);
  if (!who.ok()) {
    return S3ErrorAnswer(res, error.status, error.code, error.message, path, req.method == "HEAD");
  }
  // A body read whole (bucket requests, POSTs) is checked against the hash signed here;
  // streamed ones as they are read (CheckedBody).
  if (!req.body().empty() && SignedPayloadHash(req) &&
      Sha256Hex(req.body()) != absl::AsciiStrToLower(req.Header("X-Amz-Content-Sha256"))) {
    return S3ErrorAnswer(res, 400, "XAmzContentSHA256Mismatch",
                         "The provided 'x-amz-content-sha256' header does not match what was "
                         "computed.",
                         path, false);
  }
  S3Call c{req, res, "AUTH_" + who->project_id};
  c.head = req.method == "HEAD";
  c.chunks = std::move(chunks);
  if (!host_bucket.empty()) {
    c.bucket = host_bucket;
    c.key = path.substr(1);
  } else {
    const size_t slash = path.find('/', 1);
    c.bucket = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (slash != std::string::npos) c.key = path.substr(slash + 1);
  }
  req.caller.project_id = who->project_id;
  req.caller.user_id = who->user_id;
  if (c.bucket.empty() && req.method != "GET" && req.method != "HEAD") {
    return S3ErrorAnswer(res, 405, "MethodNotAllowed",
                         "The specified method is not allowed against this resource.", path, false);
  }
  if (c.bucket.empty()) return ListBuckets(c);
  if (c.key.empty()) return BucketRequest(c);
  ObjectRequest(c);
}

void AclAnswer(S3Call& c) {
  // The owner has every right; S3 ACLs are not kept (Swift's container ACLs are).
  XmlAnswer(c.res, 200, "AccessControlPolicy",
            absl::StrCat(Owner(c),
                         "<AccessControlList><Grant><Grantee "
                         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                         "xsi:type=\"CanonicalUser\">",
                         XmlElement("ID", c.account.substr(5)),
                         XmlElement("DisplayName", c.account.substr(5)),
                         "</Grantee><Permission>FULL_CONTROL</Permission></Grant>"
                         "</AccessControlList>"));
}

void S3Rest::SwiftError(S3Call& c, int status, const std::string& not_found) {
  const std::string resource = c.req.path;
  switch (status) {
    case 404:
      return S3ErrorAnswer(c.res, 404, not_found,
                           not_found == "NoSuchBucket" ? "The specified bucket does not exist."
                                                       : "The specified key does not exist.",
                           resource, c.head);
    case 304:
      c.res.status = 304;
      c.res.body.clear();
      return;
    case 401:
    case 403:
      return S3ErrorAnswer(c.res, 403, "AccessDenied", "Access Denied.", resource, c.head);
    case 409:
      return S3ErrorAnswer(c.res, 409, "BucketNotEmpty",
                           "The bucket you tried to delete is not empty.", resource, c.head);
    case 412:
      return S3ErrorAnswer(c.res, 412, "PreconditionFailed",
                           "At least one of the preconditions you specified did not hold.",
                           resource, c.head);
    case 413:
      return S3ErrorAnswer(c.res, 400, "EntityTooLarge",
                           "Your proposed upload exceeds the maximum allowed object size.",
                           resource, c.head);
    case 416:
      return S3ErrorAnswer(c.res, 416, "InvalidRange", "The requested range cannot be satisfied.",
                           resource, c.head);
    case 422:
      return S3ErrorAnswer(c.res, 400, "BadDigest",
                           "The Content-MD5 you specified did not match what we received.",
                           resource, c.head);
    case 400:
      return S3ErrorAnswer(c.res, 400, "InvalidArgument", c.res.body, resource, c.head);
    default:
      return S3ErrorAnswer(c.res, 503, "ServiceUnavailable", "Please reduce your request rate.",
                           resource, c.head);
  }
}

bool S3Rest::BucketExists(S3Call& c) {
  if (containers_.Facts(c.account, c.bucket).exists) return true;
  SwiftError(c, 404, "NoSuchBucket");
  return false;
}

void S3Rest::ListBuckets(S3Call& c) {
  http::Request req = MakeSwiftRequest({"GET", {}, {{"format", "json"}}});
  http::Response res;
  containers_.GetAccount(req, res, {c.account});
  if (res.status / 100 != 2) return SwiftError(c, res.status, "NoSuchBucket");
  json rows = json::parse(res.body, nullptr, false);
  std::string buckets;
  for (const json& r : rows.is_array() ? rows : json::array()) {
    const std::string name = r.value("name", "");
    if (absl::EndsWith(name, "+segments")) continue;
    absl::StrAppend(&buckets, "<Bucket>", XmlElement("Name", name),
                    XmlElement("CreationDate", S3Time(r.value("last_modified", ""))), "</Bucket>");
  }
  XmlAnswer(c.res, 200, "ListAllMyBucketsResult",
            absl::StrCat(Owner(c), "<Buckets>", buckets, "</Buckets>"));
}

void S3Rest::BucketRequest(S3Call& c) {
  const std::string& m = c.req.method;
  const Target t{c.account, c.bucket};
  http::Response res;
  if (m == "PUT") {
    http::Request req = MakeSwiftRequest({"PUT"});
    containers_.PutContainer(req, res, t);
    if (res.status / 100 != 2) return SwiftError(c, res.status, "NoSuchBucket");
    c.res.status = 200;
    c.res.SetHeader("Location", "/" + c.bucket);
    c.res.body.clear();
    return;
  }
  if (m == "DELETE") {
    http::Request req = MakeSwiftRequest({"DELETE"});
    containers_.DeleteContainer(req, res, t);
    if (res.status / 100 != 2) return SwiftError(c, res.status, "NoSuchBucket");
    http::Response ignored;  // the multipart parts' container, when empty
    containers_.DeleteContainer(req, ignored, {c.account, SegmentsContainer(c.bucket)});
    c.res.status = 204;
    c.res.body.clear();
    return;
  }
  if (m == "POST" && c.req.Query("delete")) return DeleteObjects(c);
  if (m == "POST") {
    return S3ErrorAnswer(c.res, 501, "NotImplemented", "Not implemented.", c.req.path, false);
  }
  if (!BucketExists(c)) return;
  if (c.head) {
    c.res.status = 200;
    c.res.body.clear();
    return;
  }
  if (c.req.Query("location")) return XmlAnswer(c.res, 200, "LocationConstraint", "");
  if (c.req.Query("uploads")) return ListUploads(c);
  if (c.req.Query("acl")) return AclAnswer(c);
  for (const char* unsupported : {"versioning", "policy", "cors", "lifecycle", "website", "tagging",
                                  "logging", "notification", "replication", "encryption"}) {
    if (c.req.Query(unsupported)) {
      return S3ErrorAnswer(c.res, 501, "NotImplemented", "Not implemented.", c.req.path, false);
    }
  }
  ListObjects(c);
}

void S3Rest::ListObjects(S3Call& c) {
  const bool v2 = c.req.Query("list-type") == "2";
  int max_keys = kMaxKeys;
  if (c.req.Query("max-keys") &&
      (!absl::SimpleAtoi(*c.req.Query("max-keys"), &max_keys) || max_keys < 0)) {
    return S3ErrorAnswer(c.res, 400, "InvalidArgument", "max-keys", c.req.path, false);
  }
  max_keys = std::min(max_keys, kMaxKeys);
  const std::string prefix = c.req.Query("prefix").value_or("");
  const std::string delimiter = c.req.Query("delimiter").value_or("");
  std::string marker =
      v2 ? c.req.Query("continuation-token").value_or(c.req.Query("start-after").value_or(""))
         : c.req.Query("marker").value_or("");
  std::string query = absl::StrCat("?limit=", max_keys + 1);
  if (!prefix.empty()) absl::StrAppend(&query, "&prefix=", UrlEncode(prefix));
  if (!delimiter.empty()) absl::StrAppend(&query, "&delimiter=", UrlEncode(delimiter));
  if (!marker.empty()) absl::StrAppend(&query, "&marker=", UrlEncode(marker));
  json rows;
  const int status = containers_.ListRows(c.account, c.bucket, query, rows);
  if (status != 200) return SwiftError(c, status, "NoSuchBucket");
  const bool truncated = static_cast<int>(rows.size()) > max_keys;
  // V1 always names the owner; V2 when asked (fetch-owner=true).
  const std::string owner = !v2 || c.req.Query("fetch-owner") == "true" ? Owner(c) : "";
  std::string contents, prefixes, last;
  for (int i = 0; i < std::min<int>(max_keys, rows.size()); ++i) {
    const json& r = rows[i];
    if (r.contains("subdir")) {
      last = r["subdir"].get<std::string>();
      absl::StrAppend(&prefixes, "<CommonPrefixes>", XmlElement("Prefix", ListedKey(c, last)),
                      "</CommonPrefixes>");
      continue;
    }
    last = r.value("name", "");
    // A multipart object's manifest row carries its S3 ETag and whole size in its type.
    const std::string type = r.value("content_type", "");
    std::string etag = ContentTypeParam(type, "s3_etag");
    if (etag.empty()) etag = ContentTypeParam(type, "slo_etag");
    if (etag.empty()) etag = r.value("hash", "");
    const long long bytes = SwiftBytes(type) >= 0 ? SwiftBytes(type) : r.value("bytes", 0LL);
    absl::StrAppend(&contents, "<Contents>", XmlElement("Key", ListedKey(c, last)),
                    XmlElement("LastModified", S3Time(IsoTime(r.value("timestamp", "")))),
                    XmlElement("ETag", Quoted(etag)), XmlElement("Size", std::to_string(bytes)),
                    XmlElement("StorageClass", "STANDARD"), owner, "</Contents>");
  }
  std::string inner =
      absl::StrCat(XmlElement("Name", c.bucket), XmlElement("Prefix", ListedKey(c, prefix)),
                   XmlElement("MaxKeys", std::to_string(max_keys)));
  if (!delimiter.empty()) absl::StrAppend(&inner, XmlElement("Delimiter", delimiter));
  if (c.req.Query("encoding-type")) absl::StrAppend(&inner, XmlElement("EncodingType", "url"));
  absl::StrAppend(&inner, XmlElement("IsTruncated", truncated ? "true" : "false"));
  if (v2) {
    absl::StrAppend(&inner,
                    XmlElement("KeyCount", std::to_string(std::min<int>(max_keys, rows.size()))));
    if (c.req.Query("continuation-token")) {
      absl::StrAppend(&inner, XmlElement("ContinuationToken", *c.req.Query("continuation-token")));
    }
    if (truncated) absl::StrAppend(&inner, XmlElement("NextContinuationToken", last));
  } else {
    absl::StrAppend(&inner, XmlElement("Marker", ListedKey(c, marker)));
    if (truncated) absl::StrAppend(&inner, XmlElement("NextMarker", ListedKey(c, last)));
  }
  XmlAnswer(c.res, 200, "ListBucketResult", inner + contents + prefixes);
}

void S3Rest::DeleteObjects(S3Call& c) {
  if (!BucketExists(c)) return;
  const std::vector<std::string> objects = XmlElements(c.req.body(), "Object");
  if (objects.size() > 1000) {
    return S3ErrorAnswer(c.res, 400, "MalformedXML", "At most 1000 keys.", c.req.path, false);
  }
  const std::vector<std::string> quiet = XmlElements(c.req.body(), "Quiet");
  const bool is_quiet = !quiet.empty() && absl::EqualsIgnoreCase(quiet[0], "true");
  std::string inner;
  for (const std::string& o : objects) {
    const std::vector<std::string> keys = XmlElements(o, "Key");
    if (keys.empty()) continue;
    http::Response result;
    S3Call del{c.req, result, c.account, c.bucket, keys[0]};
    DeleteObject(del);
    if (result.status / 100 == 2) {
      if (!is_quiet) absl::StrAppend(&inner, "<Deleted>", XmlElement("Key", keys[0]), "</Deleted>");
    } else {
      absl::StrAppend(&inner, "<Error>", XmlElement("Key", keys[0]),
                      XmlElement("Code", "InternalError"), "</Error>");
    }
  }
  XmlAnswer(c.res, 200, "DeleteResult", inner);
}

}  // namespace gureum::object::proxy
