#include "common/auth/service_token.h"

#include <catch2/catch.hpp>

#include "absl/status/status.h"

namespace gureum::auth {
namespace {

class ManualClock final : public Clock {
 public:
  absl::Time Now() const override { return now; }
  absl::Time now = absl::FromUnixSeconds(1'000'000);
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

TEST_CASE("ServiceToken authenticates once and reuses the token until close to expiry",
          "[auth]") {
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

}  // namespace
}  // namespace gureum::auth
