// Test harness for the identity REST adapter: a real IdentityManager (over the store the
// binary's NewStoreHolder gives: in-memory or PostgreSQL), bootstrapped with an admin,
// served by the real http::Server on 127.0.0.1 port 0, driven with httplib::Client.
#pragma once

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "identity/identity_policy.h"
#include "identity/identity_rest.h"
#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  httplib::Headers headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string ErrorMessage() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
};

inline constexpr char kAdminPassword[] = "s3cret-admin";

class RestEnv {
 public:
  RestEnv()
      : holder_(NewStoreHolder()),
        env_(holder_->store(), /*lockout_attempts=*/0),
        metrics_("identity") {
    BootstrapOptions b;
    b.admin_password = kAdminPassword;
    b.public_url_host = "ctl";
    auto booted = env_.manager->Bootstrap(b);
    REQUIRE(booted.ok());
    boot = *booted;
    auto enforcer = policy::Enforcer::Create(IdentityPolicyDefaults());
    REQUIRE(enforcer.ok());
    enforcer_ = *std::move(enforcer);
    IdentityRestOptions options;
    options.public_url = "http://ctl:5000";
    rest_ = std::make_unique<IdentityRest>(*env_.manager, *enforcer_, options);
    http::ServerOptions server_options = IdentityRest::ServerOptions("127.0.0.1", 0, &metrics_);
    server_options.expose_metrics_on_api = true;  // the /metrics test reads it here
    server_ = std::make_unique<http::Server>(server_options);
    rest_->Register(*server_);
    auto port = server_->Start();
    REQUIRE(port.ok());
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  ~RestEnv() { server_->Stop(); }

  IdentityManager& manager() { return *env_.manager; }
  int port() const { return port_; }
  FakeClock& clock() { return env_.clock; }
  StaticKeySource& keys() { return env_.keys; }

  Reply Send(const std::string& method, const std::string& path, const std::string& token,
             const std::optional<json>& body = std::nullopt, httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("X-Auth-Token", token);
    std::string payload = body ? body->dump() : "";
    httplib::Result r =
        method == "GET"      ? client_->Get(path, headers)
        : method == "HEAD"   ? client_->Head(path, headers)
        : method == "DELETE" ? client_->Delete(path, headers)
        : method == "POST"   ? client_->Post(path, headers, payload, "application/json")
        : method == "PUT"    ? client_->Put(path, headers, payload, "application/json")
                             : client_->Patch(path, headers, payload, "application/json");
    REQUIRE(r);
    Reply reply;
    reply.status = r->status;
    reply.raw = r->body;
    reply.headers = r->headers;
    if (!r->body.empty()) reply.body = json::parse(r->body, nullptr, false);
    return reply;
  }
  Reply Get(const std::string& path, const std::string& token) { return Send("GET", path, token); }
  Reply Head(const std::string& path, const std::string& token) {
    return Send("HEAD", path, token);
  }
  Reply Delete(const std::string& path, const std::string& token) {
    return Send("DELETE", path, token);
  }
  Reply Post(const std::string& path, const std::string& token, const json& body) {
    return Send("POST", path, token, body);
  }
  Reply Put(const std::string& path, const std::string& token, const json& body = json::object()) {
    return Send("PUT", path, token, body);
  }
  Reply Patch(const std::string& path, const std::string& token, const json& body) {
    return Send("PATCH", path, token, body);
  }
  // Raw body (invalid JSON, huge bodies).
  Reply PostRaw(const std::string& path, const std::string& token, const std::string& body) {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("X-Auth-Token", token);
    auto r = client_->Post(path, headers, body, "application/json");
    REQUIRE(r);
    Reply reply;
    reply.status = r->status;
    reply.raw = r->body;
    reply.body = json::parse(r->body, nullptr, false);
    return reply;
  }

  // The body of POST /v3/auth/tokens for a password login by name in domain Default.
  static json PasswordAuth(const std::string& user, const std::string& password,
                           const json& scope = nullptr) {
    json auth = {
        {"identity",
         {{"methods", {"password"}},
          {"password",
           {{"user",
             {{"name", user}, {"domain", {{"name", "Default"}}}, {"password", password}}}}}}}};
    if (!scope.is_null()) auth["scope"] = scope;
    return {{"auth", auth}};
  }
  static json ProjectScope(const std::string& project_id) {
    return {{"project", {{"id", project_id}}}};
  }
  static json SystemScope() { return {{"system", {{"all", true}}}}; }
  static json DomainScope(const std::string& domain_id) {
    return {{"domain", {{"id", domain_id}}}};
  }

  // Logs in and returns the X-Subject-Token; fails the test unless 201.
  std::string Login(const std::string& user, const std::string& password,
                    const json& scope = nullptr) {
    Reply r = Post("/v3/auth/tokens", "", PasswordAuth(user, password, scope));
    INFO(r.raw);
    REQUIRE(r.status == 201);
    return r.Header("X-Subject-Token");
  }
  // The admin-openrc token: admin, project-scoped to the admin project.
  std::string AdminToken() {
    return Login("admin", kAdminPassword, ProjectScope(boot.admin_project_id));
  }
  std::string SystemAdminToken() { return Login("admin", kAdminPassword, SystemScope()); }

  // Direct set-up through the manager (tests exercise the REST side separately).
  std::string MakeProject(const std::string& name, const std::string& domain_id = "default") {
    Project p;
    p.name = name;
    p.domain_id = domain_id;
    auto created = manager().projects().CreateProject(Admin(), p);
    REQUIRE(created.ok());
    return created->id;
  }
  std::string MakeUser(const std::string& name, const std::string& password,
                       const std::string& domain_id = "default") {
    User u;
    u.name = name;
    u.domain_id = domain_id;
    auto created = manager().users().CreateUser(Admin(), u, password);
    REQUIRE(created.ok());
    return created->id;
  }
  std::string RoleId(const std::string& name) {
    ListFilter f;
    f.name = name;
    f.domain_id = "";
    auto roles = manager().roles().ListRoles(Admin(), f);
    REQUIRE(roles.ok());
    REQUIRE(roles->size() == 1);
    return roles->front().id;
  }
  void GrantProject(const std::string& role, const std::string& user_id,
                    const std::string& project_id) {
    RoleAssignment a;
    a.role_id = RoleId(role);
    a.user_id = user_id;
    a.project_id = project_id;
    REQUIRE(manager().assignments().Grant(Admin(), a).ok());
  }
  void GrantDomain(const std::string& role, const std::string& user_id,
                   const std::string& domain_id) {
    RoleAssignment a;
    a.role_id = RoleId(role);
    a.user_id = user_id;
    a.domain_id = domain_id;
    REQUIRE(manager().assignments().Grant(Admin(), a).ok());
  }
  void GrantSystem(const std::string& role, const std::string& user_id) {
    RoleAssignment a;
    a.role_id = RoleId(role);
    a.user_id = user_id;
    a.system = true;
    REQUIRE(manager().assignments().Grant(Admin(), a).ok());
  }
  // A user with `role` on a new or given project, and their project-scoped token.
  std::string UserToken(const std::string& name, const std::string& role,
                        const std::string& project_id, std::string* user_id = nullptr) {
    std::string id = MakeUser(name, name + "-pw");
    GrantProject(role, id, project_id);
    if (user_id != nullptr) *user_id = id;
    return Login(name, name + "-pw", ProjectScope(project_id));
  }

  BootstrapResult boot;

 private:
  std::unique_ptr<StoreHolder> holder_;
  ManagerEnv env_;
  metrics::Metrics metrics_;
  std::unique_ptr<policy::Enforcer> enforcer_;
  std::unique_ptr<IdentityRest> rest_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
};

}  // namespace gureum::identity::testing
