// AWS Signature Version 4 (the S3 API's authentication), as the AWS documentation
// ("Signature Version 4 signing process", "Authenticating requests: Using query
// parameters") defines it, in two forms:
//
//   header:    Authorization: AWS4-HMAC-SHA256 Credential=<access>/<date>/<region>/s3/
//              aws4_request, SignedHeaders=host;x-amz-date;..., Signature=<hex>
//              with X-Amz-Date and X-Amz-Content-Sha256 (the payload's hex SHA-256, or
//              UNSIGNED-PAYLOAD)
//   presigned: ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...&X-Amz-Date=...
//              &X-Amz-Expires=<seconds>&X-Amz-SignedHeaders=host&X-Amz-Signature=<hex>
//              (payload UNSIGNED-PAYLOAD)
//
// The signature is over the canonical request (method, URI-encoded path, sorted query,
// the signed headers, the payload hash), signed with a key derived from the secret, the
// date, the region and the service. The region is the one the client signed for (any).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gureum::object::proxy {

// What a request says about its signature.
struct SigV4Request {
  std::string access;                       // the access key
  std::string date;                         // 20130524
  std::string region;                       // us-east-1
  std::string service;                      // s3
  std::string amz_date;                     // 20130524T000000Z
  std::vector<std::string> signed_headers;  // lower case, sorted as sent
  std::string signature;                    // hex
  std::string payload_hash;                 // X-Amz-Content-Sha256, or UNSIGNED-PAYLOAD
  long long expires = -1;                   // presigned only: X-Amz-Expires seconds
  bool presigned = false;
};

// From the Authorization header value; InvalidArgument when it is not AWS4-HMAC-SHA256.
absl::StatusOr<SigV4Request> ParseAuthorization(const std::string& authorization);
// From a presigned URL's (decoded) query parameters.
absl::StatusOr<SigV4Request> ParsePresigned(const std::multimap<std::string, std::string>& query);

// What is signed: the request as it arrived.
struct SignedParts {
  std::string method;
  std::string path;                               // decoded, "/bucket/key"
  std::multimap<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;     // lower-case name -> value, signed ones
};

// AWS's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ as %XX; '/' kept when `keep_slash`.
std::string AwsUriEncode(const std::string& in, bool keep_slash);
std::string CanonicalRequest(const SignedParts& parts, const SigV4Request& sig);
std::string StringToSign(const SigV4Request& sig, const std::string& canonical_request);
// The hex HMAC-SHA256 signature with `secret` (the derived key: "AWS4"+secret, date,
// region, service, "aws4_request").
std::string SigV4Signature(const std::string& secret, const SigV4Request& sig,
                           const std::string& string_to_sign);
std::string Sha256Hex(const std::string& data);
// A chunk's signature in a STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked) body: over
// the previous signature (the request's own for the first chunk) and the chunk's SHA-256.
std::string SigV4ChunkSignature(const std::string& secret, const SigV4Request& sig,
                                const std::string& previous, const std::string& chunk_sha256);

// AWS Signature Version 2 (older clients; s3cmd with signature_v2 = True):
//   header:    Authorization: AWS <access>:<base64 HMAC-SHA1>
//   presigned: ?AWSAccessKeyId=<access>&Expires=<unix time>&Signature=<base64>
// of "<METHOD>\n<Content-MD5>\n<Content-Type>\n<Date or Expires>\n<x-amz-* headers>
// <resource>", the resource being the %-encoded path and its sorted subresources.
struct SigV2Parts {
  std::string method, content_md5, content_type;
  std::string date;  // the Date header (empty when X-Amz-Date is sent), or Expires
  std::map<std::string, std::string> amz_headers;  // lower-case x-amz-* name -> value
  std::string path;                                // decoded
  std::multimap<std::string, std::string> query;   // decoded
};
std::string SigV2StringToSign(const SigV2Parts& parts);
std::string SigV2Signature(const std::string& secret, const std::string& string_to_sign);

}  // namespace gureum::object::proxy
