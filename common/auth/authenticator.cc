#include "common/auth/authenticator.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace gureum::auth {

// Events may be committed at identity a little before the fetch that should include
// them reads; fetching from a bit before the last fetch closes that gap (applying an
// event twice is harmless).
static constexpr absl::Duration kFetchOverlap = absl::Seconds(10);

TokenAuthenticator::TokenAuthenticator(KeyFetcher& fetcher, const Clock& clock,
                                       AuthenticatorOptions options)
    : fetcher_(fetcher), clock_(clock), options_(options), verifier_(clock, revocations_) {}

absl::StatusOr<std::unique_ptr<TokenAuthenticator>> TokenAuthenticator::Create(
    KeyFetcher& fetcher, const Clock& clock, AuthenticatorOptions options) {
  auto authn = std::unique_ptr<TokenAuthenticator>(new TokenAuthenticator(fetcher, clock, options));
  absl::Status s = authn->Refresh();
  if (!s.ok()) return s;
  return authn;
}

TokenAuthenticator::~TokenAuthenticator() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (refresher_.joinable()) refresher_.join();
}

void TokenAuthenticator::StartRefresh() {
  refresher_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.refresh_interval)) {
      absl::Status s = Refresh();
      if (!s.ok())
        spdlog::warn("refreshing identity keys and revocations failed: {}", s.ToString());
    }
  });
}

absl::Status TokenAuthenticator::Refresh() {
  absl::Time since;
  {
    absl::MutexLock lock(&mu_);
    since = last_fetch_ == absl::InfinitePast() ? clock_.Now() - options_.max_token_life
                                                : last_fetch_ - kFetchOverlap;
  }
  absl::Time started = clock_.Now();
  absl::StatusOr<std::vector<PublicKey>> keys = fetcher_.FetchPublicKeys();
  if (!keys.ok()) return keys.status();
  if (keys->empty()) return absl::UnavailableError("identity published no public keys");
  absl::StatusOr<std::vector<RevocationEvent>> events = fetcher_.FetchRevocationEvents(since);
  if (!events.ok()) return events.status();
  verifier_.SetPublicKeys(*keys);
  for (const RevocationEvent& e : *events) revocations_.Add(e);
  revocations_.Expire(started, options_.max_token_life);
  absl::MutexLock lock(&mu_);
  last_fetch_ = started;
  return absl::OkStatus();
}

void TokenAuthenticator::Apply(const RevocationEvent& event) { revocations_.Add(event); }

absl::StatusOr<TokenClaims> TokenAuthenticator::Verify(const std::string& token) const {
  return verifier_.Verify(token);
}

absl::StatusOr<Caller> TokenAuthenticator::Authenticate(const std::string& token) const {
  absl::StatusOr<TokenClaims> claims = verifier_.Verify(token);
  if (!claims.ok()) return claims.status();
  return CallerFromClaims(*claims);
}

Caller CallerFromClaims(const TokenClaims& c) {
  Caller caller;
  caller.user_id = c.user_id;
  caller.user_name = c.user_name;
  caller.domain_id = c.user_domain_id;
  caller.project_id = c.project_id;
  caller.project_domain_id = c.project_domain_id;
  caller.is_admin_project = c.is_admin_project;
  caller.scope_domain_id = c.domain_id;
  caller.system_scope = c.system;
  caller.roles = c.roles;
  caller.audit_id = c.audit_id;
  return caller;
}

std::string RevocationEventToJson(const RevocationEvent& e) {
  nlohmann::json j = {{"audit_id", e.audit_id},
                      {"user_id", e.user_id},
                      {"project_id", e.project_id},
                      {"issued_before_us", absl::ToUnixMicros(e.issued_before)},
                      {"revoked_at_us", absl::ToUnixMicros(e.revoked_at)}};
  return j.dump();
}

absl::StatusOr<RevocationEvent> RevocationEventFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("revocation event is not a JSON object");
  }
  RevocationEvent e;
  try {
    e.audit_id = j.value("audit_id", "");
    e.user_id = j.value("user_id", "");
    e.project_id = j.value("project_id", "");
    e.issued_before = absl::FromUnixMicros(j.value("issued_before_us", int64_t{0}));
    e.revoked_at = absl::FromUnixMicros(j.value("revoked_at_us", int64_t{0}));
  } catch (const nlohmann::json::exception& ex) {
    return absl::InvalidArgumentError(std::string("malformed revocation event: ") + ex.what());
  }
  if (e.audit_id.empty() && e.user_id.empty() && e.project_id.empty()) {
    return absl::InvalidArgumentError("revocation event names no token, user or project");
  }
  return e;
}

}  // namespace gureum::auth
