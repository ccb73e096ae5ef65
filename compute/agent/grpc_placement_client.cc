#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/status/status.h"
#include "compute/agent/placement_client.h"
#include "placement.grpc.pb.h"

namespace gureum::compute_agent {
namespace {

namespace pb = ::gureum::scheduler::v1;

class GrpcPlacementClient final : public PlacementClient {
 public:
  GrpcPlacementClient(const std::string& target, TokenFn token)
      : stub_(pb::Placement::NewStub(grpcx::MakeChannel(target))), token_(std::move(token)) {}

  absl::StatusOr<std::string> PutProvider(
      const std::string& uuid, const std::string& name,
      const std::map<std::string, ProviderInventory>& inventories) override {
    grpc::ClientContext ctx;
    GUREUM_RETURN_IF_ERROR(Prepare(ctx));
    pb::PutResourceProviderRequest req;
    pb::ResourceProvider* p = req.mutable_provider();
    p->set_uuid(uuid);
    p->set_name(name);
    for (const auto& [rc, inv] : inventories) {
      pb::Inventory* i = p->add_inventories();
      i->set_resource_class(rc);
      i->set_total(inv.total);
      i->set_reserved(inv.reserved);
    }
    pb::ResourceProvider out;
    grpc::Status s = stub_->PutResourceProvider(&ctx, req, &out);
    if (!s.ok()) return FromGrpcStatus(s);
    return out.uuid().empty() ? uuid : out.uuid();
  }

  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_name) override {
    grpc::ClientContext ctx;
    GUREUM_RETURN_IF_ERROR(Prepare(ctx));
    pb::DeleteAllocationsRequest req;
    req.set_consumer_uuid(consumer);
    req.set_provider_name(provider_name);
    pb::Empty out;
    grpc::Status s = stub_->DeleteAllocations(&ctx, req, &out);
    return s.ok() ? absl::OkStatus() : FromGrpcStatus(s);
  }

 private:
  absl::Status Prepare(grpc::ClientContext& ctx) {
    grpcx::CallOptions options;
    options.timeout = absl::Seconds(5);
    if (token_) {
      auto token = token_();
      if (!token.ok()) return token.status();
      options.token = *token;
    }
    grpcx::PrepareContext(ctx, options);
    return absl::OkStatus();
  }

  std::unique_ptr<pb::Placement::Stub> stub_;
  TokenFn token_;
};

}  // namespace

std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const std::string& target, TokenFn token) {
  return std::make_unique<GrpcPlacementClient>(target, std::move(token));
}

}  // namespace gureum::compute_agent
