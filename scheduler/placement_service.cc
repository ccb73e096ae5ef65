#include "scheduler/placement_service.h"

#include <algorithm>

namespace gureum::scheduler {

void ToProto(const Provider& in, v1::ResourceProvider* out) {
  out->set_uuid(in.uuid);
  out->set_name(in.name);
  out->set_generation(in.generation);
  for (const auto& [rc, inv] : in.inventories) {
    v1::Inventory* i = out->add_inventories();
    i->set_resource_class(rc);
    i->set_total(inv.total);
    i->set_reserved(inv.reserved);
    i->set_min_unit(inv.min_unit);
    i->set_max_unit(inv.max_unit);
    i->set_step_size(inv.step_size);
    i->set_allocation_ratio(inv.allocation_ratio);
  }
  for (const std::string& t : in.traits) out->add_traits(t);
  for (const auto& [rc, used] : in.usages) (*out->mutable_usages())[rc] = used;
}

Provider FromProto(const v1::ResourceProvider& in) {
  Provider p;
  p.uuid = in.uuid();
  p.name = in.name();
  for (const v1::Inventory& i : in.inventories()) {
    Inventory inv;
    inv.resource_class = i.resource_class();
    inv.total = i.total();
    inv.reserved = i.reserved();
    inv.min_unit = i.min_unit();
    inv.max_unit = i.max_unit();
    inv.step_size = i.step_size();
    inv.allocation_ratio = i.allocation_ratio();
    p.inventories[inv.resource_class] = inv;
  }
  p.traits.assign(in.traits().begin(), in.traits().end());
  std::sort(p.traits.begin(), p.traits.end());
  p.traits.erase(std::unique(p.traits.begin(), p.traits.end()), p.traits.end());
  return p;
}

void ToProto(const ConsumerAllocations& in, v1::ConsumerAllocations* out) {
  out->set_consumer_uuid(in.consumer_uuid);
  out->set_project_id(in.project_id);
  out->set_user_id(in.user_id);
  out->set_generation(in.generation);
  for (const ProviderAllocation& a : in.allocations) {
    v1::Allocation* pa = out->add_allocations();
    pa->set_provider_uuid(a.provider_uuid);
    pa->set_provider_name(a.provider_name);
    for (const auto& [rc, n] : a.resources) (*pa->mutable_resources())[rc] = n;
  }
}

grpc::Status PlacementService::PutResourceProvider(grpc::ServerContext* ctx,
                                                   const v1::PutResourceProviderRequest* req,
                                                   v1::ResourceProvider* resp) {
  grpcx::ServerCall call(ctx, env_, "PutResourceProvider");
  if (!call.ok()) return call.Finish();
  absl::StatusOr<Provider> p = manager_.PutProvider(call.caller(), FromProto(req->provider()));
  if (p.ok()) ToProto(*p, resp);
  return call.Finish(p.status());
}

grpc::Status PlacementService::GetResourceProvider(grpc::ServerContext* ctx,
                                                   const v1::GetResourceProviderRequest* req,
                                                   v1::ResourceProvider* resp) {
  grpcx::ServerCall call(ctx, env_, "GetResourceProvider");
  if (!call.ok()) return call.Finish();
  absl::StatusOr<Provider> p = manager_.GetProvider(call.caller(), req->uuid(), req->name());
  if (p.ok()) ToProto(*p, resp);
  return call.Finish(p.status());
}

grpc::Status PlacementService::ListResourceProviders(grpc::ServerContext* ctx,
                                                     const v1::ListResourceProvidersRequest* req,
                                                     v1::ListResourceProvidersResponse* resp) {
  grpcx::ServerCall call(ctx, env_, "ListResourceProviders");
  if (!call.ok()) return call.Finish();
  auto list = manager_.ListProviders(call.caller(), req->name());
  if (list.ok()) {
    for (const Provider& p : *list) ToProto(p, resp->add_providers());
  }
  return call.Finish(list.status());
}

grpc::Status PlacementService::DeleteResourceProvider(grpc::ServerContext* ctx,
                                                      const v1::DeleteResourceProviderRequest* req,
                                                      v1::Empty*) {
  grpcx::ServerCall call(ctx, env_, "DeleteResourceProvider");
  if (!call.ok()) return call.Finish();
  return call.Finish(manager_.DeleteProvider(call.caller(), req->uuid()));
}

grpc::Status PlacementService::GetAllocations(grpc::ServerContext* ctx,
                                              const v1::GetAllocationsRequest* req,
                                              v1::ConsumerAllocations* resp) {
  grpcx::ServerCall call(ctx, env_, "GetAllocations");
  if (!call.ok()) return call.Finish();
  auto a = manager_.GetAllocations(call.caller(), req->consumer_uuid());
  if (a.ok()) ToProto(*a, resp);
  return call.Finish(a.status());
}

grpc::Status PlacementService::DeleteAllocations(grpc::ServerContext* ctx,
                                                 const v1::DeleteAllocationsRequest* req,
                                                 v1::Empty*) {
  grpcx::ServerCall call(ctx, env_, "DeleteAllocations");
  if (!call.ok()) return call.Finish();
  return call.Finish(manager_.DeleteAllocations(call.caller(), req->consumer_uuid(),
                                                req->provider_uuid(), req->provider_name()));
}

grpc::Status PlacementService::MoveAllocations(grpc::ServerContext* ctx,
                                               const v1::MoveAllocationsRequest* req, v1::Empty*) {
  grpcx::ServerCall call(ctx, env_, "MoveAllocations");
  if (!call.ok()) return call.Finish();
  return call.Finish(manager_.MoveAllocations(call.caller(), req->from_consumer(),
                                              req->to_consumer(), req->provider_uuid()));
}

}  // namespace gureum::scheduler
