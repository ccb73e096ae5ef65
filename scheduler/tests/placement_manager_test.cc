// Placement API logic: policy (admin or service; members and readers refused),
// validation messages, normalisation of inventories.
#include "scheduler/placement_manager.h"

#include <catch2/catch.hpp>

#include "scheduler/fake_placement_store.h"

namespace gureum::scheduler {
namespace {

// "admin" is admin-openrc's: the admin role on the admin project (a cloud admin).
Caller WithRole(const std::string& role) {
  Caller c;
  c.user_id = "u";
  c.project_id = "p";
  c.is_admin_project = role == "admin";
  c.roles = {role};
  return c;
}

// What a domain admin can make: the admin role on one ordinary project.
Caller AdminOfProject() {
  Caller c = WithRole("admin");
  c.project_id = "p3";
  c.is_admin_project = false;
  return c;
}

struct PlacementFixture {
  explicit PlacementFixture(policy::EnforcerOptions policy_options = {}) {
    auto e = policy::Enforcer::Create(PlacementPolicyDefaults(), "", policy_options);
    REQUIRE(e.ok());
    enforcer = *std::move(e);
    manager = std::make_unique<PlacementManager>(store, *enforcer, ids, SchedulerOptions{});
  }
  FakePlacementStore store;
  SequentialIdGenerator ids;
  std::unique_ptr<policy::Enforcer> enforcer;
  std::unique_ptr<PlacementManager> manager;
};

Provider Basic() {
  Provider p;
  p.name = "cn1";
  Inventory v;
  v.total = 8;
  v.allocation_ratio = 0;  // unset, as on the wire
  p.inventories[kVcpu] = v;
  Inventory m;
  m.total = 4096;
  m.reserved = 512;
  m.allocation_ratio = 1.5;
  p.inventories[kMemoryMb] = m;
  return p;
}

TEST_CASE("only admin and service may use placement") {
  PlacementFixture f;
  for (const char* role : {"member", "reader"}) {
    CHECK(f.manager->PutProvider(WithRole(role), Basic()).status().code() ==
          absl::StatusCode::kPermissionDenied);
    CHECK(f.manager->ListProviders(WithRole(role), "").status().code() ==
          absl::StatusCode::kPermissionDenied);
  }
  CHECK(f.manager->PutProvider(WithRole("service"), Basic()).ok());
  CHECK(f.manager->ListProviders(WithRole("admin"), "")->size() == 1);
}

TEST_CASE("an admin of one project is no placement admin, unless [policy] legacy_admin") {
  PlacementFixture f;
  REQUIRE(f.manager->PutProvider(WithRole("service"), Basic()).ok());
  auto listed = f.manager->ListProviders(WithRole("admin"), "");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  const std::string uuid = listed->front().uuid;
  CHECK(f.manager->ListProviders(AdminOfProject(), "").status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(f.manager->GetAllocations(AdminOfProject(), "10000000-0000-4000-8000-000000000009")
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  CHECK(f.manager->DeleteProvider(AdminOfProject(), uuid).code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(f.manager->ListProviders(WithRole("admin"), "")->size() == 1);

  PlacementFixture legacy({.legacy_admin = true});
  REQUIRE(legacy.manager->PutProvider(WithRole("service"), Basic()).ok());
  auto seen = legacy.manager->ListProviders(AdminOfProject(), "");
  REQUIRE(seen.ok());
  REQUIRE(seen->size() == 1);
  CHECK(legacy.manager->DeleteProvider(AdminOfProject(), seen->front().uuid).ok());
}

TEST_CASE("inventories are normalised: units, and default ratios per class") {
  PlacementFixture f;
  auto p = f.manager->PutProvider(WithRole("service"), Basic());
  REQUIRE(p.ok());
  CHECK(IsUuid(p->uuid));
  const Inventory& v = p->inventories.at(kVcpu);
  CHECK(v.min_unit == 1);
  CHECK(v.max_unit == 8);
  CHECK(v.step_size == 1);
  CHECK(v.allocation_ratio == 4.0);  // the configured default for VCPU
  CHECK(p->inventories.at(kMemoryMb).allocation_ratio == 1.5);
  // Re-registering without a uuid keeps the provider.
  auto again = f.manager->PutProvider(WithRole("service"), Basic());
  REQUIRE(again.ok());
  CHECK(again->uuid == p->uuid);
  CHECK(again->generation == 2);
}

TEST_CASE("bad input is refused with a message saying what to fix") {
  PlacementFixture f;
  Caller admin = WithRole("admin");
  Provider p = Basic();
  p.name = "";
  CHECK(f.manager->PutProvider(admin, p).status().message() == "a resource provider needs a name");
  p = Basic();
  p.inventories["GPU"] = Inventory{};
  CHECK(f.manager->PutProvider(admin, p).status().message().find("unknown resource class 'GPU'") !=
        std::string::npos);
  p = Basic();
  p.inventories[kVcpu].reserved = 9;
  CHECK(f.manager->PutProvider(admin, p).status().code() == absl::StatusCode::kInvalidArgument);
  p = Basic();
  p.inventories[kVcpu].min_unit = 4;
  p.inventories[kVcpu].max_unit = 2;
  CHECK(f.manager->PutProvider(admin, p).status().code() == absl::StatusCode::kInvalidArgument);
  p = Basic();
  p.traits = {"lower-case"};
  CHECK(f.manager->PutProvider(admin, p).status().code() == absl::StatusCode::kInvalidArgument);
  p = Basic();
  p.uuid = "not-a-uuid";
  CHECK(f.manager->PutProvider(admin, p).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.manager->GetAllocations(admin, "x").status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(f.manager->GetProvider(admin, "", "").status().code() ==
        absl::StatusCode::kInvalidArgument);
  p = Basic();
  p.inventories["CUSTOM_FPGA"].total = 2;
  CHECK(f.manager->PutProvider(admin, p).ok());
}

TEST_CASE("allocations are deleted by provider name, and unknown names delete nothing") {
  PlacementFixture f;
  auto p = f.manager->PutProvider(WithRole("service"), Basic());
  REQUIRE(p.ok());
  ClaimRequest c;
  c.consumer_uuid = "10000000-0000-4000-8000-000000000001";
  c.provider_uuid = p->uuid;
  c.resources = {{kVcpu, 2}};
  c.claim_key = "t/1";
  REQUIRE(f.store.Claim(c).ok());
  Caller svc = WithRole("service");
  CHECK(f.manager->DeleteAllocations(svc, c.consumer_uuid, "", "elsewhere").ok());
  CHECK(f.manager->GetAllocations(svc, c.consumer_uuid)->allocations.size() == 1);
  CHECK(f.manager->DeleteAllocations(svc, c.consumer_uuid, "", "cn1").ok());
  CHECK(f.manager->GetAllocations(svc, c.consumer_uuid)->allocations.empty());
  CHECK(f.manager->MoveAllocations(svc, c.consumer_uuid, c.consumer_uuid, "").code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gureum::scheduler
