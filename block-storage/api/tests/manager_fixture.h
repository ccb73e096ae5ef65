// Block storage's managers on fakes only (no PostgreSQL, no RabbitMQ): the in-memory store,
// FakeBus for the casts and reports, the FakeImageClients, sequential ids, and a simulated volume
// agent per host that answers the casts the way gureum-volume-agent does (or fails them on
// request). The clock delivers queued messages whenever a manager waits on it (an
// attachment waiting for its export), so waits end as they would with a real agent.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "block-storage/api/block_storage_managers.h"
#include "block-storage/api/fake_block_storage_store.h"
#include "block-storage/clients/fake_image_client.h"
#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "compute/clients/fake_image_client.h"

#include "block_storage.pb.h"

namespace gureum::block_storage::testing {

namespace pb = ::gureum::block_storage::v1;

inline RequestContext Member(const std::string& project = "p1", const std::string& user = "u1") {
  RequestContext ctx;
  ctx.caller.user_id = user;
  ctx.caller.project_id = project;
  ctx.caller.roles = {"member", "reader"};
  ctx.token = "token-" + project;
  return ctx;
}

inline RequestContext Reader(const std::string& project = "p1") {
  RequestContext ctx = Member(project, "reader-" + project);
  ctx.caller.roles = {"reader"};
  return ctx;
}

// The services' own user (project "service", roles admin and service), as the compute
// agents call.
inline RequestContext Service() {
  RequestContext ctx;
  ctx.caller.user_id = "gureum";
  ctx.caller.project_id = "service";
  ctx.caller.roles = {"admin", "service", "member", "reader"};
  ctx.token = "token-service";
  return ctx;
}

inline RequestContext Admin() {
  RequestContext ctx;
  ctx.caller.user_id = "admin";
  ctx.caller.project_id = "admin";
  ctx.caller.is_admin_project = true;
  ctx.caller.roles = {"admin", "member", "reader"};
  ctx.token = "token-admin";
  return ctx;
}

// A FakeClock whose SleepFor also hands queued messages to their handlers.
class DeliveringClock final : public Clock {
 public:
  explicit DeliveringClock(amqp::FakeBus& bus) : bus_(bus) {}
  absl::Time Now() const override { return clock_.Now(); }
  void SleepFor(absl::Duration d) const override {
    clock_.Advance(d);
    bus_.DeliverAll();
  }
  void Advance(absl::Duration d) { clock_.Advance(d); }

 private:
  amqp::FakeBus& bus_;
  mutable FakeClock clock_;
};

struct World {
  World();

  // A backend "<host>@<backend>" whose agent reported just now (and answers casts).
  void AddBackend(const std::string& host, const std::string& backend = "file",
                  int64_t total_gb = 100);
  // Hands every queued cast and report to its handler.
  int Deliver() { return bus.DeliverAll(); }
  // The simulated agent of `host` fails every cast from now on with `error` ("" heals it).
  void FailAgent(const std::string& host, const std::string& error) { failing[host] = error; }
  // The simulated agent of `host` reads its casts and never answers (hung or cut off).
  void SilenceAgent(const std::string& host) { silent.insert(host); }
  // The casts waiting for `host`'s agent (one that was never added, or stopped).
  std::vector<pb::VolumeCast> Pending(const std::string& host);

  // Creates a volume as `ctx` and lets the agent answer; REQUIREs success.
  Volume MakeVolume(const RequestContext& ctx, int64_t size_gb = 1, const std::string& name = "v");
  Volume Reload(const std::string& id);

  amqp::FakeBus bus;
  DeliveringClock clock{bus};
  SequentialIdGenerator ids;
  FakeBlockStorageStore store;
  compute::FakeImageClient images;
  FakeComputeClient compute;   // the volume-extended events block storage sends
  FakeImageClient new_images;  // images made from volumes
  std::unique_ptr<policy::Enforcer> enforcer;
  BlockStoragePolicy policy;
  BlockStorageOptions options;
  VolumeCasts casts{bus, ids};
  amqp::Notifier notifier{bus, "block-storage.test", clock, ids};
  ManagerDeps deps;
  BlockStorageManagers managers;
  std::map<std::string, std::string> failing;  // host -> error its agent answers with
  std::set<std::string> agents;                // hosts whose simulated agent runs
  std::set<std::string> silent;                // hosts whose agent never answers
  std::vector<nlohmann::json> notifications;   // what reached "volume.#" and "snapshot.#"
};

}  // namespace gureum::block_storage::testing
