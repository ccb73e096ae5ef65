// The S3 API of gureum-object-proxy (issue 19), as Swift's s3api middleware gives it: S3
// requests are turned into Swift requests to the same controllers, and their answers back
// into S3's. Path-style (http://host:8080/<bucket>/<key>), and virtual-host style
// (http://<bucket>.<domain>:8080/<key>) when a domain is configured, on the Swift API's
// port: the Swift routes (/v1/..., /info) are registered first and win.
//
//   GET    /                                   ListBuckets
//   PUT|HEAD|DELETE /<bucket>                  CreateBucket, HeadBucket, DeleteBucket
//   GET    /<bucket>[?list-type=2]             ListObjects (v1) and ListObjectsV2
//   GET    /<bucket>?location|acl|uploads      GetBucketLocation, GetBucketAcl,
//   ListMultipartUploads POST   /<bucket>?delete                    DeleteObjects
//   PUT|GET|HEAD|DELETE /<bucket>/<key>        PutObject (x-amz-copy-source: CopyObject),
//                                              GetObject (Range), HeadObject, DeleteObject
//   POST   /<bucket>/<key>?uploads             CreateMultipartUpload
//   PUT    /<bucket>/<key>?partNumber&uploadId UploadPart
//   GET    /<bucket>/<key>?uploadId            ListParts
//   POST   /<bucket>/<key>?uploadId            CompleteMultipartUpload (a static large object)
//   DELETE /<bucket>/<key>?uploadId            AbortMultipartUpload
//
// Every request is signed (s3_auth.h); its credential's project owns the account
// AUTH_<project>, whose containers are the buckets. Multipart parts live in the container
// "<bucket>+segments" as "<key>/<upload id>/<part, 5 digits>", with a marker object
// "<key>/<upload id>" that keeps the upload's metadata; completing writes the key as a
// static large object of the parts (its S3 ETag, "<md5 of the parts' md5s>-<parts>", kept
// in X-Object-Meta-S3api-Etag).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/http/server.h"
#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/object_controller.h"
#include "object-storage/proxy/s3_auth.h"

namespace gureum::object::proxy {

// One S3 request once authenticated: the account, bucket and key it is about.
struct S3Call {
  http::Request& req;
  http::Response& res;
  std::string account, bucket, key;
  bool head = false;
  ChunkSigning chunks;  // what an aws-chunked body is checked with (s3_chunked.h)
};

// A Swift request made for an S3 one: headers given here, the body given as text or
// streamed from the client's request (`stream_from`).
struct SwiftCall {
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;
  std::multimap<std::string, std::string> query;
  std::string body;
  const http::Request* stream_from = nullptr;
  // Instead of stream_from's plain body (CheckedBody).
  std::function<absl::Status(const http::BodyReader&)> stream;
};
http::Request MakeSwiftRequest(const SwiftCall& call);

// The client's streamed body, checked against the SHA-256 it signed (X-Amz-Content-Sha256,
// when it is a hash and not UNSIGNED-PAYLOAD): the last piece is held back until the whole
// hash is known, so a body that does not match never reaches the object servers whole
// (their write fails); `*mismatch` says why.
std::function<absl::Status(const http::BodyReader&)> CheckedBody(const http::Request& req,
                                                                 std::shared_ptr<bool> mismatch);
// Whether X-Amz-Content-Sha256 is a hash (64 hex digits).
bool SignedPayloadHash(const http::Request& req);

class S3Rest {
 public:
  // `domain`: with it, a Host of "<bucket>.<domain>" names the bucket (virtual-host style;
  // the path is then the key). Empty: path-style only.
  S3Rest(ContainerController& containers, ObjectController& objects, S3Auth& auth, Clock& clock,
         std::string domain = "")
      : containers_(containers),
        objects_(objects),
        auth_(auth),
        clock_(clock),
        domain_(std::move(domain)) {}

  // After ProxyRest::Register.
  void Register(http::Server& server);

 private:
  void Handle(http::Request& req, http::Response& res);
  void ListBuckets(S3Call& c);
  void BucketRequest(S3Call& c);
  void ListObjects(S3Call& c);
  void DeleteObjects(S3Call& c);
  // s3_objects.cc
  void ObjectRequest(S3Call& c);
  void PutObject(S3Call& c);
  void CopyObject(S3Call& c);
  void GetObject(S3Call& c);
  void DeleteObject(S3Call& c);
  // s3_multipart.cc
  void CreateUpload(S3Call& c);
  void UploadPart(S3Call& c);
  void ListParts(S3Call& c);
  void CompleteUpload(S3Call& c);
  void AbortUpload(S3Call& c);
  void ListUploads(S3Call& c);
  // Whether the upload's marker object exists (NoSuchUpload answered when not).
  bool UploadExists(S3Call& c, const std::string& upload_id);
  // The parts' listing rows (name, hash, bytes) of an upload.
  nlohmann::json ListedParts(S3Call& c, const std::string& upload_id);

  // The object body of `c` for a Swift PUT: aws-chunked bodies decoded (their length the
  // decoded one), other ones checked against their signed hash; `*bad` when they fail.
  void ClientBody(S3Call& c, SwiftCall& call, std::shared_ptr<bool> bad);
  // The parts of the S3 multipart object a write to the key replaces (in
  // "<bucket>+segments"), deleted by DropParts once the write succeeded.
  std::vector<Segment> ReplacedParts(S3Call& c);
  void DropParts(S3Call& c, const std::vector<Segment>& parts);
  // Answers an S3 error for a Swift status (404 as `not_found`).
  void SwiftError(S3Call& c, int status, const std::string& not_found);
  bool BucketExists(S3Call& c);

  ContainerController& containers_;
  ObjectController& objects_;
  S3Auth& auth_;
  Clock& clock_;
  const std::string domain_;
};

// The Swift headers of an S3 object write: its type and length, x-amz-meta-* as
// X-Object-Meta-*, Content-MD5 as the ETag Swift checks.
std::vector<std::pair<std::string, std::string>> SwiftObjectHeaders(const http::Request& req);
// Swift's answer headers in S3's words: X-Object-Meta-* as x-amz-meta-*, the ETag quoted
// (a multipart upload's own ETag when it has one).
void S3ObjectHeaders(http::Response& res);

// 400 XAmzContentSHA256Mismatch (403 SignatureDoesNotMatch for an aws-chunked body).
void PayloadMismatch(S3Call& c);
// GetBucketAcl and GetObjectAcl: the owner's FULL_CONTROL.
void AclAnswer(S3Call& c);

// "<bucket>+segments"
std::string SegmentsContainer(const std::string& bucket);
// The bucket a Host header names under `domain` ("b.s3.example.com:8080" -> "b"), or "".
std::string HostBucket(const std::string& host, const std::string& domain);
// Swift's listing time "2024-01-02T03:04:05.123450" -> S3's "2024-01-02T03:04:05.123Z".
std::string S3Time(const std::string& swift_time);
// The quoted form S3 gives ETags.
std::string Quoted(const std::string& etag);

}  // namespace gureum::object::proxy
