// The agent's calls to gureum-network (NetworkAgents in proto/network.proto): the state
// this host must have, the heartbeat, and the ports it wired. The gRPC implementation
// (grpc_server_client.cc) calls as the service user ([service_auth]); tests use a fake.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"

#include "network.pb.h"

namespace gureum::auth {
class ServiceToken;
}

namespace gureum::network_agent {

namespace pb = ::gureum::network::v1;

class ServerClient {
 public:
  virtual ~ServerClient() = default;
  virtual absl::StatusOr<pb::HostState> GetHostState(const std::string& host) = 0;
  virtual absl::Status ReportAgent(const pb::AgentReport& report) = 0;
  virtual absl::Status UpdatePortStatus(const pb::PortStatusUpdate& update) = 0;
};

// `token` may be null (calls carry no token) and must outlive the client.
std::unique_ptr<ServerClient> NewGrpcServerClient(const std::string& target,
                                                  auth::ServiceToken* token);

}  // namespace gureum::network_agent
