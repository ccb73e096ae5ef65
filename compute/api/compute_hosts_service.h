// gRPC ComputeHosts (proto/placement.proto), served on compute-api's gRPC port for the
// scheduler: every host's enabled/up state, zone and aggregate metadata. Callers need the
// admin or service role.
#pragma once

#include "common/grpc/server_call.h"
#include "compute/api/compute_managers.h"

#include "placement.grpc.pb.h"

namespace gureum::compute {

class ComputeHostsService final : public scheduler::v1::ComputeHosts::Service {
 public:
  ComputeHostsService(ComputeManagers& managers, const grpcx::CallEnv& env)
      : managers_(managers), env_(env) {}

  grpc::Status ListHostStates(grpc::ServerContext* ctx,
                              const scheduler::v1::ListHostStatesRequest* req,
                              scheduler::v1::ListHostStatesResponse* resp) override;

 private:
  ComputeManagers& managers_;
  const grpcx::CallEnv& env_;
};

}  // namespace gureum::compute
