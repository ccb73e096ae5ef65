// absl::Status is the error type across every Gureum interface. This file holds the
// only two mappings out of it (the early-return macros are in macros.h): to gRPC status codes, and
// to HTTP status codes with the JSON error bodies the OpenStack clients parse.
#pragma once

#include <string>

#include <grpcpp/support/status.h>
#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gureum {

// ---- gRPC ----
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// ---- HTTP ----

// The HTTP status for `status`: InvalidArgument/OutOfRange 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, AlreadyExists/Aborted/FailedPrecondition 409,
// ResourceExhausted 413, Unimplemented 501, Unavailable 503, DeadlineExceeded 504, and
// 500 for the rest. An override attached with WithHttpStatus wins (Nova answers an
// exceeded quota with 403, Glance with 413: same code, different API).
int HttpStatusCode(const absl::Status& status);

// Maps an HTTP status from a peer back into a status code (for REST clients).
absl::StatusCode StatusCodeFromHttp(int http_status);

// Returns `status` with an explicit HTTP status attached.
absl::Status WithHttpStatus(absl::Status status, int http_status);

// The JSON error envelopes of the OpenStack APIs.
enum class ErrorStyle {
  kKeystone,  // {"error":{"code":401,"title":"Unauthorized","message":"..."}}
  kNova,      // {"itemNotFound":{"code":404,"message":"..."}}  (Nova, Cinder)
  kNeutron,   // {"NeutronError":{"type":"HTTPNotFound","message":"...","detail":""}}
  kPlain,     // {"error":{"code":404,"message":"..."}}  (Glance and Gureum-only APIs)
};
nlohmann::json ErrorBody(const absl::Status& status, ErrorStyle style);

// The reason phrase of an HTTP status ("Not Found").
absl::string_view HttpReason(int http_status);

}  // namespace gureum
