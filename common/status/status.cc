#include "common/status/status.h"

#include <optional>

#include "absl/strings/numbers.h"

namespace gureum {
namespace {

constexpr absl::string_view kHttpStatusPayload = "gureum.dev/http-status";

std::optional<int> HttpOverride(const absl::Status& status) {
  auto payload = status.GetPayload(kHttpStatusPayload);
  int code = 0;
  if (payload && absl::SimpleAtoi(std::string(*payload), &code)) return code;
  return std::nullopt;
}

// Nova's fault names, from nova/api/openstack/wsgi.py (_fault_names).
absl::string_view NovaFaultName(int http) {
  switch (http) {
    case 400:
      return "badRequest";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "itemNotFound";
    case 405:
      return "badMethod";
    case 409:
      return "conflictingRequest";
    case 413:
      return "overLimit";
    case 415:
      return "badMediaType";
    case 429:
      return "overLimit";
    case 501:
      return "notImplemented";
    case 503:
      return "serviceUnavailable";
    default:
      return "computeFault";
  }
}

absl::string_view NeutronType(int http) {
  switch (http) {
    case 400:
      return "HTTPBadRequest";
    case 401:
      return "HTTPUnauthorized";
    case 403:
      return "HTTPForbidden";
    case 404:
      return "HTTPNotFound";
    case 409:
      return "HTTPConflict";
    case 413:
      return "HTTPRequestEntityTooLarge";
    case 503:
      return "HTTPServiceUnavailable";
    default:
      return "HTTPInternalServerError";
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their numbering by design.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

int HttpStatusCode(const absl::Status& status) {
  if (std::optional<int> code = HttpOverride(status)) return *code;
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 413;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

absl::StatusCode StatusCodeFromHttp(int http) {
  if (http >= 200 && http < 400) return absl::StatusCode::kOk;
  switch (http) {
    case 400:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
      return absl::StatusCode::kAlreadyExists;
    case 413:
      return absl::StatusCode::kResourceExhausted;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    case 501:
      return absl::StatusCode::kUnimplemented;
    case 503:
      return absl::StatusCode::kUnavailable;
    case 504:
      return absl::StatusCode::kDeadlineExceeded;
    default:
      return http < 500 ? absl::StatusCode::kInvalidArgument : absl::StatusCode::kInternal;
  }
}

absl::Status WithHttpStatus(absl::Status status, int http_status) {
  status.SetPayload(kHttpStatusPayload, absl::Cord(std::to_string(http_status)));
  return status;
}

absl::string_view HttpReason(int http) {
  switch (http) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 300:
      return "Multiple Choices";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

nlohmann::json ErrorBody(const absl::Status& status, ErrorStyle style) {
  const int http = HttpStatusCode(status);
  const std::string message(status.message());
  switch (style) {
    case ErrorStyle::kKeystone:
      return {{"error", {{"code", http}, {"title", HttpReason(http)}, {"message", message}}}};
    case ErrorStyle::kNova:
      return {{std::string(NovaFaultName(http)), {{"code", http}, {"message", message}}}};
    case ErrorStyle::kNeutron:
      return {
          {"NeutronError", {{"type", NeutronType(http)}, {"message", message}, {"detail", ""}}}};
    case ErrorStyle::kPlain:
      break;
  }
  return {{"error", {{"code", http}, {"title", HttpReason(http)}, {"message", message}}}};
}

}  // namespace gureum
