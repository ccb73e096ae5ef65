#include "common/grpc/server_call.h"

#include <spdlog/spdlog.h>

#include "common/status/status.h"

namespace gureum::grpcx {
namespace {

std::string Metadata(const grpc::ServerContextBase* context, const char* key) {
  const auto& md = context->client_metadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

ServerCall::ServerCall(grpc::ServerContextBase* context, const CallEnv& env, const char* method)
    : env_(env), method_(method), start_(std::chrono::steady_clock::now()) {
  std::string from_peer = Metadata(context, log::kRequestIdKey);
  request_id_ = log::AcceptOrNewRequestId(from_peer);
  scoped_request_id_.emplace(request_id_);
  // A caller that sent no usable id learns the one we chose. Trailing, not initial,
  // metadata: a failed call can then end as "trailers only", which is what lets clients
  // retry UNAVAILABLE transparently.
  if (request_id_ != from_peer) context->AddTrailingMetadata(log::kRequestIdKey, request_id_);
  if (!env_.auth || env_.public_methods.contains(method_)) return;
  std::string token = Metadata(context, kTokenKey);
  if (token.empty()) {
    auth_status_ = absl::UnauthenticatedError("The request you have made requires authentication.");
    return;
  }
  absl::StatusOr<Caller> caller = env_.auth(token);
  if (!caller.ok()) {
    auth_status_ = caller.status();
    return;
  }
  caller_ = *std::move(caller);
}

grpc::Status ServerCall::Finish(const absl::Status& status) {
  grpc::Status out = ToGrpcStatus(status);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (env_.metrics != nullptr) {
    // gRPC and absl share code numbering, so absl's names are gRPC's.
    env_.metrics->RecordRpc(
        method_, absl::StatusCodeToString(static_cast<absl::StatusCode>(out.error_code())),
        seconds);
  }
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("{} failed: {}", method_, status.ToString());
  } else if (!status.ok()) {
    spdlog::debug("{} -> {}", method_, status.ToString());
  }
  return out;
}

}  // namespace gureum::grpcx
