#include "common/auth/service_token.h"

#include <catch2/catch.hpp>

#include "absl/status/status.h"
#include "common/grpc/client.h"
#include "common/grpc/echo_service.h"
#include "common/grpc/server.h"
#include "common/metrics/metrics.h"

namespace gureum::auth {
namespace {

class ManualClock final : public Clock {
 public:
  absl::Time Now() const override { return now; }
  void SleepFor(absl::Duration d) const override { now += d; }
  mutable absl::Time now = absl::FromUnixSeconds(1'000'000);
};

class CountingSource final : public TokenSource {
 public:
  explicit CountingSource(const Clock& clock) : clock_(clock) {}
  absl::StatusOr<Issued> Issue(const ServiceTokenOptions& o) override {
    last_user = o.username;
    if (!fail.ok()) return fail;
    ++issued;
    return Issued{"token-" + std::to_string(issued), clock_.Now() + absl::Hours(1)};
  }
  int issued = 0;
  std::string last_user;
  absl::Status fail;

 private:
  const Clock& clock_;
};

TEST_CASE("ServiceToken authenticates once and reuses the token until close to expiry", "[auth]") {
  ManualClock clock;
  CountingSource source(clock);
  ServiceToken token({.username = "scheduler", .password = "pw"}, source, clock);
  REQUIRE(*token.Get() == "token-1");
  REQUIRE(source.last_user == "scheduler");
  clock.now += absl::Minutes(50);
  REQUIRE(*token.Get() == "token-1");
  clock.now += absl::Minutes(6);  // 4 minutes left: renewed
  REQUIRE(*token.Get() == "token-2");
  REQUIRE(source.issued == 2);
}

TEST_CASE("ServiceToken: Invalidate forces a new authentication", "[auth]") {
  ManualClock clock;
  CountingSource source(clock);
  ServiceToken token({.username = "agent", .password = "pw"}, source, clock);
  REQUIRE(*token.Get() == "token-1");
  token.Invalidate();
  REQUIRE(*token.Get() == "token-2");
}

TEST_CASE("ServiceToken: identity failing keeps a still-valid token, else reports", "[auth]") {
  ManualClock clock;
  CountingSource source(clock);
  ServiceToken token({.username = "agent", .password = "pw"}, source, clock);
  source.fail = absl::UnavailableError("identity is down");
  REQUIRE(token.Get().status().code() == absl::StatusCode::kUnavailable);
  source.fail = absl::OkStatus();
  REQUIRE(*token.Get() == "token-1");
  clock.now += absl::Minutes(57);  // renewal due, identity down: the old token still serves
  source.fail = absl::UnavailableError("identity is down");
  REQUIRE(*token.Get() == "token-1");
  clock.now += absl::Minutes(4);  // expired
  REQUIRE_FALSE(token.Get().ok());
}

TEST_CASE("ServiceToken::Create rejects missing credentials", "[auth]") {
  REQUIRE(ServiceToken::Create({.identity_grpc = "localhost:1"}).status().code() ==
          absl::StatusCode::kInvalidArgument);
}

TEST_CASE("CallAsService: a 401 forgets the token and the call is made once more", "[auth]") {
  // A callee that accepts only the second token issued (the first was "revoked").
  grpcx::CallEnv env;
  metrics::Metrics metrics("echo");
  env.metrics = &metrics;
  std::vector<std::string> seen;
  env.auth = [&](const std::string& t) -> absl::StatusOr<Caller> {
    seen.push_back(t);
    if (t != "token-2") return absl::UnauthenticatedError("The token is not valid.");
    return Caller{};
  };
  grpcx::EchoService service(env);
  auto server = grpcx::Server::Start({.listen_address = "127.0.0.1:0"}, {&service});
  REQUIRE(server.ok());
  auto stub =
      echo::v1::Echo::NewStub(grpcx::MakeChannel("127.0.0.1:" + std::to_string((*server)->port())));

  ManualClock clock;
  CountingSource source(clock);
  ServiceToken token({.username = "agent", .password = "pw"}, source, clock);
  echo::v1::EchoRequest req;
  req.set_message("hi");
  echo::v1::EchoResponse resp;
  auto call = [&](grpc::ClientContext& ctx) { return stub->Echo(&ctx, req, &resp); };
  REQUIRE(CallAsService(&token, absl::Seconds(5), call).ok());
  CHECK(resp.message() == "hi");
  CHECK(seen == std::vector<std::string>{"token-1", "token-2"});
  CHECK(source.issued == 2);

  // A token the callee keeps refusing: one retry, then the error, not a loop.
  env.auth = [](const std::string&) -> absl::StatusOr<Caller> {
    return absl::UnauthenticatedError("The token is not valid.");
  };
  CHECK(CallAsService(&token, absl::Seconds(5), call).code() == absl::StatusCode::kUnauthenticated);
  CHECK(source.issued == 3);
  // No token at all (a test host): the call goes out bare.
  CHECK(CallAsService(nullptr, absl::Seconds(5), call).code() ==
        absl::StatusCode::kUnauthenticated);
  (*server)->Shutdown(absl::Seconds(1));
}

}  // namespace
}  // namespace gureum::auth
