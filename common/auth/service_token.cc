#include "common/auth/service_token.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "common/grpc/client.h"
#include "common/status/status.h"

#include "identity.grpc.pb.h"

namespace gureum::auth {
namespace {

namespace idv1 = gureum::identity::v1;

// Password authentication over identity's gRPC API.
class GrpcTokenSource final : public TokenSource {
 public:
  explicit GrpcTokenSource(const std::string& target)
      : stub_(idv1::Identity::NewStub(grpcx::MakeChannel(target))) {}

  absl::StatusOr<Issued> Issue(const ServiceTokenOptions& o) override {
    idv1::AuthenticateRequest req;
    idv1::PasswordAuth* pw = req.mutable_password();
    pw->mutable_user()->set_name(o.username);
    pw->mutable_user()->set_domain_name(o.user_domain);
    pw->set_password(o.password);
    req.mutable_scope()->set_kind(idv1::Scope::PROJECT);
    req.mutable_scope()->set_project_name(o.project_name);
    req.mutable_scope()->set_project_domain_name(o.project_domain);
    idv1::AuthenticateResponse resp;
    grpc::Status s = grpcx::CallUnary(*stub_, &idv1::Identity::Stub::Authenticate, req, &resp,
                                      {.timeout = absl::Seconds(10)});
    if (!s.ok()) return FromGrpcStatus(s);
    return Issued{resp.token(), absl::FromUnixMicros(resp.info().expires_at_unix_us())};
  }

 private:
  std::unique_ptr<idv1::Identity::Stub> stub_;
};

}  // namespace

void AddServiceTokenOptions(config::Schema& schema) {
  schema.String("service_auth", "identity_grpc", "localhost:15000",
                "host:port of identity's gRPC API, where this service gets its own token.");
  schema.String("service_auth", "username", "", "This service's user in identity.");
  schema.Secret("service_auth", "password", "That user's password.");
  schema.String("service_auth", "user_domain_name", "Default", "The user's domain.");
  schema.String("service_auth", "project_name", "service", "The project the token is scoped to.");
  schema.String("service_auth", "project_domain_name", "Default", "That project's domain.");
}

ServiceTokenOptions ServiceTokenOptionsFromConfig(const config::Config& cfg) {
  ServiceTokenOptions o;
  o.identity_grpc = cfg.GetString("service_auth", "identity_grpc");
  o.username = cfg.GetString("service_auth", "username");
  o.password = cfg.GetString("service_auth", "password");
  o.user_domain = cfg.GetString("service_auth", "user_domain_name");
  o.project_name = cfg.GetString("service_auth", "project_name");
  o.project_domain = cfg.GetString("service_auth", "project_domain_name");
  return o;
}

absl::StatusOr<std::unique_ptr<ServiceToken>> ServiceToken::Create(
    const ServiceTokenOptions& options) {
  if (options.identity_grpc.empty()) {
    return absl::InvalidArgumentError("[service_auth] identity_grpc is empty");
  }
  if (options.username.empty() || options.password.empty()) {
    return absl::InvalidArgumentError(
        "[service_auth] username and password must be set (the service's own user)");
  }
  auto source = std::make_unique<GrpcTokenSource>(options.identity_grpc);
  auto token = std::make_unique<ServiceToken>(options, *source, RealClock::Get());
  token->owned_source_ = std::move(source);
  return token;
}

ServiceToken::ServiceToken(ServiceTokenOptions options, TokenSource& source, const Clock& clock)
    : options_(std::move(options)), source_(&source), clock_(clock) {}

ServiceToken::~ServiceToken() = default;

absl::StatusOr<std::string> ServiceToken::Get() {
  // One authentication at a time; the others wait for it and share its token.
  absl::MutexLock lock(&mu_);
  if (!token_.empty() && clock_.Now() + options_.renew_before < expires_at_) return token_;
  absl::StatusOr<TokenSource::Issued> issued = source_->Issue(options_);
  if (!issued.ok()) {
    spdlog::warn("service token for user {} (project {}): {}", options_.username,
                 options_.project_name, issued.status().ToString());
    // A token that has not expired yet is still better than none.
    if (!token_.empty() && clock_.Now() < expires_at_) return token_;
    return issued.status();
  }
  token_ = std::move(issued->token);
  expires_at_ = issued->expires_at;
  return token_;
}

void ServiceToken::Invalidate() {
  absl::MutexLock lock(&mu_);
  token_.clear();
  expires_at_ = absl::InfinitePast();
}

absl::Status CallAsService(ServiceToken* token, absl::Duration timeout,
                           const std::function<grpc::Status(grpc::ClientContext&)>& call) {
  for (int attempt = 0;; ++attempt) {
    grpcx::CallOptions options{.timeout = timeout};
    if (token != nullptr) {
      absl::StatusOr<std::string> t = token->Get();
      if (!t.ok()) return t.status();
      options.token = *std::move(t);
    }
    grpc::Status s = grpcx::CallWithRetry(options, call);
    if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED && token != nullptr && attempt == 0) {
      token->Invalidate();
      continue;
    }
    return s.ok() ? absl::OkStatus() : FromGrpcStatus(s);
  }
}

}  // namespace gureum::auth
