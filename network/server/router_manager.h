// Routers of gureum-network: an external gateway (a port on an external network, SNAT),
// interfaces holding their subnet's gateway address, extra routes, and the l3 agent that
// runs each router (the least loaded live one; its legs move with it).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class PortManager;

struct RouterInterface {
  std::string router_id, subnet_id, port_id, project_id;
  std::vector<std::string> subnet_ids;
};

class RouterManager {
 public:
  // `ports` makes and deletes the router's legs and gateway port.
  RouterManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports);

  absl::StatusOr<v1::Router> CreateRouter(const Caller& c, const v1::Router& in,
                                          const Fields& given);
  absl::StatusOr<v1::Router> GetRouter(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Router>> ListRouters(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Router> UpdateRouter(const Caller& c, const v1::Router& in,
                                          const Fields& given);
  absl::Status DeleteRouter(const Caller& c, const std::string& id);
  absl::StatusOr<RouterInterface> AddRouterInterface(const Caller& c, const std::string& router_id,
                                                     const std::string& subnet_id,
                                                     const std::string& port_id);
  absl::StatusOr<RouterInterface> RemoveRouterInterface(const Caller& c,
                                                        const std::string& router_id,
                                                        const std::string& subnet_id,
                                                        const std::string& port_id);

  // In `tx`: puts the router on its l3 agent's host (picking the least loaded live one when
  // it has none), moving its legs there; nothing when no l3 agent is live.
  absl::Status ScheduleRouter(NetworkTx& tx, v1::Router& router, Casts& casts);

 private:
  absl::Status DeleteRouterGatewayTx(NetworkTx& tx, const std::string& router_id, Casts& casts);
  absl::Status SetRouterGatewayTx(NetworkTx& tx, const Caller& c, v1::Router& router,
                                  const v1::ExternalGateway& gw, Casts& casts);

  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  PortManager& ports_;
};

}  // namespace gureum::network
