// SessionManager on the fake identity and the memory store: login, idle expiry on a fake
// clock, project switch, logout revocation, CSRF.
#include "dashboard/session_manager.h"

#include <catch2/catch.hpp>

#include "dashboard/memory_session_store.h"
#include "dashboard/tests/fake_identity_client.h"

namespace gureum::dashboard {
namespace {

struct SessionFixture {
  SessionFixture() {
    identity.AddUser("Default", "alice",
                     {.id = "u-alice",
                      .password = "pw",
                      .projects = {{"p2", "two", "default"}, {"p1", "one", "default"}},
                      .roles = {"member"}});
    identity.AddUser("Default", "nobody", {.id = "u-nobody", .password = "pw"});
    identity.SetEndpoints({{"compute", "http://ctl:8774/v2.1"}});
  }
  FakeIdentityClient identity;
  MemorySessionStore store;
  FakeClock clock;
  SequentialIdGenerator ids;
  SessionManager sessions{{.store = store, .identity = identity, .clock = clock, .ids = ids},
                          {.idle_timeout = absl::Minutes(30)}};
};

TEST_CASE("SessionManager: login scopes to the first project and hides which part was wrong") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(s.ok());
  CHECK(s->scoped.project.id == "p1");  // the first by name
  REQUIRE(s->projects.size() == 2);
  CHECK(s->projects[0].name == "one");
  CHECK(s->scoped.endpoints.at("compute") == "http://ctl:8774/v2.1");
  CHECK(s->id.size() >= 60);
  CHECK(s->csrf_token.size() >= 60);
  CHECK(s->id != s->csrf_token);
  auto chosen = f.sessions.Login({"Default", "alice", "pw"}, "p2");
  REQUIRE(chosen.ok());
  CHECK(chosen->scoped.project.id == "p2");

  auto bad = f.sessions.Login({"Default", "alice", "wrong"}, "");
  CHECK(absl::IsUnauthenticated(bad.status()));
  auto unknown = f.sessions.Login({"Default", "mallory", "pw"}, "");
  CHECK(unknown.status().message() == bad.status().message());
  auto foreign = f.sessions.Login({"Default", "alice", "pw"}, "p9");
  CHECK(absl::IsPermissionDenied(foreign.status()));
}

TEST_CASE("SessionManager: a user without projects gets a session without a scoped token") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "nobody", "pw"}, "");
  REQUIRE(s.ok());
  CHECK(s->scoped.value.empty());
  CHECK(s->projects.empty());
}

TEST_CASE("SessionManager: sessions end after the idle timeout, activity keeps them alive") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(s.ok());
  f.clock.Advance(absl::Minutes(29));
  REQUIRE(f.sessions.Find(s->id).ok());  // restarts the idle clock
  f.clock.Advance(absl::Minutes(29));
  CHECK(f.sessions.IsLive(s->id));
  REQUIRE(f.sessions.Find(s->id).ok());
  f.clock.Advance(absl::Minutes(30));
  CHECK_FALSE(f.sessions.IsLive(s->id));
  CHECK(absl::IsUnauthenticated(f.sessions.Find(s->id).status()));
  // The expired session's tokens were revoked.
  CHECK(f.identity.IsRevoked(s->scoped.value));
  CHECK(f.identity.IsRevoked(s->unscoped.value));
}

TEST_CASE("SessionManager: IsLive does not count as activity") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(s.ok());
  for (int i = 0; i < 4; ++i) {
    f.clock.Advance(absl::Minutes(10));
    f.sessions.IsLive(s->id);
  }
  CHECK(absl::IsUnauthenticated(f.sessions.Find(s->id).status()));
}

TEST_CASE("SessionManager: idle sessions are swept (and revoked) at the next login") {
  SessionFixture f;
  auto old = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(old.ok());
  f.clock.Advance(absl::Hours(1));
  REQUIRE(f.sessions.Login({"Default", "alice", "pw"}, "").ok());
  CHECK(absl::IsNotFound(f.store.Get(old->id).status()));
  CHECK(f.identity.IsRevoked(old->scoped.value));
}

TEST_CASE("SessionManager: logout deletes the session and revokes both tokens") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(s.ok());
  REQUIRE(f.sessions.Logout(s->id).ok());
  CHECK(absl::IsUnauthenticated(f.sessions.Find(s->id).status()));
  CHECK(f.identity.IsRevoked(s->scoped.value));
  CHECK(f.identity.IsRevoked(s->unscoped.value));
  CHECK(f.sessions.Logout(s->id).ok());  // idempotent
  CHECK(f.sessions.Logout("").ok());
}

TEST_CASE("SessionManager: switching projects rescopes and revokes the old scoped token") {
  SessionFixture f;
  auto s = f.sessions.Login({"Default", "alice", "pw"}, "");
  REQUIRE(s.ok());
  auto next = f.sessions.SwitchProject(s->id, "p2");
  REQUIRE(next.ok());
  CHECK(next->scoped.project.id == "p2");
  CHECK(next->id == s->id);
  CHECK(next->csrf_token == s->csrf_token);
  CHECK(f.identity.IsRevoked(s->scoped.value));
  CHECK(f.sessions.Find(s->id)->scoped.project.id == "p2");
  CHECK(absl::IsPermissionDenied(f.sessions.SwitchProject(s->id, "p9").status()));
  CHECK(absl::IsUnauthenticated(f.sessions.SwitchProject("nope", "p1").status()));
}

TEST_CASE("SessionManager: an application credential's session stays in its project") {
  SessionFixture f;
  f.identity.AddAppCredential("ac1", "s3cret", "Default/alice", {"p2", "two", "default"});
  Credentials c{.application_credential_id = "ac1", .application_credential_secret = "s3cret"};
  auto s = f.sessions.Login(c, "");
  REQUIRE(s.ok());
  CHECK(s->scoped.project.id == "p2");
  CHECK(s->scoped.value == s->unscoped.value);
  REQUIRE(s->projects.size() == 1);
  CHECK(absl::IsFailedPrecondition(f.sessions.SwitchProject(s->id, "p1").status()));
  CHECK(absl::IsPermissionDenied(f.sessions.Login(c, "p1").status()));
  c.application_credential_secret = "wrong";
  CHECK(absl::IsUnauthenticated(f.sessions.Login(c, "").status()));
  REQUIRE(f.sessions.Logout(s->id).ok());
  CHECK(f.identity.IsRevoked(s->scoped.value));
}

TEST_CASE("SessionManager: identity outages are not reported as bad passwords") {
  SessionFixture f;
  f.identity.FailNext(absl::UnavailableError("identity down"));
  CHECK(absl::IsUnavailable(f.sessions.Login({"Default", "alice", "pw"}, "").status()));
}

TEST_CASE("SessionManager: the CSRF check wants exactly the session's token") {
  Session s;
  s.csrf_token = "abc123";
  CHECK(SessionManager::CheckCsrf(s, "abc123").ok());
  CHECK(absl::IsPermissionDenied(SessionManager::CheckCsrf(s, "")));
  CHECK(absl::IsPermissionDenied(SessionManager::CheckCsrf(s, "abc124")));
  CHECK(absl::IsPermissionDenied(SessionManager::CheckCsrf(s, "abc1234")));
  Session empty;
  CHECK(absl::IsPermissionDenied(SessionManager::CheckCsrf(empty, "")));
}

}  // namespace
}  // namespace gureum::dashboard
