#include "common/grpc/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/grpc/server_call.h"
#include "common/log/log.h"

namespace gureum::grpcx {
namespace {

std::string Seconds(absl::Duration d) {
  return absl::StrFormat("%.3fs", absl::ToDoubleSeconds(d));
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  if (options.connection_id != 0) args.SetInt("gureum.connection_id", options.connection_id);
  args.SetServiceConfigJSON(absl::StrCat(
      R"({"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":)", options.max_attempts,
      R"(,"initialBackoff":")", Seconds(options.initial_backoff), R"(","maxBackoff":")",
      Seconds(options.max_backoff),
      R"(","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]})"));
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void PrepareContext(grpc::ClientContext& context, const CallOptions& options) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  // Waiting for a restarting server (within the deadline) is what a caller wants.
  context.set_wait_for_ready(true);
  if (!options.token.empty()) context.AddMetadata(kTokenKey, options.token);
  std::string request_id = options.request_id;
  if (request_id.empty()) {
    request_id = log::CurrentRequestId() != "-" ? log::CurrentRequestId() : NewRequestId();
  }
  context.AddMetadata(log::kRequestIdKey, request_id);
}

}  // namespace gureum::grpcx
