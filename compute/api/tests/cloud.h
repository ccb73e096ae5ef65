// Test-only: compute-api in-process on a fresh PostgreSQL database and the real RabbitMQ
// of ./tests/run.sh: the manager, the conductor consuming its own queue, the Nova REST
// API on a free port, a stand-in scheduler that sends every build to one simulated host,
// and a simulated agent on that host that answers each cast with the InstanceUpdates a
// real agent sends. Tokens map to fixed callers (project A member, project B member, an
// admin). Images come from a FakeImageClient, placement from a FakePlacementClient,
// volumes from a FakeBlockStorageClient.
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/base/clock.h"
#include "common/db/tests/test_database.h"
#include "common/http/server.h"
#include "compute/api/compute_managers.h"
#include "compute/api/compute_rest.h"
#include "compute/api/conductor.h"
#include "compute/api/tests/simulated_host.h"
#include "compute/clients/fake_block_storage_client.h"
#include "compute/clients/fake_image_client.h"
#include "compute/clients/fake_network_client.h"
#include "compute/clients/fake_placement_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute::testing {

inline constexpr char kImageId[] = "11111111-2222-3333-4444-555555555555";
inline constexpr char kProjectA[] = "project-a";
inline constexpr char kProjectB[] = "project-b";
inline constexpr char kProjectC[] = "project-c";  // token-c-admin: admin of this project only

struct HttpResult {
  int status = 0;
  nlohmann::json body;
  std::string text;
  std::multimap<std::string, std::string> headers;  // names as sent
};

class Cloud {
 public:
  // `with_scheduler`: start the stand-in scheduler (else instances stay scheduling).
  // `legacy_admin`: the policy's [policy] legacy_admin (token-c-admin is a cloud admin).
  // `with_networks`: compute-api has a network service (networks()), as with
  // [compute] network_grpc set; without it servers get no network interface.
  explicit Cloud(bool with_scheduler = true, bool legacy_admin = false, bool with_networks = false);
  ~Cloud();

  HttpResult Call(const std::string& token, const std::string& method, const std::string& path,
                  const nlohmann::json& body = nullptr, const std::string& version = "");
  // Call of a path from the root ("/", "/v2/servers"), not under /v2.1.
  HttpResult CallUrl(const std::string& token, const std::string& method, const std::string& url,
                     const nlohmann::json& body = nullptr, const std::string& version = "");
  // Polls GET /servers/{id} until its status is `status` (or 10 s pass); returns the body.
  nlohmann::json WaitForStatus(const std::string& token, const std::string& id,
                               const std::string& status);
  // Waits until `id` is gone (404) or 10 s pass; true when gone.
  bool WaitForGone(const std::string& token, const std::string& id);
  // Creates flavor `id` (admin) and returns its id.
  void CreateFlavor(const std::string& id, int vcpus, int ram_mb, int disk_gb);
  // Creates a server as `token` and returns its id (REQUIREs 202).
  std::string Boot(const std::string& token, const std::string& name, const std::string& flavor);
  // Sends a cast to the conductor, as an agent would.
  void SendToConductor(const v1::Cast& cast);
  // A heartbeat from `host`, stamped `at` (when it listed its domains; default: now).
  void Heartbeat(const std::string& host, const std::map<std::string, int>& power = {},
                 absl::Time at = absl::Now());
  // Applies an update through the conductor synchronously.
  absl::Status ApplyUpdate(const v1::InstanceUpdate& u) {
    return conductor_->ApplyInstanceUpdate(u);
  }

  const std::string& host() const { return host_; }
  ComputeManagers& managers() { return *managers_; }
  ComputeStore& store() { return *store_; }
  FakeClock& clock() { return clock_; }
  FakePlacementClient& placement() { return placement_; }
  // gureum-network for the managers (used only `with_networks`); token-a and token-b see
  // their projects' networks and ports.
  FakeNetworkClient& networks() { return networks_; }
  // gureum-block-storage for the managers (every token sees every volume).
  FakeBlockStorageClient& block_storage() { return block_storage_; }
  // Agent behaviour: when set, builds fail with this fault.
  void FailBuilds(bool fail) { sim_->FailBuilds(fail); }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<ComputeStore> store_;
  amqp::ConnectionOptions amqp_;
  std::unique_ptr<amqp::Publisher> bus_;
  FakeImageClient images_;
  FakePlacementClient placement_;
  FakeNetworkClient networks_;
  FakeBlockStorageClient block_storage_;
  std::unique_ptr<policy::Enforcer> enforcer_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  std::unique_ptr<ComputeManagers> managers_;
  std::unique_ptr<Conductor> conductor_;
  std::unique_ptr<ComputeRest> rest_;
  std::unique_ptr<http::Server> http_;
  std::unique_ptr<httplib::Client> client_;
  std::string host_;
  std::string conductor_queue_;
  std::unique_ptr<amqp::Consumer> conductor_consumer_;
  std::unique_ptr<SimulatedHost> sim_;
};

}  // namespace gureum::compute::testing
