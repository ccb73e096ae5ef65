#include "common/grpc/client.h"

#include <algorithm>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <spdlog/spdlog.h>

#include "absl/random/random.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/grpc/server_call.h"
#include "common/log/log.h"

namespace gureum::grpcx {
namespace {

void Prepare(grpc::ClientContext& context, const CallOptions& options,
             const std::string& request_id, absl::Time deadline) {
  context.set_deadline(absl::ToChronoTime(deadline));
  context.set_wait_for_ready(options.wait_for_ready);
  if (!options.token.empty()) context.AddMetadata(kTokenKey, options.token);
  context.AddMetadata(log::kRequestIdKey, request_id);
}

std::string RequestIdFor(const CallOptions& options) {
  if (!options.request_id.empty()) return options.request_id;
  return log::CurrentRequestId() != "-" ? log::CurrentRequestId() : NewRequestId();
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  if (options.connection_id != 0) args.SetInt("gureum.connection_id", options.connection_id);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void PrepareContext(grpc::ClientContext& context, const CallOptions& options) {
  Prepare(context, options, RequestIdFor(options), absl::Now() + options.timeout);
}

grpc::Status CallWithRetry(const CallOptions& options,
                           const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
  const absl::Time deadline = absl::Now() + options.timeout;
  const std::string request_id = RequestIdFor(options);
  absl::Duration backoff = options.retry.initial_backoff;
  for (int n = 1;; ++n) {
    grpc::ClientContext context;
    Prepare(context, options, request_id, deadline);
    grpc::Status s = attempt(context);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE || n >= options.retry.max_attempts) {
      return s;
    }
    // A random part of the backoff, as gRPC's own policy does, so that the callers of a
    // restarted service do not all come back at once.
    static thread_local absl::BitGen gen;
    absl::Duration wait = backoff * absl::Uniform(gen, 0.0, 1.0);
    absl::Duration left = deadline - absl::Now();
    if (wait >= left) return s;
    spdlog::debug("gRPC call unavailable ({}), attempt {} of {} in {}", s.error_message(), n + 1,
                  options.retry.max_attempts, absl::FormatDuration(wait));
    absl::SleepFor(wait);
    backoff = std::min(backoff * 2, options.retry.max_backoff);
  }
}

}  // namespace gureum::grpcx
