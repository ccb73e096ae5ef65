// gureum-network's gRPC API (proto/network.proto, port 19696): the Networks service (the
// gureum CLI), ComputeNetworking (compute agents) and NetworkAgents (network agents), each
// a thin adapter over NetworkManagers on gRPC's synchronous API (handlers do SQL). Every
// call needs a token (x-auth-token metadata).
//
// Creates and updates: proto3 cannot tell an unset field from a default one, so a Create
// treats non-default fields as given (admin_state_up and port_security_enabled default to
// true), and an Update changes the fields named in update_mask (Neutron attribute names
// or proto field names).
#pragma once

#include "common/grpc/server_call.h"
#include "network/server/network_managers.h"

#include "network.grpc.pb.h"

namespace gureum::network {

class NetworksService final : public v1::Networks::Service {
 public:
  NetworksService(NetworkManagers& manager, const grpcx::CallEnv& env) : m_(manager), env_(env) {}
  using Ctx = grpc::ServerContext;
  grpc::Status CreateNetwork(Ctx*, const v1::Network*, v1::Network*) override;
  grpc::Status GetNetwork(Ctx*, const v1::Id*, v1::Network*) override;
  grpc::Status ListNetworks(Ctx*, const v1::ListRequest*, v1::NetworkList*) override;
  grpc::Status UpdateNetwork(Ctx*, const v1::UpdateNetworkRequest*, v1::Network*) override;
  grpc::Status DeleteNetwork(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status CreateSubnet(Ctx*, const v1::Subnet*, v1::Subnet*) override;
  grpc::Status GetSubnet(Ctx*, const v1::Id*, v1::Subnet*) override;
  grpc::Status ListSubnets(Ctx*, const v1::ListRequest*, v1::SubnetList*) override;
  grpc::Status UpdateSubnet(Ctx*, const v1::UpdateSubnetRequest*, v1::Subnet*) override;
  grpc::Status DeleteSubnet(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status CreatePort(Ctx*, const v1::Port*, v1::Port*) override;
  grpc::Status GetPort(Ctx*, const v1::Id*, v1::Port*) override;
  grpc::Status ListPorts(Ctx*, const v1::ListRequest*, v1::PortList*) override;
  grpc::Status UpdatePort(Ctx*, const v1::UpdatePortRequest*, v1::Port*) override;
  grpc::Status DeletePort(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status CreateSecurityGroup(Ctx*, const v1::SecurityGroup*, v1::SecurityGroup*) override;
  grpc::Status GetSecurityGroup(Ctx*, const v1::Id*, v1::SecurityGroup*) override;
  grpc::Status ListSecurityGroups(Ctx*, const v1::ListRequest*, v1::SecurityGroupList*) override;
  grpc::Status UpdateSecurityGroup(Ctx*, const v1::UpdateSecurityGroupRequest*,
                                   v1::SecurityGroup*) override;
  grpc::Status DeleteSecurityGroup(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status CreateSecurityGroupRule(Ctx*, const v1::SecurityGroupRule*,
                                       v1::SecurityGroupRule*) override;
  grpc::Status DeleteSecurityGroupRule(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status CreateRouter(Ctx*, const v1::Router*, v1::Router*) override;
  grpc::Status GetRouter(Ctx*, const v1::Id*, v1::Router*) override;
  grpc::Status ListRouters(Ctx*, const v1::ListRequest*, v1::RouterList*) override;
  grpc::Status UpdateRouter(Ctx*, const v1::UpdateRouterRequest*, v1::Router*) override;
  grpc::Status DeleteRouter(Ctx*, const v1::Id*, v1::Empty*) override;
  grpc::Status AddRouterInterface(Ctx*, const v1::RouterInterfaceRequest*,
                                  v1::RouterInterfaceInfo*) override;
  grpc::Status RemoveRouterInterface(Ctx*, const v1::RouterInterfaceRequest*,
                                     v1::RouterInterfaceInfo*) override;
  grpc::Status CreateFloatingIp(Ctx*, const v1::FloatingIp*, v1::FloatingIp*) override;
  grpc::Status GetFloatingIp(Ctx*, const v1::Id*, v1::FloatingIp*) override;
  grpc::Status ListFloatingIps(Ctx*, const v1::ListRequest*, v1::FloatingIpList*) override;
  grpc::Status UpdateFloatingIp(Ctx*, const v1::UpdateFloatingIpRequest*, v1::FloatingIp*) override;
  grpc::Status DeleteFloatingIp(Ctx*, const v1::Id*, v1::Empty*) override;

 private:
  NetworkManagers& m_;
  const grpcx::CallEnv& env_;
};

class ComputeNetworkingService final : public v1::ComputeNetworking::Service {
 public:
  ComputeNetworkingService(NetworkManagers& manager, const grpcx::CallEnv& env)
      : m_(manager), env_(env) {}
  using Ctx = grpc::ServerContext;
  grpc::Status AllocatePort(Ctx*, const v1::AllocatePortRequest*, v1::Port*) override;
  grpc::Status BindPort(Ctx*, const v1::BindPortRequest*, v1::Port*) override;
  grpc::Status ReleasePorts(Ctx*, const v1::ReleasePortsRequest*, v1::Empty*) override;

 private:
  NetworkManagers& m_;
  const grpcx::CallEnv& env_;
};

class NetworkAgentsService final : public v1::NetworkAgents::Service {
 public:
  NetworkAgentsService(NetworkManagers& manager, const grpcx::CallEnv& env)
      : m_(manager), env_(env) {}
  using Ctx = grpc::ServerContext;
  grpc::Status ReportAgent(Ctx*, const v1::AgentReport*, v1::Empty*) override;
  grpc::Status GetHostState(Ctx*, const v1::HostRequest*, v1::HostState*) override;
  grpc::Status UpdatePortStatus(Ctx*, const v1::PortStatusUpdate*, v1::Empty*) override;
  grpc::Status ListAgents(Ctx*, const v1::ListRequest*, v1::AgentList*) override;

 private:
  NetworkManagers& m_;
  const grpcx::CallEnv& env_;
};

}  // namespace gureum::network
