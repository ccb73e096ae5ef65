#include "common/grpc/echo_service.h"

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace gureum::grpcx {
namespace {

void Answer(const ServerCall& call, const std::string& message,
            gureum::echo::v1::EchoResponse* response) {
  response->set_message(message);
  response->set_user_id(call.caller().user_id);
  response->set_request_id(call.request_id());
}

}  // namespace

grpc::ServerUnaryReactor* EchoService::Echo(grpc::CallbackServerContext* context,
                                            const gureum::echo::v1::EchoRequest* request,
                                            gureum::echo::v1::EchoResponse* response) {
  const std::string& msg = request->message();
  int n = 0;
  if (absl::StartsWith(msg, "sleep:") && absl::SimpleAtoi(msg.substr(6), &n)) {
    return RunBlocking(context, env_, pool_, "Echo", [n, msg, response](const ServerCall& call) {
      std::this_thread::sleep_for(std::chrono::milliseconds(n));
      Answer(call, msg, response);
      return absl::OkStatus();
    });
  }
  return RunInline(context, env_, "Echo", [&](const ServerCall& call) {
    if (absl::StartsWith(msg, "unavailable:") && absl::SimpleAtoi(msg.substr(12), &n) &&
        unavailable_served_.fetch_add(1) < n) {
      return absl::UnavailableError("not yet");
    }
    Answer(call, msg, response);
    return absl::OkStatus();
  });
}

}  // namespace gureum::grpcx
