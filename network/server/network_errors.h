// Errors of gureum-network in Neutron's vocabulary: each carries the Neutron exception
// name (NetworkInUse, IpAddressGenerationFailure, OverQuota...) as a payload, which the
// REST adapter puts in {"NeutronError":{"type":...}}, and the HTTP status Neutron uses.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "common/status/status.h"

namespace gureum::network {

inline constexpr char kNeutronTypePayload[] = "gureum.dev/neutron-type";

inline absl::Status NeutronError(absl::StatusCode code, const std::string& type,
                                 const std::string& message, int http = 0) {
  absl::Status s(code, message);
  s.SetPayload(kNeutronTypePayload, absl::Cord(type));
  if (http != 0) s = WithHttpStatus(std::move(s), http);
  return s;
}

inline std::string NeutronTypeOf(const absl::Status& s) {
  auto p = s.GetPayload(kNeutronTypePayload);
  return p ? std::string(*p) : std::string();
}

inline absl::Status BadRequest(const std::string& message) {
  return NeutronError(absl::StatusCode::kInvalidArgument, "BadRequest", message);
}
inline absl::Status InvalidInput(const std::string& message) {
  return NeutronError(absl::StatusCode::kInvalidArgument, "InvalidInput",
                      "Invalid input for operation: " + message);
}
inline absl::Status NotFoundErr(const std::string& type, const std::string& message) {
  return NeutronError(absl::StatusCode::kNotFound, type, message);
}
inline absl::Status Conflict(const std::string& type, const std::string& message) {
  return NeutronError(absl::StatusCode::kFailedPrecondition, type, message);
}
inline absl::Status OverQuota(const std::string& resource) {
  return NeutronError(absl::StatusCode::kResourceExhausted, "OverQuota",
                      "Quota exceeded for resources: ['" + resource + "'].", 409);
}
inline absl::Status Forbidden(const std::string& message) {
  return NeutronError(absl::StatusCode::kPermissionDenied, "PolicyNotAuthorized", message);
}

}  // namespace gureum::network
