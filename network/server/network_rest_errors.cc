// Neutron's names for gureum-network's error kinds (network_errors.h): the "type" of the
// {"NeutronError": ...} body the REST adapter answers with.
#include <map>

#include "network/server/network_rest.h"

namespace gureum::network {

const char* NeutronType(ErrorKind kind) {
  static const auto* const kNames = new std::map<ErrorKind, const char*>{
      {ErrorKind::kBadRequest, "BadRequest"},
      {ErrorKind::kInvalidInput, "InvalidInput"},
      {ErrorKind::kForbidden, "PolicyNotAuthorized"},
      {ErrorKind::kOverQuota, "OverQuota"},
      {ErrorKind::kNetworkNotFound, "NetworkNotFound"},
      {ErrorKind::kSubnetNotFound, "SubnetNotFound"},
      {ErrorKind::kPortNotFound, "PortNotFound"},
      {ErrorKind::kRouterNotFound, "RouterNotFound"},
      {ErrorKind::kFloatingIpNotFound, "FloatingIPNotFound"},
      {ErrorKind::kGroupNotFound, "SecurityGroupNotFound"},
      {ErrorKind::kRuleNotFound, "SecurityGroupRuleNotFound"},
      {ErrorKind::kInterfaceNotFound, "RouterInterfaceNotFound"},
      {ErrorKind::kNoInterfaceOnSubnet, "RouterInterfaceNotFoundForSubnet"},
      {ErrorKind::kAgentNotFound, "AgentNotFound"},
      {ErrorKind::kExtensionNotFound, "ExtensionNotFound"},
      {ErrorKind::kNoRouterToExternalNetwork, "ExternalGatewayForFloatingIPNotFound"},
      {ErrorKind::kNetworkInUse, "NetworkInUse"},
      {ErrorKind::kSubnetInUse, "SubnetInUse"},
      {ErrorKind::kPortInUse, "PortInUse"},
      {ErrorKind::kRouterInUse, "RouterInUse"},
      {ErrorKind::kGroupInUse, "SecurityGroupInUse"},
      {ErrorKind::kGatewayUsedByFloatingIps, "RouterExternalGatewayInUseByFloatingIp"},
      {ErrorKind::kInterfaceUsedByFloatingIps, "RouterInterfaceInUseByFloatingIP"},
      {ErrorKind::kFixedAddressHasFloatingIp, "FloatingIPPortAlreadyAssociated"},
      {ErrorKind::kDeviceOfAnotherProject, "DeviceIDNotOwnedByTenant"},
      {ErrorKind::kAddressTaken, "IpAddressAlreadyAllocated"},
      {ErrorKind::kAddressesExhausted, "IpAddressGenerationFailure"},
      {ErrorKind::kAddressNotOnNetwork, "InvalidIpForNetwork"},
      {ErrorKind::kAddressNotOnSubnet, "InvalidIpForSubnet"},
      {ErrorKind::kMacTaken, "MacAddressInUse"},
      {ErrorKind::kNoSegmentLeft, "NoNetworkAvailable"},
      {ErrorKind::kPhysicalNetworkTaken, "FlatNetworkInUse"},
      {ErrorKind::kSegmentTaken, "SegmentationIdInUse"},
      {ErrorKind::kGroupsNeedPortSecurity, "PortSecurityAndIPRequiredForSecurityGroups"},
      {ErrorKind::kDuplicateRule, "SecurityGroupRuleExists"},
      {ErrorKind::kGatewayInUse, "GatewayIpInUse"},
      {ErrorKind::kGatewayInPools, "GatewayConflictWithAllocationPools"},
      {ErrorKind::kDefaultGroupExists, "SecurityGroupDefaultAlreadyExists"},
      {ErrorKind::kDefaultGroupRename, "SecurityGroupCannotUpdateDefault"},
      {ErrorKind::kDefaultGroupDelete, "SecurityGroupCannotRemoveDefault"},
  };
  auto it = kNames->find(kind);
  return it == kNames->end() ? "" : it->second;
}

}  // namespace gureum::network
