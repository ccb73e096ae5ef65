// What the `gureum` network command files share (network_commands.cc, port_commands.cc,
// security_group_commands.cc, router_commands.cc, floating_ip_commands.cc): the parsed
// arguments, the gRPC call to gureum-network's Networks service, and name-or-id lookups.
//
// The endpoint: --os-network-grpc, else OS_NETWORK_GRPC, else the host of OS_AUTH_URL with
// port 19696 (gureum-network's gRPC port, ARCHITECTURE.md). Resources are named by name
// or id, as the openstack CLI does.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

#include "network.grpc.pb.h"

namespace gureum::cli::netcmd {

namespace nv1 = network::v1;
inline constexpr int kNetworkGrpcPort = 19696;

struct NetArgs {
  std::string endpoint;
  std::string name, target, network, subnet_range, gateway, description, fixed_ip, subnet, port;
  std::string protocol, direction = "ingress", ethertype = "IPv4", remote_ip, remote_group,
                        dst_port;
  std::string external_gateway;
  std::vector<std::string> dns, security_groups;
  bool no_dhcp = false, shared = false, external = false, ipv6 = false;
};

absl::StatusOr<std::string> NetworkEndpoint(const std::string& option, Session& s);

// One unary call of the Networks service with the session's token.
template <typename Req, typename Resp>
absl::StatusOr<Resp> Call(Session& s, const NetArgs& a,
                          grpc::Status (nv1::Networks::Stub::*method)(grpc::ClientContext*,
                                                                      const Req&, Resp*),
                          const Req& req) {
  GUREUM_ASSIGN_OR_RETURN(std::string ep, NetworkEndpoint(a.endpoint, s));
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  auto stub = nv1::Networks::NewStub(grpcx::MakeChannel(ep));
  Resp resp;
  GUREUM_RETURN_IF_ERROR(
      FromCliCall(grpcx::CallUnary(*stub, method, req, &resp, CliCallOptions(token)), "network", ep,
                  "--os-network-grpc"));
  return resp;
}

nv1::ListRequest ByName(const std::string& name);
nv1::Id IdOf(const std::string& id);

// Name-or-id lookups: the id when Get finds it, else the one resource of that name.
absl::StatusOr<std::string> FindNetwork(Session& s, const NetArgs& a, const std::string& key);
absl::StatusOr<std::string> FindSubnet(Session& s, const NetArgs& a, const std::string& key);
absl::StatusOr<std::string> FindPort(Session& s, const NetArgs& a, const std::string& key);
absl::StatusOr<std::string> FindGroup(Session& s, const NetArgs& a, const std::string& key);
absl::StatusOr<std::string> FindRouter(Session& s, const NetArgs& a, const std::string& key);

// "ip_address='...', subnet_id='...'" per line.
std::string FixedIpsText(const google::protobuf::RepeatedPtrField<nv1::FixedIp>& ips);
// The keys of a JSON object, in its order (the fields `show` prints).
std::vector<std::string> Keys(const json& j);

// The commands of each resource, registered on `app` (one file each).
void AddNetwork(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);
void AddSubnet(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);
void AddPort(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);
void AddSecurityGroup(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);
void AddRouter(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);
void AddFloatingIp(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a);

}  // namespace gureum::cli::netcmd
