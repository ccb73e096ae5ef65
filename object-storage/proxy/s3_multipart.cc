// S3 multipart uploads (s3_rest.h): parts in "<bucket>+segments", completed as a static
// large object.
#include <map>

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "object-storage/proxy/s3_rest.h"
#include "object-storage/proxy/s3_xml.h"
#include "object-storage/server/names.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

// The marker object of an upload has this type (its parts have the client's).
constexpr char kUploadType[] = "application/x-gureum-s3-upload";
constexpr long long kMinPartSize = 5LL << 20;  // all parts but the last (AWS)

std::string NewUploadId() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof(bytes));
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

std::string PartName(const std::string& key, const std::string& upload, int part) {
  return absl::StrFormat("%s/%s/%05d", key, upload, part);
}

std::string UploadXml(const S3Call& c, const std::string& upload) {
  return absl::StrCat(XmlElement("Bucket", c.bucket), XmlElement("Key", c.key),
                      XmlElement("UploadId", upload));
}

void Xml(http::Response& res, const std::string& root, const std::string& inner) {
  res.status = 200;
  res.content_type = "application/xml";
  res.body = XmlDocument(root, inner);
}

}  // namespace

bool S3Rest::UploadExists(S3Call& c, const std::string& upload_id) {
  http::Request head = MakeSwiftRequest({"HEAD"});
  http::Response res;
  objects_.Get(head, res, {c.account, SegmentsContainer(c.bucket), c.key + "/" + upload_id});
  if (res.status == 200) return true;
  S3ErrorAnswer(c.res, 404, "NoSuchUpload", "The specified upload does not exist.", c.req.path,
                c.head);
  return false;
}

json S3Rest::ListedParts(S3Call& c, const std::string& upload_id) {
  http::Request req = MakeSwiftRequest(
      {"GET",
       {},
       {{"format", "json"}, {"prefix", c.key + "/" + upload_id + "/"}, {"limit", "10000"}}});
  http::Response res;
  containers_.GetContainer(req, res, {c.account, SegmentsContainer(c.bucket)});
  json rows = json::parse(res.body, nullptr, false);
  return rows.is_array() ? rows : json::array();
}

void S3Rest::CreateUpload(S3Call& c) {
  if (!BucketExists(c)) return;
  const std::string segments = SegmentsContainer(c.bucket);
  if (!containers_.Facts(c.account, segments).exists) {
    http::Request req = MakeSwiftRequest({"PUT"});
    http::Response res;
    containers_.PutContainer(req, res, {c.account, segments});
    if (res.status / 100 != 2) return SwiftError(c, res.status, "NoSuchBucket");
  }
  // The marker keeps what the object will have: its type and metadata.
  SwiftCall call{"PUT", {{"Content-Length", "0"}, {"Content-Type", kUploadType}}};
  for (const auto& [name, value] : SwiftObjectHeaders(c.req)) {
    if (name == "Content-Type") {
      call.headers.emplace_back("X-Object-Meta-S3api-Content-Type", value);
    } else if (absl::StartsWith(name, "X-Object-Meta-")) {
      call.headers.emplace_back(name, value);
    }
  }
  const std::string upload = NewUploadId();
  http::Request req = MakeSwiftRequest(call);
  http::Response res;
  objects_.Put(req, res, {c.account, segments, c.key + "/" + upload});
  if (res.status != 201) return SwiftError(c, res.status, "NoSuchBucket");
  Xml(c.res, "InitiateMultipartUploadResult", UploadXml(c, upload));
}

void S3Rest::UploadPart(S3Call& c) {
  int part = 0;
  const std::string upload = c.req.Query("uploadId").value_or("");
  if (!absl::SimpleAtoi(c.req.Query("partNumber").value_or(""), &part) || part < 1 ||
      part > 10000) {
    return S3ErrorAnswer(c.res, 400, "InvalidArgument",
                         "Part number must be an integer between 1 and 10000, inclusive.",
                         c.req.path, false);
  }
  if (!UploadExists(c, upload)) return;
  SwiftCall call{"PUT"};
  for (auto& h : SwiftObjectHeaders(c.req)) {
    if (!absl::StartsWith(h.first, "X-Object-Meta-")) call.headers.push_back(h);
  }
  auto mismatch = std::make_shared<bool>(false);
  ClientBody(c, call, mismatch);
  http::Request req = MakeSwiftRequest(call);
  http::Response res;
  objects_.Put(req, res, {c.account, SegmentsContainer(c.bucket), PartName(c.key, upload, part)});
  if (*mismatch) return PayloadMismatch(c);
  if (res.status != 201) return SwiftError(c, res.status, "NoSuchUpload");
  c.res.status = 200;
  c.res.body.clear();
  for (const auto& [name, value] : res.headers) {
    if (name == "ETag") c.res.SetHeader("ETag", Quoted(value));
  }
}

void S3Rest::ListParts(S3Call& c) {
  const std::string upload = c.req.Query("uploadId").value_or("");
  if (!UploadExists(c, upload)) return;
  std::string parts;
  const std::string prefix = c.key + "/" + upload + "/";
  for (const json& r : ListedParts(c, upload)) {
    const std::string name = r.value("name", "");
    absl::string_view number = absl::string_view(name).substr(prefix.size());
    absl::ConsumePrefix(&number, "0000");
    while (number.size() > 1 && number[0] == '0') number.remove_prefix(1);
    absl::StrAppend(&parts, "<Part>", XmlElement("PartNumber", std::string(number)),
                    XmlElement("LastModified", S3Time(r.value("last_modified", ""))),
                    XmlElement("ETag", Quoted(r.value("hash", ""))),
                    XmlElement("Size", std::to_string(r.value("bytes", 0LL))), "</Part>");
  }
  Xml(c.res, "ListPartsResult",
      absl::StrCat(UploadXml(c, upload), XmlElement("PartNumberMarker", "0"),
                   XmlElement("MaxParts", "10000"), XmlElement("IsTruncated", "false"),
                   XmlElement("StorageClass", "STANDARD"), parts));
}

void S3Rest::CompleteUpload(S3Call& c) {
  const std::string upload = c.req.Query("uploadId").value_or("");
  if (!UploadExists(c, upload)) return;
  std::map<std::string, json> listed;  // part name -> row
  for (const json& r : ListedParts(c, upload)) listed[r.value("name", "")] = r;
  const std::vector<std::string> parts = XmlElements(c.req.body(), "Part");
  if (parts.empty()) {
    return S3ErrorAnswer(c.res, 400, "MalformedXML", "No parts.", c.req.path, false);
  }
  json manifest = json::array();
  std::string md5s;
  int previous = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    int number = 0;
    std::vector<std::string> n = XmlElements(parts[i], "PartNumber");
    std::vector<std::string> etag = XmlElements(parts[i], "ETag");
    if (n.empty() || !absl::SimpleAtoi(n[0], &number) || number <= previous) {
      return S3ErrorAnswer(c.res, 400, "InvalidPartOrder",
                           "The list of parts was not in ascending order.", c.req.path, false);
    }
    previous = number;
    const std::string name = PartName(c.key, upload, number);
    auto it = listed.find(name);
    const std::string want =
        etag.empty() ? "" : std::string(absl::StripPrefix(absl::StripSuffix(etag[0], "\""), "\""));
    if (it == listed.end() || (!want.empty() && it->second.value("hash", "") != want)) {
      return S3ErrorAnswer(c.res, 400, "InvalidPart",
                           "One or more of the specified parts could not be found.", c.req.path,
                           false);
    }
    const long long bytes = it->second.value("bytes", 0LL);
    if (i + 1 < parts.size() && bytes < kMinPartSize) {
      return S3ErrorAnswer(c.res, 400, "EntityTooSmall",
                           "Your proposed upload is smaller than the minimum allowed size.",
                           c.req.path, false);
    }
    const std::string hash = it->second.value("hash", "");
    md5s += absl::HexStringToBytes(hash);
    manifest.push_back({{"path", absl::StrCat("/", SegmentsContainer(c.bucket), "/", name)},
                        {"etag", hash},
                        {"size_bytes", bytes}});
  }
  const std::string s3_etag = absl::StrCat(Md5Hex(md5s), "-", parts.size());
  // The marker's metadata becomes the object's.
  http::Request head = MakeSwiftRequest({"HEAD"});
  http::Response marker;
  const Target marker_target{c.account, SegmentsContainer(c.bucket), c.key + "/" + upload};
  objects_.Get(head, marker, marker_target);
  const std::string body = manifest.dump();
  SwiftCall call{
      "PUT",
      {{"Content-Length", std::to_string(body.size())}, {"X-Object-Meta-S3api-Etag", s3_etag}},
      {{"multipart-manifest", "put"}},
      body};
  std::string type = "application/octet-stream";
  for (const auto& [name, value] : marker.headers) {
    if (absl::EqualsIgnoreCase(name, "X-Object-Meta-S3api-Content-Type")) {
      type = value;
    } else if (absl::StartsWithIgnoreCase(name, "X-Object-Meta-")) {
      call.headers.emplace_back(name, value);
    }
  }
  call.headers.emplace_back("Content-Type", type);
  http::Request req = MakeSwiftRequest(call);
  http::Response res;
  const std::vector<Segment> replaced = ReplacedParts(c);
  objects_.Put(req, res, {c.account, c.bucket, c.key});
  if (res.status != 201) return SwiftError(c, res.status, "NoSuchBucket");
  DropParts(c, replaced);
  http::Response ignored;
  objects_.DeleteOne(ignored, marker_target);
  Xml(c.res, "CompleteMultipartUploadResult",
      absl::StrCat(XmlElement("Location", "/" + c.bucket + "/" + c.key),
                   XmlElement("Bucket", c.bucket), XmlElement("Key", c.key),
                   XmlElement("ETag", Quoted(s3_etag))));
}

void S3Rest::AbortUpload(S3Call& c) {
  const std::string upload = c.req.Query("uploadId").value_or("");
  if (!UploadExists(c, upload)) return;
  const std::string segments = SegmentsContainer(c.bucket);
  for (const json& r : ListedParts(c, upload)) {
    http::Response ignored;
    objects_.DeleteOne(ignored, {c.account, segments, r.value("name", "")});
  }
  http::Response ignored;
  objects_.DeleteOne(ignored, {c.account, segments, c.key + "/" + upload});
  c.res.status = 204;
  c.res.body.clear();
}

void S3Rest::ListUploads(S3Call& c) {
  http::Request req = MakeSwiftRequest({"GET", {}, {{"format", "json"}, {"limit", "10000"}}});
  http::Response res;
  containers_.GetContainer(req, res, {c.account, SegmentsContainer(c.bucket)});
  json rows = json::parse(res.body, nullptr, false);
  std::string uploads;
  for (const json& r : rows.is_array() ? rows : json::array()) {
    if (r.value("content_type", "") != kUploadType) continue;
    const std::string name = r.value("name", "");
    const size_t slash = name.rfind('/');
    if (slash == std::string::npos) continue;
    absl::StrAppend(&uploads, "<Upload>", XmlElement("Key", name.substr(0, slash)),
                    XmlElement("UploadId", name.substr(slash + 1)),
                    XmlElement("Initiated", S3Time(r.value("last_modified", ""))),
                    XmlElement("StorageClass", "STANDARD"), "</Upload>");
  }
  Xml(c.res, "ListMultipartUploadsResult",
      absl::StrCat(XmlElement("Bucket", c.bucket), XmlElement("KeyMarker", ""),
                   XmlElement("UploadIdMarker", ""), XmlElement("MaxUploads", "1000"),
                   XmlElement("IsTruncated", "false"), uploads));
}

}  // namespace gureum::object::proxy
