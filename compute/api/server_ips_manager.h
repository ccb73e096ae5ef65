// Nova's server IPs (GET /servers/{id}/ips, /ips/{network}): a server's addresses by network,
// from the interfaces its agent reported. Policy os_compute_api:ips:index and :show (the
// server's project readers, cloud admins); another project's server is 404.
// Thread-safe; blocking (SQL).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

// network label (its name, or its id when it has none) -> the addresses on it.
using AddressesByNetwork = std::map<std::string, std::vector<VifIp>>;

class ServerIpsManager {
 public:
  // Both must outlive the manager.
  ServerIpsManager(ComputeStore& store, const ComputePolicy& policy)
      : store_(store), policy_(policy) {}

  absl::StatusOr<AddressesByNetwork> List(const RequestContext& ctx, const std::string& server_id);
  // NotFound "There are no instances for network <label>" when the server has no address there.
  absl::StatusOr<std::vector<VifIp>> Get(const RequestContext& ctx, const std::string& server_id,
                                         const std::string& network);

 private:
  absl::StatusOr<AddressesByNetwork> Read(const RequestContext& ctx, const std::string& server_id,
                                          const std::string& rule);

  ComputeStore& store_;
  const ComputePolicy& policy_;
};

}  // namespace gureum::compute
