#include "object-storage/proxy/s3_auth.h"

#include "absl/strings/ascii.h"
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

absl::StatusOr<Ec2Credential> S3Auth::Verify(const http::Request& req, S3Error& error) {
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
  absl::StatusOr<Ec2Credential> credential = Credential(sig->access);
  if (absl::IsNotFound(credential.status())) {
    return Refuse(error, 403, "InvalidAccessKeyId",
                  "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (!credential.ok()) {
    return Refuse(error, 503, "ServiceUnavailable", "Please reduce your request rate.");
  }
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
  return credential;
}

}  // namespace gureum::object::proxy
