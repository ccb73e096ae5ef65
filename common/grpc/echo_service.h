// Echo: the smallest real gRPC service, used to test and benchmark the framework. A
// message "sleep:<ms>" sleeps first (for shutdown tests); "unavailable:<n>" fails the
// first n calls with UNAVAILABLE (for retry tests).
#pragma once

#include <atomic>

#include "common/grpc/server_call.h"
#include "echo.grpc.pb.h"

namespace gureum::grpcx {

class EchoService final : public gureum::echo::v1::Echo::Service {
 public:
  explicit EchoService(const CallEnv& env) : env_(env) {}
  grpc::Status Echo(grpc::ServerContext* context, const gureum::echo::v1::EchoRequest* request,
                    gureum::echo::v1::EchoResponse* response) override;

 private:
  const CallEnv& env_;
  std::atomic<int> unavailable_served_{0};
};

}  // namespace gureum::grpcx
