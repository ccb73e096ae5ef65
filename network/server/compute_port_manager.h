// The compute agents' calls for their instances' ports: AllocatePort (idempotent per
// instance NIC), BindPort and ReleasePorts (Nova's preserve_on_delete for the user's own
// ports). The service or admin role only.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class PortManager;
class SecurityGroupManager;

class ComputePortManager {
 public:
  ComputePortManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports,
                     SecurityGroupManager& security_groups);

  absl::StatusOr<v1::Port> AllocatePort(const Caller& c, const v1::AllocatePortRequest& r);
  absl::StatusOr<v1::Port> BindPort(const Caller& c, const v1::BindPortRequest& r);
  absl::Status ReleasePorts(const Caller& c, const v1::ReleasePortsRequest& r);

 private:
  // The instance's security groups, by name or id in its project ("default": made if
  // needed), onto the port an AllocatePort makes.
  absl::Status AddGroupsByName(NetworkTx& tx, const v1::AllocatePortRequest& r, v1::Port& port);

  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  PortManager& ports_;
  SecurityGroupManager& security_groups_;
};

}  // namespace gureum::network
