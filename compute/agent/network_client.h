// The agent's view of gureum-network: the ComputeNetworking calls that give an instance
// its ports on this host (AllocatePort for a requested network, BindPort for the user's
// own port, ReleasePorts at delete) and the Networks reads it needs to wait for a port to
// be wired (GetPort until ACTIVE) and to describe it (GetNetwork for the name, GetSubnet
// for the config drive's network_data.json). Calls go as the agent's service user.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

#include "network.pb.h"

namespace gureum::compute_agent {

namespace npb = ::gureum::network::v1;

class NetworkClient {
 public:
  virtual ~NetworkClient() = default;
  virtual absl::StatusOr<npb::Port> AllocatePort(const npb::AllocatePortRequest& req) = 0;
  virtual absl::StatusOr<npb::Port> BindPort(const npb::BindPortRequest& req) = 0;
  virtual absl::Status ReleasePorts(const npb::ReleasePortsRequest& req) = 0;
  virtual absl::StatusOr<npb::Port> GetPort(const std::string& id) = 0;
  virtual absl::StatusOr<npb::Network> GetNetwork(const std::string& id) = 0;
  virtual absl::StatusOr<npb::Subnet> GetSubnet(const std::string& id) = 0;
};

// gureum-network's gRPC at `target` (host:19696), as the agent's service user (`token`
// null: no token, for a test host without [service_auth]; it must outlive this).
std::unique_ptr<NetworkClient> NewGrpcNetworkClient(const std::string& target,
                                                    auth::ServiceToken* token);

}  // namespace gureum::compute_agent
