// gureum-scheduler's gRPC API (proto/placement.proto, gureum.scheduler.v1.Placement):
// a thin adapter over PlacementManager. Every call needs a token (env.auth: identity's
// ServiceAuth in main); the manager checks the admin-or-service policy.
#pragma once

#include "common/grpc/server_call.h"
#include "scheduler/placement_manager.h"

#include "placement.grpc.pb.h"

namespace gureum::scheduler {

// Proto <-> model.
void ToProto(const Provider& in, v1::ResourceProvider* out);
Provider FromProto(const v1::ResourceProvider& in);
void ToProto(const ConsumerAllocations& in, v1::ConsumerAllocations* out);

class PlacementService final : public v1::Placement::Service {
 public:
  // `manager` and `env` must outlive the service.
  PlacementService(PlacementManager& manager, const grpcx::CallEnv& env)
      : manager_(manager), env_(env) {}

  grpc::Status PutResourceProvider(grpc::ServerContext* ctx,
                                   const v1::PutResourceProviderRequest* req,
                                   v1::ResourceProvider* resp) override;
  grpc::Status GetResourceProvider(grpc::ServerContext* ctx,
                                   const v1::GetResourceProviderRequest* req,
                                   v1::ResourceProvider* resp) override;
  grpc::Status ListResourceProviders(grpc::ServerContext* ctx,
                                     const v1::ListResourceProvidersRequest* req,
                                     v1::ListResourceProvidersResponse* resp) override;
  grpc::Status DeleteResourceProvider(grpc::ServerContext* ctx,
                                      const v1::DeleteResourceProviderRequest* req,
                                      v1::Empty* resp) override;
  grpc::Status GetAllocations(grpc::ServerContext* ctx, const v1::GetAllocationsRequest* req,
                              v1::ConsumerAllocations* resp) override;
  grpc::Status DeleteAllocations(grpc::ServerContext* ctx, const v1::DeleteAllocationsRequest* req,
                                 v1::Empty* resp) override;
  grpc::Status MoveAllocations(grpc::ServerContext* ctx, const v1::MoveAllocationsRequest* req,
                               v1::Empty* resp) override;

 private:
  PlacementManager& manager_;
  const grpcx::CallEnv& env_;
};

}  // namespace gureum::scheduler
