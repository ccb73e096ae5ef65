// Placement's gRPC API end to end on a real server (port 0): every call needs a token,
// only admin and service may use it, bad input is INVALID_ARGUMENT with its reason, and
// the RPCs reach the store.
#include <catch2/catch.hpp>

#include "common/grpc/client.h"
#include "common/grpc/server.h"
#include "scheduler/fake_placement_store.h"
#include "scheduler/placement_service.h"

namespace gureum::scheduler {
namespace {

struct ServiceFixture {
  ServiceFixture() {
    auto e = policy::Enforcer::Create(PlacementPolicyDefaults());
    REQUIRE(e.ok());
    enforcer = *std::move(e);
    manager = std::make_unique<PlacementManager>(store, *enforcer, ids, SchedulerOptions{});
    // Tokens stand for callers; the real hook is identity's ServiceAuth.
    env.auth = [](const std::string& token) -> absl::StatusOr<Caller> {
      Caller c;
      c.user_id = "u-" + token;
      c.project_id = "p1";
      if (token == "service-token")
        c.roles = {"service"};
      else if (token == "member-token")
        c.roles = {"member", "reader"};
      else
        return absl::UnauthenticatedError("The request you have made requires authentication.");
      return c;
    };
    service = std::make_unique<PlacementService>(*manager, env);
    auto started = grpcx::Server::Start({.listen_address = "127.0.0.1:0"}, {service.get()});
    REQUIRE(started.ok());
    server = *std::move(started);
    stub = v1::Placement::NewStub(grpcx::MakeChannel(absl::StrCat("127.0.0.1:", server->port())));
  }
  ~ServiceFixture() { server->Shutdown(absl::Seconds(1)); }

  FakePlacementStore store;
  SequentialIdGenerator ids;
  std::unique_ptr<policy::Enforcer> enforcer;
  std::unique_ptr<PlacementManager> manager;
  grpcx::CallEnv env;
  std::unique_ptr<PlacementService> service;
  std::unique_ptr<grpcx::Server> server;
  std::unique_ptr<v1::Placement::Stub> stub;
};

v1::PutResourceProviderRequest Put(const std::string& name) {
  v1::PutResourceProviderRequest req;
  req.mutable_provider()->set_name(name);
  auto* inv = req.mutable_provider()->add_inventories();
  inv->set_resource_class("VCPU");
  inv->set_total(16);
  inv = req.mutable_provider()->add_inventories();
  inv->set_resource_class("MEMORY_MB");
  inv->set_total(32768);
  inv->set_reserved(512);
  req.mutable_provider()->add_traits("HW_ARCH_X86_64");
  return req;
}

TEST_CASE("placement gRPC: tokens and roles") {
  ServiceFixture f;
  v1::ResourceProvider resp;
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {});
    CHECK(f.stub->PutResourceProvider(&ctx, Put("cn1"), &resp).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = "member-token"});
    CHECK(f.stub->PutResourceProvider(&ctx, Put("cn1"), &resp).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = "member-token"});
    v1::ListResourceProvidersResponse list;
    CHECK(f.stub->ListResourceProviders(&ctx, {}, &list).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
  CHECK(f.store.ListProviders("")->empty());
}

TEST_CASE("placement gRPC: register, read, allocations, bad input") {
  ServiceFixture f;
  auto call = [](auto&& fn) {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = "service-token"});
    return fn(ctx);
  };
  v1::ResourceProvider created;
  REQUIRE(call([&](grpc::ClientContext& ctx) {
            return f.stub->PutResourceProvider(&ctx, Put("cn1"), &created);
          }).ok());
  CHECK(created.generation() == 1);
  CHECK(created.inventories_size() == 2);
  CHECK(created.usages().at("VCPU") == 0);
  CHECK(created.inventories(1).allocation_ratio() == 4.0);  // VCPU's configured default

  v1::GetResourceProviderRequest get;
  get.set_name("cn1");
  v1::ResourceProvider got;
  REQUIRE(call([&](grpc::ClientContext& ctx) {
            return f.stub->GetResourceProvider(&ctx, get, &got);
          }).ok());
  CHECK(got.uuid() == created.uuid());
  CHECK(got.traits(0) == "HW_ARCH_X86_64");

  ClaimRequest claim;
  claim.consumer_uuid = "10000000-0000-4000-8000-000000000001";
  claim.provider_uuid = created.uuid();
  claim.resources = {{kVcpu, 4}, {kMemoryMb, 1024}};
  claim.claim_key = "t/1";
  REQUIRE(f.store.Claim(claim).ok());
  v1::GetAllocationsRequest ga;
  ga.set_consumer_uuid(claim.consumer_uuid);
  v1::ConsumerAllocations allocs;
  REQUIRE(call([&](grpc::ClientContext& ctx) {
            return f.stub->GetAllocations(&ctx, ga, &allocs);
          }).ok());
  REQUIRE(allocs.allocations_size() == 1);
  CHECK(allocs.allocations(0).provider_name() == "cn1");
  CHECK(allocs.allocations(0).resources().at("VCPU") == 4);

  v1::DeleteResourceProviderRequest del;
  del.set_uuid(created.uuid());
  v1::Empty empty;
  grpc::Status busy = call(
      [&](grpc::ClientContext& ctx) { return f.stub->DeleteResourceProvider(&ctx, del, &empty); });
  CHECK(busy.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(busy.error_message().find("still has allocations") != std::string::npos);

  v1::DeleteAllocationsRequest da;
  da.set_consumer_uuid(claim.consumer_uuid);
  da.set_provider_name("cn1");
  REQUIRE(call([&](grpc::ClientContext& ctx) {
            return f.stub->DeleteAllocations(&ctx, da, &empty);
          }).ok());
  REQUIRE(call([&](grpc::ClientContext& ctx) {
            return f.stub->DeleteResourceProvider(&ctx, del, &empty);
          }).ok());

  auto bad = Put("cn2");
  bad.mutable_provider()->mutable_inventories(0)->set_resource_class("GPU");
  v1::ResourceProvider unused;
  grpc::Status refused = call(
      [&](grpc::ClientContext& ctx) { return f.stub->PutResourceProvider(&ctx, bad, &unused); });
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(refused.error_message().find("unknown resource class 'GPU'") != std::string::npos);
}

}  // namespace
}  // namespace gureum::scheduler
