// gureum-network's manager classes built together over one set of collaborators, for the
// adapters (REST, gRPC) and the composition roots (main.cc, tests, benchmarks): networks and
// subnets, ports, security groups, routers, floating IPs, quotas, the compute agents' port
// calls and the network agents, with the policy they share. Holds no logic of its own.
// Thread-safe as its managers are.
#pragma once

#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "network/server/agent_manager.h"
#include "network/server/compute_port_manager.h"
#include "network/server/floating_ip_manager.h"
#include "network/server/manager_core.h"
#include "network/server/network_access.h"
#include "network/server/network_manager.h"
#include "network/server/network_options.h"
#include "network/server/network_store.h"
#include "network/server/port_manager.h"
#include "network/server/quota_manager.h"
#include "network/server/router_manager.h"
#include "network/server/security_group_manager.h"

namespace gureum::network {

class NetworkManagers {
 public:
  // `bus` may be null (no casts: tests and tools). The store, clock, ids and the options'
  // enforcer must outlive this.
  // `notifier` may be null: no notifications.
  NetworkManagers(NetworkStore& store, amqp::Bus* bus, const Clock& clock, IdGenerator& ids,
                  NetworkOptions options, amqp::Notifier* notifier = nullptr);
  NetworkManagers(const NetworkManagers&) = delete;
  NetworkManagers& operator=(const NetworkManagers&) = delete;

  const NetworkAccess& access() const { return access_; }
  NetworkManager& networks() { return networks_; }
  PortManager& ports() { return ports_; }
  SecurityGroupManager& security_groups() { return security_groups_; }
  RouterManager& routers() { return routers_; }
  FloatingIpManager& floating_ips() { return floating_ips_; }
  QuotaManager& quotas() { return quotas_; }
  ComputePortManager& compute_ports() { return compute_ports_; }
  AgentManager& agents() { return agents_; }

 private:
  const NetworkOptions options_;
  const NetworkAccess access_;
  const ManagerDeps deps_;
  ManagerCore core_;
  QuotaManager quotas_;
  SecurityGroupManager security_groups_;
  PortManager ports_;
  RouterManager routers_;
  AgentManager agents_;
  NetworkManager networks_;
  FloatingIpManager floating_ips_;
  ComputePortManager compute_ports_;
};

}  // namespace gureum::network
