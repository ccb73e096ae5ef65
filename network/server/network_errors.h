// Errors of gureum-network in our own words: each carries its kind (below) as a payload
// beside the canonical code, and, where Neutron answers with another HTTP status than the
// code's, that status. The REST adapter names each kind as Neutron does
// ({"NeutronError":{"type":...}}, network_rest_errors.cc); the gRPC adapter sends the code.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "common/status/status.h"

namespace gureum::network {

enum class ErrorKind {
  kNone = 0,  // not one of ours (a database error, ...)
  kBadRequest,
  kInvalidInput,
  kForbidden,
  kOverQuota,
  kNetworkNotFound,
  kSubnetNotFound,
  kPortNotFound,
  kRouterNotFound,
  kFloatingIpNotFound,
  kGroupNotFound,
  kRuleNotFound,
  kInterfaceNotFound,
  kNoInterfaceOnSubnet,
  kAgentNotFound,
  kExtensionNotFound,
  kNoRouterToExternalNetwork,
  kNetworkInUse,
  kSubnetInUse,
  kPortInUse,
  kRouterInUse,
  kGroupInUse,
  kGatewayUsedByFloatingIps,
  kInterfaceUsedByFloatingIps,
  kFixedAddressHasFloatingIp,
  kDeviceOfAnotherProject,
  kAddressTaken,
  kAddressesExhausted,
  kAddressNotOnNetwork,
  kAddressNotOnSubnet,
  kMacTaken,
  kNoSegmentLeft,
  kPhysicalNetworkTaken,
  kSegmentTaken,
  kGroupsNeedPortSecurity,
  kDuplicateRule,
  kDefaultGroupExists,
  kDefaultGroupRename,
  kDefaultGroupDelete,
  kGatewayInUse,
  kGatewayInPools,
};

inline constexpr char kErrorKindPayload[] = "gureum.dev/network-error-kind";

inline absl::Status NetworkError(absl::StatusCode code, ErrorKind kind, const std::string& message,
                                 int http = 0) {
  absl::Status s(code, message);
  s.SetPayload(kErrorKindPayload, absl::Cord(std::to_string(static_cast<int>(kind))));
  if (http != 0) s = WithHttpStatus(std::move(s), http);
  return s;
}

inline ErrorKind ErrorKindOf(const absl::Status& s) {
  auto p = s.GetPayload(kErrorKindPayload);
  if (!p) return ErrorKind::kNone;
  return static_cast<ErrorKind>(std::stoi(std::string(*p)));
}

inline absl::Status BadRequest(const std::string& message) {
  return NetworkError(absl::StatusCode::kInvalidArgument, ErrorKind::kBadRequest, message);
}
inline absl::Status InvalidInput(const std::string& message) {
  return NetworkError(absl::StatusCode::kInvalidArgument, ErrorKind::kInvalidInput,
                      "Invalid input for operation: " + message);
}
inline absl::Status NotFoundErr(ErrorKind kind, const std::string& message) {
  return NetworkError(absl::StatusCode::kNotFound, kind, message);
}
inline absl::Status Conflict(ErrorKind kind, const std::string& message) {
  return NetworkError(absl::StatusCode::kFailedPrecondition, kind, message);
}
inline absl::Status OverQuota(const std::string& resource) {
  return NetworkError(absl::StatusCode::kResourceExhausted, ErrorKind::kOverQuota,
                      "Quota exceeded for resources: ['" + resource + "'].", 409);
}
inline absl::Status Forbidden(const std::string& message) {
  return NetworkError(absl::StatusCode::kPermissionDenied, ErrorKind::kForbidden, message);
}

}  // namespace gureum::network
