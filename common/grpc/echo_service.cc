#include "common/grpc/echo_service.h"

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace gureum::grpcx {

grpc::Status EchoService::Echo(grpc::ServerContext* context,
                               const gureum::echo::v1::EchoRequest* request,
                               gureum::echo::v1::EchoResponse* response) {
  ServerCall call(context, env_, "Echo");
  if (!call.ok()) return call.Finish();
  const std::string& msg = request->message();
  int n = 0;
  if (absl::StartsWith(msg, "sleep:") && absl::SimpleAtoi(msg.substr(6), &n)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(n));
  }
  if (absl::StartsWith(msg, "unavailable:") && absl::SimpleAtoi(msg.substr(12), &n) &&
      unavailable_served_.fetch_add(1) < n) {
    return call.Finish(absl::UnavailableError("not yet"));
  }
  response->set_message(msg);
  response->set_user_id(call.caller().user_id);
  response->set_request_id(call.request_id());
  return call.Finish(absl::OkStatus());
}

}  // namespace gureum::grpcx
