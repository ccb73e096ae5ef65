// IdentityManager authentication and tokens: methods, scopes, lockout, expiry, tampering,
// application credentials, revocation events and key rotation.
#include <catch2/catch.hpp>

#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

struct World {
  explicit World(IdentityStore& store) : env(store) {
    IdentityManager& m = *env.manager;
    admin = m.roles().CreateRole(Admin(), {"", "admin"})->id;
    member = m.roles().CreateRole(Admin(), {"", "member"})->id;
    reader = m.roles().CreateRole(Admin(), {"", "reader"})->id;
    REQUIRE(m.roles().CreateImpliedRole(Admin(), admin, member).ok());
    REQUIRE(m.roles().CreateImpliedRole(Admin(), member, reader).ok());
    project = m.projects().CreateProject(Admin(), Project{"", "demo"})->id;
    other = m.projects().CreateProject(Admin(), Project{"", "other"})->id;
    User u{"", "alice"};
    u.default_project_id = project;
    user = m.users().CreateUser(Admin(), u, std::string("secret"))->id;
    REQUIRE(m.assignments().Grant(Admin(), {member, user, "", project, "", false, false}).ok());
  }
  ManagerEnv env;
  std::string admin, member, reader, project, other, user;
};

TEST_CASE("auth: password methods and scopes") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;

  SECTION("by id, default project scope") {
    auto t = m.auth().Authenticate(PasswordById(w.user, "secret"));
    REQUIRE(t.ok());
    CHECK(t->data.claims.project_id == w.project);
    CHECK(t->data.project->name == "demo");
    CHECK(t->data.user_domain.name == "Default");
    CHECK(t->data.claims.methods == std::vector<std::string>{"password"});
    CHECK(t->data.claims.expires_at - t->data.claims.issued_at == absl::Hours(1));
    CHECK(t->data.roles.size() == 2);  // member + implied reader
  }
  SECTION("by name and domain name, project by name") {
    AuthRequest r = PasswordByName("alice", "Default", "secret");
    r.scope.kind = ScopeKind::kProject;
    r.scope.project_name = "demo";
    r.scope.project_domain_name = "Default";
    auto t = m.auth().Authenticate(r);
    REQUIRE(t.ok());
    CHECK(t->data.claims.project_id == w.project);
  }
  SECTION("explicitly unscoped") {
    AuthRequest r = PasswordById(w.user, "secret");
    r.scope.kind = ScopeKind::kUnscoped;
    auto t = m.auth().Authenticate(r);
    REQUIRE(t.ok());
    CHECK(t->data.claims.unscoped());
    CHECK(t->data.roles.empty());
  }
  SECTION("no role on the project, domain or system -> 401") {
    AuthRequest r = PasswordById(w.user, "secret");
    r.scope = ProjectScope(w.other);
    CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
    r.scope.kind = ScopeKind::kDomain;
    r.scope.domain_id = "default";
    CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
    r.scope.kind = ScopeKind::kSystem;
    CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
  }
  SECTION("domain and system scopes with roles") {
    REQUIRE(
        m.assignments().Grant(Admin(), {w.reader, w.user, "", "", "default", false, false}).ok());
    REQUIRE(m.assignments().Grant(Admin(), {w.admin, w.user, "", "", "", true, false}).ok());
    AuthRequest r = PasswordById(w.user, "secret");
    r.scope.kind = ScopeKind::kDomain;
    r.scope.domain_name = "Default";
    auto d = m.auth().Authenticate(r);
    REQUIRE(d.ok());
    CHECK(d->data.claims.domain_id == "default");
    CHECK(d->data.domain->name == "Default");
    r.scope.kind = ScopeKind::kSystem;
    auto s = m.auth().Authenticate(r);
    REQUIRE(s.ok());
    CHECK(s->data.claims.system);
    CHECK(s->data.roles.size() == 3);
  }
  SECTION("disabled project or user -> 401") {
    ProjectUpdate off;
    off.enabled = false;
    REQUIRE(m.projects().UpdateProject(Admin(), w.project, off).ok());
    AuthRequest r = PasswordById(w.user, "secret");
    r.scope = ProjectScope(w.project);
    CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
    UserUpdate uoff;
    uoff.enabled = false;
    REQUIRE(m.users().UpdateUser(Admin(), w.user, uoff).ok());
    CHECK(absl::IsUnauthenticated(m.auth().Authenticate(PasswordById(w.user, "secret")).status()));
  }
}

TEST_CASE("auth: wrong password and unknown user look the same, lockout") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto wrong = m.auth().Authenticate(PasswordById(w.user, "nope"));
  auto unknown = m.auth().Authenticate(PasswordById("no-such-user", "nope"));
  auto unknown_name = m.auth().Authenticate(PasswordByName("mallory", "Default", "nope"));
  REQUIRE(absl::IsUnauthenticated(wrong.status()));
  CHECK(wrong.status() == unknown.status());
  CHECK(wrong.status() == unknown_name.status());

  // One failure so far for alice; the third locks her out (lockout_failure_attempts 3),
  // and then even the right password is refused, with the same message.
  CHECK(!m.auth().Authenticate(PasswordById(w.user, "nope")).ok());
  CHECK(!m.auth().Authenticate(PasswordById(w.user, "nope")).ok());
  auto locked = m.auth().Authenticate(PasswordById(w.user, "secret"));
  CHECK(locked.status() == wrong.status());
  w.env.clock.Advance(absl::Minutes(6));  // lockout_duration 5m
  REQUIRE(m.auth().Authenticate(PasswordById(w.user, "secret")).ok());
  // Success reset the count: two more failures do not lock.
  CHECK(!m.auth().Authenticate(PasswordById(w.user, "x")).ok());
  CHECK(!m.auth().Authenticate(PasswordById(w.user, "x")).ok());
  REQUIRE(m.auth().Authenticate(PasswordById(w.user, "secret")).ok());

  // Exempt users are never locked.
  UserUpdate exempt;
  exempt.options = UserOptions{true};
  REQUIRE(m.users().UpdateUser(Admin(), w.user, exempt).ok());
  for (int i = 0; i < 5; ++i) CHECK(!m.auth().Authenticate(PasswordById(w.user, "x")).ok());
  CHECK(m.auth().Authenticate(PasswordById(w.user, "secret")).ok());
}

TEST_CASE("tokens: validate, expire, tamper, revoke, re-scope") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  AuthRequest unscoped = PasswordById(w.user, "secret");
  unscoped.scope.kind = ScopeKind::kUnscoped;
  auto t = m.auth().Authenticate(unscoped);
  REQUIRE(t.ok());
  REQUIRE(m.tokens().ValidateToken(t->token).ok());

  AuthRequest rescope;
  rescope.methods = {"token"};
  rescope.token = t->token;
  rescope.scope = ProjectScope(w.project);
  auto scoped = m.auth().Authenticate(rescope);
  REQUIRE(scoped.ok());
  CHECK(scoped->data.claims.audit_chain == std::vector<std::string>{t->data.claims.audit_id});
  CHECK(scoped->data.claims.expires_at == t->data.claims.expires_at);
  CHECK(scoped->data.claims.methods == std::vector<std::string>{"password", "token"});
  CHECK(scoped->data.catalog.empty());

  std::string tampered = t->token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(tampered).status()));
  CHECK(absl::IsNotFound(m.tokens().RevokeToken(Admin(), tampered)));

  // Revoking the parent also ends the token re-scoped from it.
  REQUIRE(m.tokens().RevokeToken(Admin(), t->token).ok());
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t->token).status()));
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(scoped->token).status()));
  REQUIRE(w.env.sink.events().size() == 1);
  CHECK(w.env.sink.events()[0].audit_id == t->data.claims.audit_id);

  auto fresh = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(fresh.ok());
  w.env.clock.Advance(absl::Hours(1));
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(fresh->token).status()));
  // A restarted manager reloads the persisted revocation of the first token.
  w.env.clock.Advance(-absl::Hours(1));
  auto again = w.env.Restart();
  CHECK(absl::IsUnauthenticated(again->tokens().ValidateToken(t->token).status()));
  CHECK(again->tokens().ValidateToken(fresh->token).ok());
}

TEST_CASE("revocations: disable, delete, password change, assignment and project") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto token = [&] {
    auto t = m.auth().Authenticate(PasswordById(w.user, "secret"));
    REQUIRE(t.ok());
    w.env.clock.Advance(absl::Seconds(1));  // events cut off at "issued at or before"
    return t->token;
  };

  SECTION("password change by the user") {
    std::string t = token();
    CHECK(absl::IsUnauthenticated(m.users().ChangePassword(Self(w.user), w.user, "wrong", "new")));
    REQUIRE(m.users().ChangePassword(Self(w.user), w.user, "secret", "new").ok());
    CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t).status()));
    CHECK(w.env.sink.events().back().user_id == w.user);
    w.env.clock.Advance(absl::Seconds(1));
    CHECK(m.auth().Authenticate(PasswordById(w.user, "new")).ok());
    CHECK(!m.auth().Authenticate(PasswordById(w.user, "secret")).ok());
  }
  SECTION("role assignment removed: user+project event") {
    std::string t = token();
    REQUIRE(
        m.assignments().Revoke(Admin(), {w.member, w.user, "", w.project, "", false, false}).ok());
    CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t).status()));
    auto e = w.env.sink.events().back();
    CHECK(e.user_id == w.user);
    CHECK(e.project_id == w.project);
  }
  SECTION("project disabled: project event") {
    std::string t = token();
    ProjectUpdate off;
    off.enabled = false;
    REQUIRE(m.projects().UpdateProject(Admin(), w.project, off).ok());
    CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t).status()));
    CHECK(w.env.sink.events().back().project_id == w.project);
    CHECK(w.env.sink.events().back().user_id.empty());
    auto listed = m.tokens().ListRevocationEvents(absl::InfinitePast());
    REQUIRE(listed.ok());
    CHECK(listed->size() == 1);
  }
  SECTION("user disabled, then deleted") {
    std::string t = token();
    UserUpdate off;
    off.enabled = false;
    REQUIRE(m.users().UpdateUser(Admin(), w.user, off).ok());
    CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t).status()));
    REQUIRE(m.users().DeleteUser(Admin(), w.user).ok());
    CHECK(w.env.sink.events().size() == 2);
  }
  SECTION("group grant removed: each member") {
    auto g = m.users().CreateGroup(Admin(), Group{"", "devs"});
    auto bob = m.users().CreateUser(Admin(), User{"", "bob"}, std::string("pw"));
    REQUIRE(m.users().AddUserToGroup(Admin(), bob->id, g->id).ok());
    REQUIRE(m.assignments().Grant(Admin(), {w.member, "", g->id, w.other, "", false, false}).ok());
    AuthRequest r = PasswordById(bob->id, "pw");
    r.scope = ProjectScope(w.other);
    auto t = m.auth().Authenticate(r);
    REQUIRE(t.ok());
    w.env.clock.Advance(absl::Seconds(1));
    REQUIRE(m.assignments().Revoke(Admin(), {w.member, "", g->id, w.other, "", false, false}).ok());
    CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(t->token).status()));
    CHECK(w.env.sink.events().back().user_id == bob->id);
  }
}

TEST_CASE("application credentials: a 900 KB or NUL name is refused (issue 16, hole 9)") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto t = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(t.ok());
  ApplicationCredentialCreate req;
  req.user_id = w.user;
  req.roles = {{"", "reader"}};
  for (const std::string& name : {std::string(900 * 1024, 'c'), std::string("c\0i", 3)}) {
    req.name = name;
    absl::Status s = m.app_credentials().CreateApplicationCredential(t->data.claims, req).status();
    CHECK(absl::IsInvalidArgument(s));
    CHECK(s.message().find("SQLSTATE") == absl::string_view::npos);
  }
  req.name = "ci";
  req.description = std::string(65536, 'd');
  CHECK(absl::IsInvalidArgument(
      m.app_credentials().CreateApplicationCredential(t->data.claims, req).status()));
}

TEST_CASE("application credentials") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto t = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(t.ok());
  const auth::TokenClaims& caller = t->data.claims;

  ApplicationCredentialCreate req;
  req.user_id = w.user;
  req.name = "ci";
  req.roles = {{"", "reader"}};
  auto created = m.app_credentials().CreateApplicationCredential(caller, req);
  REQUIRE(created.ok());
  CHECK(!created->secret.empty());
  CHECK(created->credential.project_id == w.project);
  CHECK(
      absl::IsAlreadyExists(m.app_credentials().CreateApplicationCredential(caller, req).status()));
  ApplicationCredentialCreate too_much = req;
  too_much.name = "x";
  too_much.roles = {{"", "admin"}};
  CHECK(absl::IsPermissionDenied(
      m.app_credentials().CreateApplicationCredential(caller, too_much).status()));
  ApplicationCredentialCreate other_user = req;
  other_user.user_id = "someone";
  CHECK(absl::IsPermissionDenied(
      m.app_credentials().CreateApplicationCredential(caller, other_user).status()));

  AuthRequest r;
  r.methods = {"application_credential"};
  r.application_credential =
      ApplicationCredentialMethod{created->credential.id, "", {}, created->secret};
  auto ct = m.auth().Authenticate(r);
  REQUIRE(ct.ok());
  CHECK(ct->data.claims.project_id == w.project);
  REQUIRE(ct->data.roles.size() == 1);
  CHECK(ct->data.roles[0].name == "reader");
  CHECK(ct->data.application_credential->name == "ci");

  // By name + user name, and a wrong secret.
  r.application_credential =
      ApplicationCredentialMethod{"", "ci", {"", "alice", "default", ""}, created->secret};
  CHECK(m.auth().Authenticate(r).ok());
  r.application_credential->secret = "wrong";
  CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));

  // App-cred tokens cannot create credentials or be re-scoped.
  ApplicationCredentialCreate again = req;
  again.name = "nested";
  CHECK(absl::IsPermissionDenied(
      m.app_credentials().CreateApplicationCredential(ct->data.claims, again).status()));
  AuthRequest rescope;
  rescope.methods = {"token"};
  rescope.token = ct->token;
  CHECK(absl::IsUnauthenticated(m.auth().Authenticate(rescope).status()));

  // Deleting the credential ends the tokens made from it.
  w.env.clock.Advance(absl::Seconds(1));
  REQUIRE(m.app_credentials()
              .DeleteApplicationCredential(Admin(), w.user, created->credential.id)
              .ok());
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(ct->token).status()));
  CHECK(m.app_credentials().ListApplicationCredentials(Admin(), w.user, std::nullopt)->empty());
  // Revoked by audit id for the other services (which verify tokens themselves); the
  // user's password token on that project lives on.
  std::vector<auth::RevocationEvent> published = w.env.sink.events();
  bool revoked = false;
  for (const auth::RevocationEvent& e : published) {
    revoked = revoked || e.audit_id == ct->data.claims.audit_id;
    CHECK(e.user_id.empty());
  }
  CHECK(revoked);
  CHECK(m.tokens().ValidateToken(t->token).ok());

  ApplicationCredentialCreate expiring = req;
  expiring.name = "short";
  expiring.expires_at = w.env.clock.Now() + absl::Minutes(10);
  auto e = m.app_credentials().CreateApplicationCredential(caller, expiring);
  REQUIRE(e.ok());
  r.application_credential = ApplicationCredentialMethod{e->credential.id, "", {}, e->secret};
  auto et = m.auth().Authenticate(r);
  REQUIRE(et.ok());
  CHECK(et->data.claims.expires_at == *expiring.expires_at);
  w.env.clock.Advance(absl::Minutes(11));
  CHECK(absl::IsUnauthenticated(m.auth().Authenticate(r).status()));
}

TEST_CASE("keys: rotation keeps old tokens valid while the old key is kept") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto old_token = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(old_token.ok());
  auth::KeyPair k1 = w.env.keys.Load()->front();
  auth::KeyPair k2 = auth::GenerateKeyPair("k2");
  w.env.keys.Set({k2, k1});
  REQUIRE(m.tokens().ReloadKeys().ok());
  CHECK(m.tokens().PublicKeys().size() == 2);
  CHECK(m.tokens().ValidateToken(old_token->token).ok());
  auto new_token = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(new_token.ok());
  CHECK(new_token->data.claims.key_id == "k2");
  w.env.keys.Set({k2});
  REQUIRE(m.tokens().ReloadKeys().ok());
  CHECK(absl::IsUnauthenticated(m.tokens().ValidateToken(old_token->token).status()));
  CHECK(m.tokens().ValidateToken(new_token->token).ok());
}

}  // namespace
}  // namespace gureum::identity::testing

namespace gureum::identity::testing {
namespace {

TEST_CASE("revocations: events older than the token lifetime are purged") {
  auto h = NewStoreHolder();
  World w(h->store());
  IdentityManager& m = *w.env.manager;
  auto token = m.auth().Authenticate(PasswordById(w.user, "secret"));
  REQUIRE(token.ok());
  w.env.clock.Advance(absl::Seconds(1));
  REQUIRE(m.tokens().RevokeToken(Admin(), token->token).ok());
  REQUIRE(m.tokens().ListRevocationEvents(absl::InfinitePast())->size() == 1);
  REQUIRE(m.tokens().revocations().size() == 1);

  // Within the lifetime the event stays: the token could still be presented.
  w.env.clock.Advance(w.env.options.token_expiration - absl::Minutes(1));
  REQUIRE(m.tokens().PurgeExpiredRevocations().ok());
  REQUIRE(m.tokens().ListRevocationEvents(absl::InfinitePast())->size() == 1);
  REQUIRE_FALSE(m.tokens().ValidateToken(token->token).ok());

  // After it, the token is expired anyway and the event is dropped everywhere.
  w.env.clock.Advance(absl::Minutes(2));
  REQUIRE(m.tokens().PurgeExpiredRevocations().ok());
  REQUIRE(m.tokens().ListRevocationEvents(absl::InfinitePast())->empty());
  REQUIRE(m.tokens().revocations().size() == 0);
  REQUIRE_FALSE(m.tokens().ValidateToken(token->token).ok());
}

}  // namespace
}  // namespace gureum::identity::testing
