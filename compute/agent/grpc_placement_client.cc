#include <grpcpp/grpcpp.h>

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "compute/agent/placement_client.h"

#include "placement.grpc.pb.h"

namespace gureum::compute_agent {
namespace {

namespace placement_pb = ::gureum::scheduler::v1;

class GrpcPlacementClient final : public PlacementClient {
 public:
  GrpcPlacementClient(const std::string& target, auth::ServiceToken* token)
      : stub_(placement_pb::Placement::NewStub(grpcx::MakeChannel(target))), token_(token) {}

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
    }
    placement_pb::ResourceProvider out;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return stub_->PutResourceProvider(&ctx, req, &out);
    }));
    return out.uuid().empty() ? uuid : out.uuid();
  }

  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_name) override {
    placement_pb::DeleteAllocationsRequest req;
    req.set_consumer_uuid(consumer);
    req.set_provider_name(provider_name);
    placement_pb::Empty out;
    return auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return stub_->DeleteAllocations(&ctx, req, &out);
    });
  }

 private:
  static constexpr absl::Duration kTimeout = absl::Seconds(5);
  std::unique_ptr<placement_pb::Placement::Stub> stub_;
  auth::ServiceToken* token_;
};

}  // namespace

std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const std::string& target,
                                                        auth::ServiceToken* token) {
  return std::make_unique<GrpcPlacementClient>(target, token);
}

}  // namespace gureum::compute_agent
