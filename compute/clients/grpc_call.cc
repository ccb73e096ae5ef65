#include "compute/clients/grpc_call.h"

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/status.h"

namespace gureum::compute {

absl::Status CallAs(const GrpcClientOptions& options, const std::string& token,
                    absl::Duration timeout,
                    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
  if (token.empty()) return auth::CallAsService(options.service_token, timeout, attempt);
  return FromGrpcStatus(grpcx::CallWithRetry({.token = token, .timeout = timeout}, attempt));
}

absl::Status PrepareAs(const GrpcClientOptions& options, const std::string& token,
                       absl::Duration timeout, grpc::ClientContext& context) {
  grpcx::CallOptions call{.token = token, .timeout = timeout};
  if (token.empty() && options.service_token != nullptr) {
    absl::StatusOr<std::string> service = options.service_token->Get();
    if (!service.ok()) return service.status();
    call.token = *service;
  }
  grpcx::PrepareContext(context, call);
  return absl::OkStatus();
}

}  // namespace gureum::compute
