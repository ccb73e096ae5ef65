#include "cli/gureum/session.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::cli {

absl::StatusOr<std::string> IdentityGrpcFromAuthUrl(const std::string& auth_url) {
  std::string rest = auth_url;
  if (size_t scheme = rest.find("://"); scheme != std::string::npos) rest = rest.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (size_t at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  std::string host;
  if (absl::StartsWith(rest, "[")) {
    size_t close = rest.find(']');
    if (close != std::string::npos) host = rest.substr(0, close + 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  if (host.empty() || host == "[]") {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot find a host in the auth URL '", auth_url,
                     "'; set --os-identity-grpc or OS_IDENTITY_GRPC (host:port)"));
  }
  return absl::StrCat(host, ":", kIdentityGrpcPort);
}

absl::StatusOr<std::string> IdentityGrpcEndpoint(const std::string& option, const char* env,
                                                 const AuthSettings& settings) {
  if (!option.empty()) return option;
  if (env != nullptr && *env != '\0') return std::string(env);
  if (settings.auth_url.empty()) {
    return absl::InvalidArgumentError(
        "Missing value auth-url: set OS_AUTH_URL (or --os-identity-grpc / OS_IDENTITY_GRPC); "
        "`source /etc/gureum/admin-openrc`");
  }
  return IdentityGrpcFromAuthUrl(settings.auth_url);
}

absl::Status FromCliCall(const grpc::Status& status, const std::string& api,
                         const std::string& endpoint, const std::string& option) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat("cannot reach ", api, "'s gRPC API at ", endpoint,
                                               " (", option, "): ", status.error_message()));
  }
  return FromGrpcStatus(status);
}

Session::Session(AuthSettings settings, std::string identity_endpoint)
    : settings_(std::move(settings)),
      endpoint_(std::move(identity_endpoint)),
      stub_(identity::v1::Identity::NewStub(grpcx::MakeChannel(endpoint_))) {}

absl::StatusOr<std::string> Session::Token() {
  if (token_.empty()) {
    if (!settings_.token.empty()) {
      token_ = settings_.token;
    } else {
      GUREUM_RETURN_IF_ERROR(Authenticate());
    }
  }
  return token_;
}

absl::Status Session::Authenticate() {
  for (const auto& [value, name] :
       {std::pair{&settings_.username, "username"}, std::pair{&settings_.password, "password"}}) {
    if (value->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Missing value ", name, " required for auth plugin password (set it with --os-", name,
          " or OS_", name == std::string("username") ? "USERNAME" : "PASSWORD",
          "; `source /etc/gureum/admin-openrc`)"));
    }
  }
  identity::v1::AuthenticateRequest req;
  auto* user = req.mutable_password()->mutable_user();
  user->set_name(settings_.username);
  user->set_domain_name(settings_.user_domain_name);
  req.mutable_password()->set_password(settings_.password);
  if (!settings_.project_name.empty()) {
    req.mutable_scope()->set_kind(identity::v1::Scope::PROJECT);
    req.mutable_scope()->set_project_name(settings_.project_name);
    req.mutable_scope()->set_project_domain_name(settings_.project_domain_name);
  }
  GUREUM_RETURN_IF_ERROR(
      FromCliCall(grpcx::CallUnary(*stub_, &Stub::Authenticate, req, &auth_, CliCallOptions("")),
                  "identity", endpoint_, "--os-identity-grpc"));
  token_ = auth_.token();
  return absl::OkStatus();
}

}  // namespace gureum::cli
