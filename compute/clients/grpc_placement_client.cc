// GrpcPlacementClient: PlacementClient over gureum.scheduler.v1.Placement.
#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "compute/clients/grpc_call.h"
#include "compute/clients/placement_client.h"

#include "placement.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace placement_pb = ::gureum::scheduler::v1;

ProviderUsage ProviderFromProto(const placement_pb::ResourceProvider& p) {
  ProviderUsage u;
  u.uuid = p.uuid();
  u.name = p.name();
  for (const auto& inv : p.inventories()) {
    u.inventories[inv.resource_class()] = {
        inv.total(), inv.reserved(), inv.allocation_ratio() > 0 ? inv.allocation_ratio() : 1.0};
  }
  for (const auto& [rc, used] : p.usages()) u.usages[rc] = used;
  return u;
}

class GrpcPlacementClient final : public PlacementClient {
 public:
  explicit GrpcPlacementClient(GrpcClientOptions options)
      : options_(std::move(options)),
        stub_(placement_pb::Placement::NewStub(grpcx::MakeChannel(options_.target))) {}

  absl::StatusOr<std::vector<ProviderUsage>> ListProviders() override {
    placement_pb::ListResourceProvidersResponse resp;
    GUREUM_RETURN_IF_ERROR(Call(
        [&](grpc::ClientContext& ctx) { return stub_->ListResourceProviders(&ctx, {}, &resp); }));
    std::vector<ProviderUsage> out;
    for (const auto& p : resp.providers()) out.push_back(ProviderFromProto(p));
    return out;
  }

  absl::StatusOr<std::string> PutProvider(
      const std::string& uuid, const std::string& name,
      const std::map<std::string, ProviderInventory>& inventories) override {
    placement_pb::PutResourceProviderRequest req;
    placement_pb::ResourceProvider* p = req.mutable_provider();
    p->set_uuid(uuid);
    p->set_name(name);
    for (const auto& [rc, inv] : inventories) {
      placement_pb::Inventory* i = p->add_inventories();
      i->set_resource_class(rc);
      i->set_total(inv.total);
      i->set_reserved(inv.reserved);
      i->set_allocation_ratio(inv.allocation_ratio);
    }
    placement_pb::ResourceProvider out;
    GUREUM_RETURN_IF_ERROR(Call(
        [&](grpc::ClientContext& ctx) { return stub_->PutResourceProvider(&ctx, req, &out); }));
    return out.uuid().empty() ? uuid : out.uuid();
  }

  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_name) override {
    placement_pb::DeleteAllocationsRequest req;
    req.set_consumer_uuid(consumer);
    req.set_provider_name(provider_name);
    placement_pb::Empty out;
    return Call(
        [&](grpc::ClientContext& ctx) { return stub_->DeleteAllocations(&ctx, req, &out); });
  }

 private:
  absl::Status Call(const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
    return CallAs(options_, kAsService, options_.timeout, attempt);
  }

  const GrpcClientOptions options_;
  std::unique_ptr<placement_pb::Placement::Stub> stub_;
};

}  // namespace

std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const GrpcClientOptions& options) {
  return std::make_unique<GrpcPlacementClient>(options);
}

}  // namespace gureum::compute
