// Neutron's names for gureum-network's error kinds (network_errors.h): the "type" of the
// {"NeutronError": ...} body the REST adapter answers with.
#include "network/server/network_rest.h"

namespace gureum::network {

const char* NeutronType(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone:
      return "";
    case ErrorKind::kBadRequest:
      return "BadRequest";
    case ErrorKind::kInvalidInput:
      return "InvalidInput";
    case ErrorKind::kForbidden:
      return "PolicyNotAuthorized";
    case ErrorKind::kOverQuota:
      return "OverQuota";
    case ErrorKind::kNetworkNotFound:
      return "NetworkNotFound";
    case ErrorKind::kSubnetNotFound:
      return "SubnetNotFound";
    case ErrorKind::kPortNotFound:
      return "PortNotFound";
    case ErrorKind::kRouterNotFound:
      return "RouterNotFound";
    case ErrorKind::kFloatingIpNotFound:
      return "FloatingIPNotFound";
    case ErrorKind::kGroupNotFound:
      return "SecurityGroupNotFound";
    case ErrorKind::kRuleNotFound:
      return "SecurityGroupRuleNotFound";
    case ErrorKind::kInterfaceNotFound:
      return "RouterInterfaceNotFound";
    case ErrorKind::kNoInterfaceOnSubnet:
      return "RouterInterfaceNotFoundForSubnet";
    case ErrorKind::kAgentNotFound:
      return "AgentNotFound";
    case ErrorKind::kExtensionNotFound:
      return "ExtensionNotFound";
    case ErrorKind::kNoRouterToExternalNetwork:
      return "ExternalGatewayForFloatingIPNotFound";
    case ErrorKind::kNetworkInUse:
      return "NetworkInUse";
    case ErrorKind::kSubnetInUse:
      return "SubnetInUse";
    case ErrorKind::kPortInUse:
      return "PortInUse";
    case ErrorKind::kRouterInUse:
      return "RouterInUse";
    case ErrorKind::kGroupInUse:
      return "SecurityGroupInUse";
    case ErrorKind::kGatewayUsedByFloatingIps:
      return "RouterExternalGatewayInUseByFloatingIp";
    case ErrorKind::kInterfaceUsedByFloatingIps:
      return "RouterInterfaceInUseByFloatingIP";
    case ErrorKind::kFixedAddressHasFloatingIp:
      return "FloatingIPPortAlreadyAssociated";
    case ErrorKind::kDeviceOfAnotherProject:
      return "DeviceIDNotOwnedByTenant";
    case ErrorKind::kAddressTaken:
      return "IpAddressAlreadyAllocated";
    case ErrorKind::kAddressesExhausted:
      return "IpAddressGenerationFailure";
    case ErrorKind::kAddressNotOnNetwork:
      return "InvalidIpForNetwork";
    case ErrorKind::kAddressNotOnSubnet:
      return "InvalidIpForSubnet";
    case ErrorKind::kMacTaken:
      return "MacAddressInUse";
    case ErrorKind::kNoSegmentLeft:
      return "NoNetworkAvailable";
    case ErrorKind::kPhysicalNetworkTaken:
      return "FlatNetworkInUse";
    case ErrorKind::kSegmentTaken:
      return "SegmentationIdInUse";
    case ErrorKind::kGroupsNeedPortSecurity:
      return "PortSecurityAndIPRequiredForSecurityGroups";
    case ErrorKind::kDuplicateRule:
      return "SecurityGroupRuleExists";
    case ErrorKind::kDefaultGroupExists:
      return "SecurityGroupDefaultAlreadyExists";
    case ErrorKind::kDefaultGroupRename:
      return "SecurityGroupCannotUpdateDefault";
    case ErrorKind::kDefaultGroupDelete:
      return "SecurityGroupCannotRemoveDefault";
  }
  return "";
}

}  // namespace gureum::network
