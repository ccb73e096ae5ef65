// A service's own token, for the calls it makes on its own behalf (the scheduler asking
// compute-api for host states, an agent fetching an image or registering its resource
// provider): a password authentication to identity's gRPC API with the service user of
// the [service_auth] section, kept and renewed before it expires.
//
//   config::Schema schema;  auth::AddServiceTokenOptions(schema);
//   auto token = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(cfg));
//   grpc::ClientContext ctx; ctx.AddMetadata("x-auth-token", *(*token)->Get());
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::auth {

struct ServiceTokenOptions {
  std::string identity_grpc;  // host:port of identity's gRPC API
  std::string username;
  std::string password;  // never logged
  std::string user_domain = "default";
  std::string project_name = "service";
  std::string project_domain = "default";
  // Renew when less than this is left of the token's life.
  absl::Duration renew_before = absl::Minutes(5);
};

// [service_auth] identity_grpc, username, password, user_domain_name, project_name,
// project_domain_name.
void AddServiceTokenOptions(config::Schema& schema);
ServiceTokenOptions ServiceTokenOptionsFromConfig(const config::Config& cfg);

// Where tokens come from (identity's gRPC API in production; a fake in unit tests).
class TokenSource {
 public:
  struct Issued {
    std::string token;
    absl::Time expires_at;
  };
  virtual ~TokenSource() = default;
  virtual absl::StatusOr<Issued> Issue(const ServiceTokenOptions& options) = 0;
};

class ServiceToken {
 public:
  // Over identity's gRPC API. Does not authenticate yet: the first Get() does, so a
  // service can start before identity answers.
  static absl::StatusOr<std::unique_ptr<ServiceToken>> Create(const ServiceTokenOptions& options);
  // Over any source (tests). `source` and `clock` must outlive this.
  ServiceToken(ServiceTokenOptions options, TokenSource& source, const Clock& clock);
  ~ServiceToken();

  // A token with more than renew_before left; authenticates when needed. Thread-safe;
  // concurrent callers share one authentication. Unauthenticated / Unavailable as
  // identity says.
  absl::StatusOr<std::string> Get();
  // Forget the token (the callee said 401): the next Get() authenticates again.
  void Invalidate();

 private:
  ServiceTokenOptions options_;
  std::unique_ptr<TokenSource> owned_source_;
  TokenSource* source_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time expires_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// One unary gRPC call made as this service: a fresh context carrying the token (none when
// `token` is null: a test host without [service_auth]) and the deadline, repeated while it
// ends UNAVAILABLE as grpcx::CallWithRetry does (`call` runs once per attempt). When the callee
// answers UNAUTHENTICATED (the token was revoked, or its key rotated away), the token is
// forgotten and the call made once more with a new one, so a service recovers at once
// instead of failing until its token would have been renewed.
absl::Status CallAsService(ServiceToken* token, absl::Duration timeout,
                           const std::function<grpc::Status(grpc::ClientContext&)>& call);

}  // namespace gureum::auth
