// How every Gureum service authenticates its callers: tokens are verified in-process
// with identity's public keys (no request waits on identity), against a revocation list
// kept fresh two ways: events pushed on the identity.revocations AMQP fanout (applied
// within milliseconds), and a periodic fetch from identity (which also picks up rotated
// keys, and catches up after a missed message or a restart).
//
//   auto authn = TokenAuthenticator::Create(fetcher, RealClock::Get(), {});
//   env.auth = [&](const std::string& token) { return authn->Authenticate(token); };
//   consumer handler: authn->Apply(ParseRevocationEvent(body))
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/keys.h"
#include "common/auth/revocation.h"
#include "common/auth/verifier.h"
#include "common/base/caller.h"
#include "common/base/clock.h"

namespace gureum::auth {

// Where the keys and the revocation events come from (identity's gRPC API in
// production, see identity_fetcher.h; a fake in tests).
class KeyFetcher {
 public:
  virtual ~KeyFetcher() = default;
  virtual absl::StatusOr<std::vector<PublicKey>> FetchPublicKeys() = 0;
  virtual absl::StatusOr<std::vector<RevocationEvent>> FetchRevocationEvents(absl::Time since) = 0;
};

struct AuthenticatorOptions {
  absl::Duration refresh_interval = absl::Seconds(30);
  absl::Duration max_token_life = absl::Hours(1);  // how long events must be kept
};

class TokenAuthenticator {
 public:
  // Fetches keys and events once; Unavailable if identity cannot be reached (callers
  // retry at start-up). `fetcher` and `clock` must outlive the authenticator.
  static absl::StatusOr<std::unique_ptr<TokenAuthenticator>> Create(KeyFetcher& fetcher,
                                                                    const Clock& clock,
                                                                    AuthenticatorOptions options);
  ~TokenAuthenticator();

  // Starts the periodic refresh on a background thread.
  void StartRefresh();

  // The caller a valid token names, or Unauthenticated(kAuthRequired).
  absl::StatusOr<Caller> Authenticate(const std::string& token) const;
  absl::StatusOr<TokenClaims> Verify(const std::string& token) const;

  // Applies a pushed revocation event (from the AMQP fanout).
  void Apply(const RevocationEvent& event);

  // One refresh now: keys and events since the last refresh (minus a margin).
  absl::Status Refresh();

 private:
  TokenAuthenticator(KeyFetcher& fetcher, const Clock& clock, AuthenticatorOptions options);

  KeyFetcher& fetcher_;
  const Clock& clock_;
  const AuthenticatorOptions options_;
  RevocationList revocations_;
  TokenVerifier verifier_;
  absl::Mutex mu_;
  absl::Time last_fetch_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Notification stop_;
  std::thread refresher_;
};

// The Caller a token's claims describe.
Caller CallerFromClaims(const TokenClaims& claims);

// The JSON form of revocation events on the identity.revocations fanout.
std::string RevocationEventToJson(const RevocationEvent& event);
absl::StatusOr<RevocationEvent> RevocationEventFromJson(const std::string& json);

// The fanout exchange identity publishes revocation events to.
inline constexpr char kRevocationExchange[] = "identity.revocations";

}  // namespace gureum::auth
