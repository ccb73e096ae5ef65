// Echo: the smallest real gRPC service, used to test and benchmark the framework, on the
// callback API (reactor.h). A message "sleep:<ms>" sleeps first, on the blocking pool
// (for shutdown tests and to exercise RunBlocking); "unavailable:<n>" fails the first n
// calls with UNAVAILABLE (for retry tests); anything else is answered inline.
#pragma once

#include <atomic>

#include "common/base/thread_pool.h"
#include "common/grpc/reactor.h"

#include "echo.grpc.pb.h"

namespace gureum::grpcx {

class EchoService final : public gureum::echo::v1::Echo::CallbackService {
 public:
  explicit EchoService(const CallEnv& env) : env_(env), pool_(2) {}
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const gureum::echo::v1::EchoRequest* request,
                                 gureum::echo::v1::EchoResponse* response) override;

 private:
  const CallEnv& env_;
  ThreadPool pool_;
  std::atomic<int> unavailable_served_{0};
};

}  // namespace gureum::grpcx
