// compute-api's manager on fakes only (no PostgreSQL, no RabbitMQ): the in-memory store,
// FakeBus for the casts, FakeImageClient, FakePlacementClient, FakeNetworkClient,
// FakeBlockStorageClient, a
// FakeClock and sequential ids, and compute-api's manager classes over them; with callers for a
// project member, another project's member and the cloud admin, and helpers that set up flavors,
// images and hosts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "compute/api/cast_codec.h"
#include "compute/api/compute_managers.h"
#include "compute/api/fake_compute_store.h"
#include "compute/clients/fake_block_storage_client.h"
#include "compute/clients/fake_image_client.h"
#include "compute/clients/fake_network_client.h"
#include "compute/clients/fake_placement_client.h"

namespace gureum::compute::testing {

inline std::unique_ptr<policy::Enforcer> DefaultEnforcer() {
  auto e = policy::Enforcer::Create(ComputePolicyDefaults());
  REQUIRE(e.ok());
  return std::move(*e);
}

inline RequestContext Member(const std::string& project = "p1", const std::string& user = "u1") {
  RequestContext ctx;
  ctx.caller.user_id = user;
  ctx.caller.project_id = project;
  ctx.caller.roles = {"member", "reader"};
  ctx.token = "token-" + project;
  ctx.request_id = "req-" + project;
  return ctx;
}

inline RequestContext Admin() {
  RequestContext ctx;
  ctx.caller.user_id = "admin";
  ctx.caller.project_id = "admin";
  ctx.caller.is_admin_project = true;
  ctx.caller.roles = {"admin", "member", "reader"};
  ctx.token = "token-admin";
  ctx.request_id = "req-admin";
  return ctx;
}

// The fakes and the manager over them. `with_networks`: whether the manager has a network
// service (FakeNetworkClient) or none, as with an empty [compute] network_grpc; the same
// for `with_block_storage` ([compute] block_storage_grpc).
struct World {
  explicit World(bool with_networks = false, bool with_block_storage = true,
                 ComputeOptions options = {})
      : managers({.store = store,
                  .bus = bus,
                  .images = images,
                  .placement = placement,
                  .networks = with_networks ? &networks : nullptr,
                  .enforcer = *enforcer,
                  .clock = clock,
                  .ids = ids,
                  .block_storage = with_block_storage ? &block_storage : nullptr,
                  .block_storage_as_service = with_block_storage ? &block_storage : nullptr,
                  .notifier = &notifier},
                 std::move(options)) {
    networks.SetTokenProject("token-p1", "p1");
    networks.SetTokenProject("token-p2", "p2");
  }

  // A public flavor "1" (1 vCPU, 512 MB, 1 GB) and an active image "img" that fits it.
  void AddFlavorAndImage() {
    FlavorRecord f{.id = "1", .name = "tiny", .vcpus = 1, .ram_mb = 512, .disk_gb = 1};
    REQUIRE(store.CreateFlavor(f).ok());
    images.Add({.id = "img", .name = "cirros", .status = "active", .size = 1 << 20});
  }
  // A compute host whose agent beat just now.
  void AddHost(const std::string& host) {
    REQUIRE(store
                .RecordHeartbeat(
                    {.uuid = "svc-" + host, .host = host, .binary = "gureum-compute-agent"})
                .ok());
  }
  CreateServerRequest Request(const std::string& name = "vm") {
    return {.name = name, .image_ref = "img", .flavor_ref = "1"};
  }
  // Creates one server of p1 and puts it on `host`, active and running (as the agent's
  // report through the conductor would).
  Instance ActiveServer(const std::string& host = "h1") {
    auto created = managers.servers().CreateServers(Member(), Request());
    REQUIRE(created.ok());
    auto i = store.MutateInstance(created->instances.at(0).uuid, [&](Instance& x) {
      x.vm_state = vm::kActive;
      x.task_state.clear();
      x.power_state = kRunning;
      x.host = host;
      return absl::OkStatus();
    });
    REQUIRE(i.ok());
    return *i;
  }
  // The casts waiting in `queue`, decoded.
  std::vector<v1::Cast> Casts(const std::string& queue) {
    std::vector<v1::Cast> out;
    for (const amqp::Message& m : bus.Queued(queue)) {
      v1::Cast c;
      REQUIRE(c.ParseFromString(m.body));
      out.push_back(std::move(c));
    }
    return out;
  }

  FakeClock clock;
  FakeComputeStore store{clock};
  amqp::FakeBus bus;
  FakeImageClient images;
  FakePlacementClient placement;
  FakeNetworkClient networks;
  FakeBlockStorageClient block_storage;
  std::unique_ptr<policy::Enforcer> enforcer = DefaultEnforcer();
  SequentialIdGenerator ids;
  // Instance notifications, on a bus and ids of their own (so that the casts' FailNext and
  // the servers' ids stay as tests expect).
  amqp::FakeBus notification_bus;
  SequentialIdGenerator notification_ids;
  amqp::Notifier notifier{notification_bus, "compute.test", clock, notification_ids};
  ComputeManagers managers;  // last: over the fakes above
};

}  // namespace gureum::compute::testing
