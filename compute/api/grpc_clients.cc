// The gRPC adapter of NetworkLookup (gureum-network, with the user's token).
#include "compute/api/grpc_clients.h"

#include <grpcpp/client_context.h>

#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"

#include "network.grpc.pb.h"

namespace gureum::compute {
namespace {

class GrpcNetworkLookup final : public NetworkLookup {
 public:
  explicit GrpcNetworkLookup(const std::string& target)
      : stub_(network::v1::Networks::NewStub(grpcx::MakeChannel(target))) {}

  absl::StatusOr<NetworkInfo> GetNetwork(const std::string& token, const std::string& id) override {
    network::v1::Id req;
    req.set_id(id);
    network::v1::Network n;
    absl::Status s =
        FromGrpcStatus(grpcx::CallUnary(*stub_, &network::v1::Networks::Stub::GetNetwork, req, &n,
                                        {.token = token, .timeout = absl::Seconds(10)}));
    if (s.code() == absl::StatusCode::kNotFound ||
        s.code() == absl::StatusCode::kPermissionDenied ||
        s.code() == absl::StatusCode::kInvalidArgument) {
      return absl::NotFoundError("Network " + id + " could not be found.");
    }
    if (!s.ok()) return s;
    return Info(n);
  }

  absl::StatusOr<PortInfo> GetPort(const std::string& token, const std::string& id) override {
    network::v1::Id req;
    req.set_id(id);
    network::v1::Port p;
    absl::Status s =
        FromGrpcStatus(grpcx::CallUnary(*stub_, &network::v1::Networks::Stub::GetPort, req, &p,
                                        {.token = token, .timeout = absl::Seconds(10)}));
    if (s.code() == absl::StatusCode::kNotFound ||
        s.code() == absl::StatusCode::kPermissionDenied ||
        s.code() == absl::StatusCode::kInvalidArgument) {
      return absl::NotFoundError("Port id " + id + " could not be found.");
    }
    if (!s.ok()) return s;
    return PortInfo{.id = p.id(),
                    .network_id = p.network_id(),
                    .project_id = p.project_id(),
                    .device_id = p.device_id(),
                    .device_owner = p.device_owner()};
  }

  absl::StatusOr<std::vector<NetworkInfo>> ListNetworks(const std::string& token) override {
    network::v1::NetworkList list;
    GUREUM_RETURN_IF_ERROR(
        FromGrpcStatus(grpcx::CallUnary(*stub_, &network::v1::Networks::Stub::ListNetworks, {},
                                        &list, {.token = token, .timeout = absl::Seconds(10)})));
    std::vector<NetworkInfo> out;
    for (const network::v1::Network& n : list.networks()) out.push_back(Info(n));
    return out;
  }

  absl::StatusOr<std::vector<FloatingIpInfo>> ListFloatingIps(const std::string& token) override {
    network::v1::FloatingIpList list;
    GUREUM_RETURN_IF_ERROR(
        FromGrpcStatus(grpcx::CallUnary(*stub_, &network::v1::Networks::Stub::ListFloatingIps, {},
                                        &list, {.token = token, .timeout = absl::Seconds(5)})));
    std::vector<FloatingIpInfo> out;
    for (const network::v1::FloatingIp& f : list.floating_ips()) {
      if (f.port_id().empty()) continue;
      out.push_back({.port_id = f.port_id(),
                     .fixed_ip_address = f.fixed_ip_address(),
                     .floating_ip_address = f.floating_ip_address()});
    }
    return out;
  }

  absl::StatusOr<std::vector<SecurityGroupInfo>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) override {
    network::v1::ListRequest req;
    req.set_project_id(project_id);
    network::v1::SecurityGroupList list;
    GUREUM_RETURN_IF_ERROR(FromGrpcStatus(
        grpcx::CallUnary(*stub_, &network::v1::Networks::Stub::ListSecurityGroups, req, &list,
                         {.token = token, .timeout = absl::Seconds(10)})));
    std::vector<SecurityGroupInfo> out;
    for (const network::v1::SecurityGroup& g : list.security_groups()) {
      out.push_back({.id = g.id(), .name = g.name(), .project_id = g.project_id()});
    }
    return out;
  }

 private:
  static NetworkInfo Info(const network::v1::Network& n) {
    return {.id = n.id(),
            .name = n.name(),
            .project_id = n.project_id(),
            .shared = n.shared(),
            .router_external = n.router_external()};
  }
  std::unique_ptr<network::v1::Networks::Stub> stub_;
};

}  // namespace

std::unique_ptr<NetworkLookup> NewGrpcNetworkLookup(const std::string& target) {
  return std::make_unique<GrpcNetworkLookup>(target);
}

}  // namespace gureum::compute
