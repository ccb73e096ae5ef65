#include "common/status/status.h"

#include <catch2/catch.hpp>

#include "common/status/macros.h"

namespace gureum {
namespace {

TEST_CASE("absl codes map to the HTTP codes OpenStack clients expect") {
  REQUIRE(HttpStatusCode(absl::OkStatus()) == 200);
  REQUIRE(HttpStatusCode(absl::InvalidArgumentError("x")) == 400);
  REQUIRE(HttpStatusCode(absl::UnauthenticatedError("x")) == 401);
  REQUIRE(HttpStatusCode(absl::PermissionDeniedError("x")) == 403);
  REQUIRE(HttpStatusCode(absl::NotFoundError("x")) == 404);
  REQUIRE(HttpStatusCode(absl::AlreadyExistsError("x")) == 409);
  REQUIRE(HttpStatusCode(absl::FailedPreconditionError("x")) == 409);
  REQUIRE(HttpStatusCode(absl::ResourceExhaustedError("x")) == 413);
  REQUIRE(HttpStatusCode(absl::UnavailableError("x")) == 503);
  REQUIRE(HttpStatusCode(absl::InternalError("x")) == 500);
  REQUIRE(HttpStatusCode(absl::UnknownError("x")) == 500);
}

TEST_CASE("an explicit HTTP status overrides the default mapping") {
  absl::Status quota =
      WithHttpStatus(absl::ResourceExhaustedError("Quota exceeded for cores"), 403);
  REQUIRE(HttpStatusCode(quota) == 403);
  REQUIRE(quota.code() == absl::StatusCode::kResourceExhausted);
  REQUIRE(quota.message() == "Quota exceeded for cores");
}

TEST_CASE("gRPC round trip keeps code and message") {
  absl::Status in = absl::NotFoundError("Server abc could not be found.");
  grpc::Status g = ToGrpcStatus(in);
  REQUIRE(g.error_code() == grpc::StatusCode::NOT_FOUND);
  REQUIRE(g.error_message() == "Server abc could not be found.");
  REQUIRE(FromGrpcStatus(g) == in);
  REQUIRE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST_CASE("HTTP statuses from peers map back to status codes") {
  REQUIRE(StatusCodeFromHttp(204) == absl::StatusCode::kOk);
  REQUIRE(StatusCodeFromHttp(404) == absl::StatusCode::kNotFound);
  REQUIRE(StatusCodeFromHttp(401) == absl::StatusCode::kUnauthenticated);
  REQUIRE(StatusCodeFromHttp(418) == absl::StatusCode::kInvalidArgument);
  REQUIRE(StatusCodeFromHttp(502) == absl::StatusCode::kInternal);
}

TEST_CASE("error bodies follow each API's envelope") {
  absl::Status nf = absl::NotFoundError("Could not find project: p1.");
  nlohmann::json k = ErrorBody(nf, ErrorStyle::kKeystone);
  REQUIRE(k["error"]["code"] == 404);
  REQUIRE(k["error"]["title"] == "Not Found");
  REQUIRE(k["error"]["message"] == "Could not find project: p1.");

  nlohmann::json n = ErrorBody(nf, ErrorStyle::kNova);
  REQUIRE(n["itemNotFound"]["code"] == 404);
  REQUIRE(ErrorBody(absl::FailedPreconditionError("busy"), ErrorStyle::kNova)
              .contains("conflictingRequest"));

  nlohmann::json q = ErrorBody(nf, ErrorStyle::kNeutron);
  REQUIRE(q["NeutronError"]["type"] == "HTTPNotFound");
  REQUIRE(q["NeutronError"]["message"] == "Could not find project: p1.");
}

absl::StatusOr<int> Half(int x) {
  if (x % 2) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::StatusOr<int> Quarter(int x) {
  GUREUM_ASSIGN_OR_RETURN(int h, Half(x));
  GUREUM_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST_CASE("ASSIGN_OR_RETURN propagates the first error") {
  REQUIRE(*Quarter(8) == 2);
  REQUIRE(Quarter(6).status().message() == "odd");
}

}  // namespace
}  // namespace gureum
