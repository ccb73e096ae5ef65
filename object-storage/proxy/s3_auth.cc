#include "object-storage/proxy/s3_auth.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/s3_signature.h"

namespace gureum::object::proxy {
namespace {

absl::Status Refuse(S3Error& error, int status, const std::string& code,
                    const std::string& message) {
  error = {status, code, message};
  return absl::PermissionDeniedError(message);
}

}  // namespace

absl::StatusOr<Ec2Credential> S3Auth::Credential(const std::string& access) {
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(access);
    if (it != cache_.end() && it->second.until > now) return it->second.credential;
  }
  absl::StatusOr<Ec2Credential> got = identity_.GetEc2Credential(access);
  if (got.ok()) {
    absl::MutexLock lock(&mu_);
    if (cache_.size() > 10000) cache_.clear();
    cache_[access] = {*got, now + kCredentialTtl};
  }
  return got;
}

absl::StatusOr<Ec2Credential> S3Auth::Verify(const http::Request& req, S3Error& error,
                                             const std::string& host_bucket, ChunkSigning* chunks) {
  const std::string authorization = req.Header("Authorization");
  if (absl::StartsWith(authorization, "AWS ") ||
      (authorization.empty() && req.Query("AWSAccessKeyId"))) {
    return VerifyV2(req, error, host_bucket);
  }
  return VerifyV4(req, error, chunks);
}

absl::StatusOr<Ec2Credential> S3Auth::CheckedCredential(const std::string& access, S3Error& error) {
  absl::StatusOr<Ec2Credential> credential = Credential(access);
  if (absl::IsNotFound(credential.status())) {
    return Refuse(error, 403, "InvalidAccessKeyId",
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (!credential.ok()) {
    return Refuse(error, 503, "ServiceUnavailable", "Please reduce your request rate.");
  }
  return credential;
}

absl::StatusOr<Ec2Credential> S3Auth::VerifyV2(const http::Request& req, S3Error& error,
                                               const std::string& host_bucket) {
  SigV2Parts parts{req.method, req.Header("Content-MD5"), req.Header("Content-Type")};
  std::string access, signature;
  const std::string authorization = req.Header("Authorization");
  const absl::Time now = clock_.Now();
  if (!authorization.empty()) {
    const size_t colon = authorization.rfind(':');
    if (colon == std::string::npos || colon < 4) {
      return Refuse(error, 400, "InvalidArgument", "malformed AWS Authorization");
    }
    access = authorization.substr(4, colon - 4);
    signature = authorization.substr(colon + 1);
    const std::string date =
        req.HasHeader("X-Amz-Date") ? req.Header("X-Amz-Date") : req.Header("Date");
    if (!req.HasHeader("X-Amz-Date")) parts.date = date;
    absl::Time at;
    std::string e;
    if (!absl::ParseTime("%a, %d %b %E4Y %H:%M:%S GMT", date, &at, &e) &&
        !absl::ParseTime("%a, %d %b %E4Y %H:%M:%S %z", date, &at, &e)) {
      return Refuse(error, 403, "AccessDenied", "AWS authentication requires a valid Date.");
    }
    if (absl::AbsDuration(now - at) > kMaxClockSkew) {
      return Refuse(error, 403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.");
    }
  } else {
    access = req.Query("AWSAccessKeyId").value_or("");
    signature = req.Query("Signature").value_or("");
    parts.date = req.Query("Expires").value_or("");
    int64_t expires = 0;
    if (!absl::SimpleAtoi(parts.date, &expires) || absl::ToUnixSeconds(now) > expires) {
      return Refuse(error, 403, "AccessDenied", "Request has expired");
    }
  }
  absl::StatusOr<Ec2Credential> credential = CheckedCredential(access, error);
  if (!credential.ok()) return credential;
  for (const auto& [name, value] : req.HeadersWithPrefix("x-amz-")) {
    std::string& v = parts.amz_headers[absl::AsciiStrToLower(name)];
    v = v.empty() ? value : absl::StrCat(v, ",", value);
  }
  parts.path = host_bucket.empty() ? req.path : absl::StrCat("/", host_bucket, req.path);
  parts.query = req.query;
  if (SigV2Signature(credential->secret, SigV2StringToSign(parts)) != signature) {
    return Refuse(error, 403, "SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  return credential;
}

absl::StatusOr<Ec2Credential> S3Auth::VerifyV4(const http::Request& req, S3Error& error,
                                               ChunkSigning* chunks) {
  absl::StatusOr<SigV4Request> sig = absl::NotFoundError("anonymous");
  const std::string authorization = req.Header("Authorization");
  if (!authorization.empty()) {
    sig = ParseAuthorization(authorization);
    if (sig.ok()) {
      sig->amz_date = req.Header("X-Amz-Date");
      sig->payload_hash = req.Header("X-Amz-Content-Sha256");
      if (sig->payload_hash.empty()) sig->payload_hash = "UNSIGNED-PAYLOAD";
    }
  } else if (req.Query("X-Amz-Algorithm")) {
    sig = ParsePresigned(req.query);
  } else {
    return Refuse(error, 403, "AccessDenied", "Access Denied.");
  }
  if (!sig.ok()) {
    return Refuse(error, 400, "AuthorizationHeaderMalformed", std::string(sig.status().message()));
  }
  absl::Time signed_at;
  std::string parse_error;
  if (!absl::ParseTime("%E4Y%m%dT%H%M%SZ", sig->amz_date, absl::UTCTimeZone(), &signed_at,
                       &parse_error) ||
      sig->amz_date.substr(0, 8) != sig->date) {
    return Refuse(error, 403, "AccessDenied", "X-Amz-Date is missing or does not match the scope.");
  }
  const absl::Time now = clock_.Now();
  if (sig->presigned) {
    if (now > signed_at + absl::Seconds(sig->expires)) {
      return Refuse(error, 403, "AccessDenied", "Request has expired");
    }
  } else if (absl::AbsDuration(now - signed_at) > kMaxClockSkew) {
    return Refuse(error, 403, "RequestTimeTooSkewed",
                  "The difference between the request time and the current time is too large.");
  }
  absl::StatusOr<Ec2Credential> credential = CheckedCredential(sig->access, error);
  if (!credential.ok()) return credential;
  SignedParts parts{req.method, req.path, req.query, {}};
  for (const std::string& name : sig->signed_headers) {
    parts.headers[name] = req.Header(name);
  }
  const std::string expected =
      SigV4Signature(credential->secret, *sig, StringToSign(*sig, CanonicalRequest(parts, *sig)));
  if (expected != absl::AsciiStrToLower(sig->signature)) {
    return Refuse(error, 403, "SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
  }
  if (chunks != nullptr) *chunks = {*sig, credential->secret, expected};
  return credential;
}

}  // namespace gureum::object::proxy
