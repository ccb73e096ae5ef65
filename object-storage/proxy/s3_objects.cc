// S3 objects (s3_rest.h): PutObject, CopyObject, GetObject, HeadObject, DeleteObject.
#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/http/router.h"
#include "object-storage/proxy/s3_chunked.h"
#include "object-storage/proxy/s3_rest.h"
#include "object-storage/proxy/s3_xml.h"
#include "object-storage/proxy/swift_headers.h"

namespace gureum::object::proxy {

std::vector<std::pair<std::string, std::string>> SwiftObjectHeaders(const http::Request& req) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : {"Content-Type", "Content-Length", "Transfer-Encoding", "Cache-Control",
                           "Content-Disposition", "Content-Encoding", "Expires", "If-None-Match"}) {
    if (req.HasHeader(name)) out.emplace_back(name, req.Header(name));
  }
  for (const auto& [name, value] : req.HeadersWithPrefix("x-amz-meta-")) {
    out.emplace_back("X-Object-Meta-" + name.substr(11), value);
  }
  std::string md5;
  if (req.HasHeader("Content-MD5") && absl::Base64Unescape(req.Header("Content-MD5"), &md5)) {
    out.emplace_back("ETag", absl::BytesToHexString(md5));
  }
  return out;
}

void S3ObjectHeaders(http::Response& res) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string etag, s3_etag;
  for (auto& [name, value] : res.headers) {
    if (absl::EqualsIgnoreCase(name, "X-Object-Meta-S3api-Etag")) {
      s3_etag = value;
    } else if (absl::StartsWithIgnoreCase(name, "X-Object-Meta-")) {
      out.emplace_back("x-amz-meta-" + absl::AsciiStrToLower(name.substr(14)), value);
    } else if (absl::EqualsIgnoreCase(name, "ETag")) {
      etag = value;
    } else if (!absl::StartsWithIgnoreCase(name, "X-Object-Meta-")) {
      out.emplace_back(name, value);
    }
  }
  if (!s3_etag.empty()) etag = s3_etag;
  if (!etag.empty()) out.emplace_back("ETag", Quoted(etag));
  res.headers = std::move(out);
}

constexpr char kStreaming[] = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

void PayloadMismatch(S3Call& c) {
  if (c.req.Header("X-Amz-Content-Sha256") == kStreaming) {
    return S3ErrorAnswer(c.res, 403, "SignatureDoesNotMatch",
                         "A chunk of the body is malformed or its signature does not match.",
                         c.req.path, false);
  }
  S3ErrorAnswer(c.res, 400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                c.req.path, false);
}

void S3Rest::ClientBody(S3Call& c, SwiftCall& call, std::shared_ptr<bool> bad) {
  if (c.req.Header("X-Amz-Content-Sha256") != kStreaming) {
    call.stream = CheckedBody(c.req, std::move(bad));
    return;
  }
  for (auto& [name, value] : call.headers) {
    if (name == "Content-Length") value = c.req.Header("X-Amz-Decoded-Content-Length");
    if (name == "Content-Encoding") {
      absl::string_view rest = value;
      absl::ConsumePrefix(&rest, "aws-chunked");
      absl::ConsumePrefix(&rest, ",");
      value = std::string(rest);
    }
  }
  call.headers.erase(std::remove_if(call.headers.begin(), call.headers.end(),
                                    [](const auto& h) {
                                      return h.first == "Content-Encoding" && h.second.empty();
                                    }),
                     call.headers.end());
  call.stream = AwsChunkedBody(c.req, c.chunks, std::move(bad));
}

void S3Rest::ObjectRequest(S3Call& c) {
  const std::string& m = c.req.method;
  if (m == "PUT") return PutObject(c);
  if (m == "GET" && c.req.Query("uploadId")) return ListParts(c);
  if (m == "GET" && c.req.Query("acl")) return AclAnswer(c);
  for (const char* unsupported : {"acl", "tagging", "retention", "legal-hold", "torrent"}) {
    if (c.req.Query(unsupported)) {
      return S3ErrorAnswer(c.res, 501, "NotImplemented", "Not implemented.", c.req.path, c.head);
    }
  }
  if (m == "GET" || m == "HEAD") return GetObject(c);
  if (m == "DELETE" && c.req.Query("uploadId")) return AbortUpload(c);
  if (m == "DELETE") return DeleteObject(c);
  if (m == "POST" && c.req.Query("uploads")) return CreateUpload(c);
  if (m == "POST" && c.req.Query("uploadId")) return CompleteUpload(c);
  S3ErrorAnswer(c.res, 501, "NotImplemented", "Not implemented.", c.req.path, c.head);
}

std::vector<Segment> S3Rest::ReplacedParts(S3Call& c) {
  std::vector<Segment> out;
  for (Segment& s : objects_.SloSegmentsOf({c.account, c.bucket, c.key})) {
    if (s.container == SegmentsContainer(c.bucket)) out.push_back(std::move(s));
  }
  return out;
}

void S3Rest::DropParts(S3Call& c, const std::vector<Segment>& parts) {
  for (const Segment& s : parts) {
    http::Response ignored;
    objects_.DeleteOne(ignored, {c.account, s.container, s.name});
  }
}

void S3Rest::PutObject(S3Call& c) {
  const std::string payload = c.req.Header("X-Amz-Content-Sha256");
  if (absl::StartsWith(payload, "STREAMING-") && payload != kStreaming) {
    return S3ErrorAnswer(c.res, 501, "NotImplemented",
                         "Only STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies are supported.",
                         c.req.path, false);
  }
  if (c.req.HasHeader("x-amz-copy-source")) return CopyObject(c);
  if (c.req.Query("uploadId") || c.req.Query("partNumber")) return UploadPart(c);
  SwiftCall call{"PUT", SwiftObjectHeaders(c.req)};
  auto mismatch = std::make_shared<bool>(false);
  ClientBody(c, call, mismatch);
  http::Request req = MakeSwiftRequest(call);
  http::Response res;
  const std::vector<Segment> replaced = ReplacedParts(c);
  objects_.Put(req, res, {c.account, c.bucket, c.key});
  if (*mismatch) return PayloadMismatch(c);
  if (res.status != 201) return SwiftError(c, res.status, "NoSuchBucket");
  DropParts(c, replaced);
  c.res.status = 200;
  c.res.body.clear();
  for (const auto& [name, value] : res.headers) {
    if (name == "ETag") c.res.SetHeader("ETag", Quoted(value));
  }
}

void S3Rest::CopyObject(S3Call& c) {
  std::string source = http::PercentDecode(c.req.Header("x-amz-copy-source"), false);
  source = source.substr(0, source.find("?versionId="));
  if (!source.empty() && source[0] == '/') source.erase(0, 1);
  if (source.find('/') == std::string::npos) {
    return S3ErrorAnswer(c.res, 400, "InvalidArgument",
                         "Copy Source must mention the source "
                         "bucket and key: sourcebucket/sourcekey",
                         c.req.path, false);
  }
  SwiftCall call{"PUT", {{"X-Copy-From", source}, {"Content-Length", "0"}}};
  if (absl::EqualsIgnoreCase(c.req.Header("x-amz-metadata-directive"), "REPLACE")) {
    call.headers.emplace_back("X-Fresh-Metadata", "true");
    for (auto& h : SwiftObjectHeaders(c.req)) {
      if (h.first != "Content-Length" && h.first != "ETag") call.headers.push_back(h);
    }
  }
  http::Request req = MakeSwiftRequest(call);
  http::Response res;
  const std::vector<Segment> replaced = ReplacedParts(c);
  objects_.Put(req, res, {c.account, c.bucket, c.key});
  if (res.status != 201) {
    return SwiftError(c, res.status,
                      containers_.Facts(c.account, c.bucket).exists ? "NoSuchKey" : "NoSuchBucket");
  }
  DropParts(c, replaced);
  std::string etag;
  for (const auto& [name, value] : res.headers) {
    if (name == "ETag") etag = value;
  }
  const std::string now =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", clock_.Now(), absl::UTCTimeZone());
  c.res.status = 200;
  c.res.content_type = "application/xml";
  c.res.body = XmlDocument("CopyObjectResult",
                           XmlElement("LastModified", now) + XmlElement("ETag", Quoted(etag)));
}

void S3Rest::GetObject(S3Call& c) {
  SwiftCall call{c.req.method};
  for (const char* name :
       {"Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"}) {
    if (c.req.HasHeader(name)) call.headers.emplace_back(name, c.req.Header(name));
  }
  http::Request req = MakeSwiftRequest(call);
  objects_.Get(req, c.res, {c.account, c.bucket, c.key});
  if (c.res.status == 200 || c.res.status == 206) {
    S3ObjectHeaders(c.res);
    // ?response-content-type=... and the like (presigned links often carry them).
    for (const char* name : {"Content-Type", "Content-Language", "Expires", "Cache-Control",
                             "Content-Disposition", "Content-Encoding"}) {
      std::optional<std::string> value =
          c.req.Query("response-" + absl::AsciiStrToLower(std::string(name)));
      if (!value) continue;
      if (std::string(name) == "Content-Type") {
        c.res.content_type = *value;
      } else {
        c.res.headers.erase(
            std::remove_if(c.res.headers.begin(), c.res.headers.end(),
                           [&](const auto& h) { return absl::EqualsIgnoreCase(h.first, name); }),
            c.res.headers.end());
        c.res.SetHeader(name, *value);
      }
    }
    return;
  }
  c.res.stream_source = nullptr;
  c.res.stream_length = -1;
  c.res.headers.clear();
  SwiftError(c, c.res.status,
             containers_.Facts(c.account, c.bucket).exists ? "NoSuchKey" : "NoSuchBucket");
}

void S3Rest::DeleteObject(S3Call& c) {
  if (!BucketExists(c)) return;
  const Target t{c.account, c.bucket, c.key};
  // A completed multipart upload goes with its parts.
  http::Request head = MakeSwiftRequest({"HEAD", {}, {{"multipart-manifest", "get"}}});
  http::Response about;
  objects_.Get(head, about, t);
  bool slo = false;
  for (const auto& [name, value] : about.headers) {
    slo = slo || absl::EqualsIgnoreCase(name, "X-Static-Large-Object");
  }
  std::multimap<std::string, std::string> query;
  if (slo) query.emplace("multipart-manifest", "delete");
  http::Request req = MakeSwiftRequest({"DELETE", {}, query});
  http::Response res;
  objects_.Delete(req, res, t);
  if (res.status / 100 != 2 && res.status != 404) return SwiftError(c, res.status, "NoSuchKey");
  c.res.status = 204;
  c.res.body.clear();
}

}  // namespace gureum::object::proxy
