// Who sent an S3 request: its AWS Signature V4 or V2 (s3_signature.h, header or presigned form)
// checked here with the secret of the access key's EC2 credential, which identity gives
// (IdentityClient; kept for kCredentialTtl). The credential's project owns the account
// AUTH_<project>.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/http/request.h"
#include "object-storage/proxy/identity_client.h"
#include "object-storage/proxy/s3_signature.h"

namespace gureum::object::proxy {

inline constexpr absl::Duration kCredentialTtl = absl::Seconds(30);
// How far a signed request's X-Amz-Date may be from now (AWS: 15 minutes).
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(15);

// Why a request is refused, in S3's words (s3_xml.h writes it).
struct S3Error {
  int status = 403;
  std::string code;  // AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId...
  std::string message;
};

// What the chunks of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body are checked with.
struct ChunkSigning {
  SigV4Request sig;
  std::string secret;
  std::string seed;  // the request's signature
};

class S3Auth {
 public:
  S3Auth(IdentityClient& identity, Clock& clock) : identity_(identity), clock_(clock) {}

  // The credential that signed `req`, or why not. `host_bucket`: the bucket the Host
  // header named (virtual-host style; Signature V2 signs it as part of the path), or "".
  // `chunks` (may be null) receives what an aws-chunked body's chunks are checked with.
  absl::StatusOr<Ec2Credential> Verify(const http::Request& req, S3Error& error,
                                       const std::string& host_bucket = "",
                                       ChunkSigning* chunks = nullptr);

 private:
  absl::StatusOr<Ec2Credential> VerifyV4(const http::Request& req, S3Error& error,
                                         ChunkSigning* chunks);
  absl::StatusOr<Ec2Credential> VerifyV2(const http::Request& req, S3Error& error,
                                         const std::string& host_bucket);
  absl::StatusOr<Ec2Credential> Credential(const std::string& access);
  // Credential, its failures as S3 errors.
  absl::StatusOr<Ec2Credential> CheckedCredential(const std::string& access, S3Error& error);

  IdentityClient& identity_;
  Clock& clock_;
  absl::Mutex mu_;
  struct Cached {
    Ec2Credential credential;
    absl::Time until;
  };
  std::map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object::proxy
