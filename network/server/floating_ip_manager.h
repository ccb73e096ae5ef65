// Floating IPs of gureum-network: an address of an external network's port, associated with
// a fixed address of a port on a subnet a router connects to that external network.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class PortManager;

class FloatingIpManager {
 public:
  // `ports` makes the floating IP's port on the external network.
  FloatingIpManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports);

  absl::StatusOr<v1::FloatingIp> CreateFloatingIp(const Caller& c, const v1::FloatingIp& in,
                                                  const Fields& given);
  absl::StatusOr<v1::FloatingIp> GetFloatingIp(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::FloatingIp>> ListFloatingIps(const Caller& c, const Filters& f);
  absl::StatusOr<v1::FloatingIp> UpdateFloatingIp(const Caller& c, const v1::FloatingIp& in,
                                                  const Fields& given);
  absl::Status DeleteFloatingIp(const Caller& c, const std::string& id);

 private:
  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  PortManager& ports_;
};

}  // namespace gureum::network
