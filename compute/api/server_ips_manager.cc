#include "compute/api/server_ips_manager.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/server_access.h"

namespace gureum::compute {

absl::StatusOr<AddressesByNetwork> ServerIpsManager::Read(const RequestContext& ctx,
                                                          const std::string& server_id,
                                                          const std::string& rule) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, rule, i.project_id));
  AddressesByNetwork out;
  for (const Vif& v : i.vifs) {
    std::vector<VifIp>& list = out[v.network_name.empty() ? v.network_id : v.network_name];
    list.insert(list.end(), v.ips.begin(), v.ips.end());
  }
  return out;
}

absl::StatusOr<AddressesByNetwork> ServerIpsManager::List(const RequestContext& ctx,
                                                          const std::string& server_id) {
  return Read(ctx, server_id, "os_compute_api:ips:index");
}

absl::StatusOr<std::vector<VifIp>> ServerIpsManager::Get(const RequestContext& ctx,
                                                         const std::string& server_id,
                                                         const std::string& network) {
  GUREUM_ASSIGN_OR_RETURN(AddressesByNetwork all, Read(ctx, server_id, "os_compute_api:ips:show"));
  auto it = all.find(network);
  if (it == all.end()) {
    return absl::NotFoundError(absl::StrCat("There are no instances for network ", network));
  }
  return it->second;
}

}  // namespace gureum::compute
