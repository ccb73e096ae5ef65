// gureum-compute-api's public gRPC API (proto/compute.proto) for the gureum CLI: a thin
// adapter over compute-api's manager classes, so policy, quotas, project scoping and the state
// machine are exactly the REST API's. Flavors and servers may be named by id or name.
#pragma once

#include "common/grpc/server_call.h"
#include "compute/api/compute_managers.h"

#include "compute.grpc.pb.h"

namespace gureum::compute {

class ComputeService final : public v1::Compute::Service {
 public:
  ComputeService(ComputeManagers& managers, const grpcx::CallEnv& env)
      : managers_(managers), env_(env) {}

#define GUREUM_COMPUTE_RPC(Method, Request, Response) \
  grpc::Status Method(grpc::ServerContext* ctx, const v1::Request* req, v1::Response* resp) override
  GUREUM_COMPUTE_RPC(CreateFlavor, CreateFlavorRequest, FlavorRecord);
  GUREUM_COMPUTE_RPC(GetFlavor, FlavorRef, FlavorRecord);
  GUREUM_COMPUTE_RPC(ListFlavors, ListFlavorsRequest, ListFlavorsResponse);
  GUREUM_COMPUTE_RPC(DeleteFlavor, FlavorRef, Empty);
  GUREUM_COMPUTE_RPC(CreateKeypair, CreateKeypairRequest, KeypairRecord);
  GUREUM_COMPUTE_RPC(GetKeypair, KeypairRef, KeypairRecord);
  GUREUM_COMPUTE_RPC(ListKeypairs, ListKeypairsRequest, ListKeypairsResponse);
  GUREUM_COMPUTE_RPC(DeleteKeypair, KeypairRef, Empty);
  GUREUM_COMPUTE_RPC(CreateServer, CreateServerRequest, CreateServerResponse);
  GUREUM_COMPUTE_RPC(GetServer, ServerRef, Server);
  GUREUM_COMPUTE_RPC(ListServers, ListServersRequest, ListServersResponse);
  GUREUM_COMPUTE_RPC(DeleteServer, ServerRef, Empty);
  GUREUM_COMPUTE_RPC(ServerAction, ServerActionRequest, Server);
  GUREUM_COMPUTE_RPC(GetConsoleOutput, ConsoleOutputRequest, ConsoleOutputResponse);
  GUREUM_COMPUTE_RPC(ListServices, ListServicesRequest, ListServicesResponse);
  GUREUM_COMPUTE_RPC(ExternalEvents, ExternalEventsRequest, ExternalEventsResponse);
#undef GUREUM_COMPUTE_RPC

 private:
  // Runs `fn` with the caller's context after authentication; maps the status.
  grpc::Status Serve(grpc::ServerContext* ctx, const char* method,
                     const std::function<absl::Status(const RequestContext&)>& fn);
  absl::StatusOr<FlavorRecord> FindFlavor(const RequestContext& rc, const std::string& ref);
  absl::StatusOr<Instance> FindServer(const RequestContext& rc, const std::string& ref);
  void ToProto(const RequestContext& rc, const Instance& i, v1::Server* out);

  ComputeManagers& managers_;
  const grpcx::CallEnv& env_;
};

}  // namespace gureum::compute
