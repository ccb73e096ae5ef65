#include "dashboard/http_identity_client.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace gureum::dashboard {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::map<std::string, std::string> PublicEndpoints(const json& catalog) {
  std::map<std::string, std::string> out;
  if (!catalog.is_array()) return out;
  for (const json& service : catalog) {
    const std::string type = Str(service, "type");
    auto eps = service.find("endpoints");
    if (type.empty() || eps == service.end() || !eps->is_array()) continue;
    for (const json& ep : *eps) {
      if (Str(ep, "interface") == "public" && !Str(ep, "url").empty()) {
        out.emplace(type, Str(ep, "url"));
      }
    }
  }
  return out;
}

absl::Time ParseExpiry(const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  return absl::InfiniteFuture();
}

}  // namespace

absl::Status StatusFromAnswer(const HttpResponse& answer) {
  json j = json::parse(answer.body, nullptr, false);
  std::string message = j.is_object() && j.contains("error") && j["error"].is_object()
                            ? Str(j["error"], "message")
                            : "";
  if (message.empty()) message = absl::StrCat("identity answered HTTP ", answer.status);
  switch (answer.status) {
    case 400:
      return absl::InvalidArgumentError(message);
    case 401:
      return absl::UnauthenticatedError(message);
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    case 409:
      return absl::AlreadyExistsError(message);
    default:
      return absl::UnavailableError(message);
  }
}

absl::StatusOr<Token> ParseTokenAnswer(const HttpResponse& answer) {
  if (answer.status != 201 && answer.status != 200) return StatusFromAnswer(answer);
  json j = json::parse(answer.body, nullptr, false);
  if (!j.is_object() || !j.contains("token") || !j["token"].is_object()) {
    return absl::InternalError("identity's token answer has no token object");
  }
  const json& t = j["token"];
  Token token;
  token.value = answer.Header("X-Subject-Token");
  if (token.value.empty()) return absl::InternalError("identity's answer has no X-Subject-Token");
  if (auto u = t.find("user"); u != t.end() && u->is_object()) {
    token.user_id = Str(*u, "id");
    token.user_name = Str(*u, "name");
    if (auto d = u->find("domain"); d != u->end() && d->is_object()) {
      token.domain_id = Str(*d, "id");
    }
  }
  if (auto p = t.find("project"); p != t.end() && p->is_object()) {
    token.project = {
        Str(*p, "id"), Str(*p, "name"),
        p->contains("domain") && (*p)["domain"].is_object() ? Str((*p)["domain"], "id") : ""};
  }
  if (auto roles = t.find("roles"); roles != t.end() && roles->is_array()) {
    for (const json& r : *roles) token.roles.push_back(Str(r, "name"));
  }
  if (auto c = t.find("catalog"); c != t.end()) token.endpoints = PublicEndpoints(*c);
  token.expires_at = ParseExpiry(Str(t, "expires_at"));
  return token;
}

HttpIdentityClient::HttpIdentityClient(HttpClient& http, std::string identity_url)
    : http_(http),
      base_(absl::StrCat(absl::StripSuffix(absl::StripSuffix(identity_url, "/"), "/v3"), "/v3")) {}

absl::StatusOr<Token> HttpIdentityClient::IssueToken(const std::string& request_body) {
  absl::StatusOr<HttpResponse> answer =
      http_.Send({.method = "POST",
                  .url = base_ + "/auth/tokens",
                  .headers = {{"Content-Type", "application/json"}},
                  .body = request_body});
  if (!answer.ok()) return answer.status();
  return ParseTokenAnswer(*answer);
}

absl::StatusOr<Token> HttpIdentityClient::Login(const Credentials& c) {
  if (!c.application_credential_id.empty()) {
    json credential = {{"id", c.application_credential_id},
                       {"secret", c.application_credential_secret}};
    json identity = {{"methods", {"application_credential"}},
                     {"application_credential", credential}};
    json body = {{"auth", {{"identity", identity}}}};
    return IssueToken(body.dump());
  }
  json user = {{"name", c.user}, {"domain", {{"name", c.domain}}}, {"password", c.password}};
  json identity = {{"methods", {"password"}}, {"password", {{"user", user}}}};
  json body = {{"auth", {{"identity", identity}, {"scope", "unscoped"}}}};
  return IssueToken(body.dump());
}

absl::StatusOr<Token> HttpIdentityClient::ScopeTo(const std::string& token,
                                                  const std::string& project_id) {
  json body = {{"auth",
                {{"identity", {{"methods", {"token"}}, {"token", {{"id", token}}}}},
                 {"scope", {{"project", {{"id", project_id}}}}}}}};
  return IssueToken(body.dump());
}

absl::StatusOr<std::vector<ProjectRef>> HttpIdentityClient::UserProjects(const std::string& token) {
  absl::StatusOr<HttpResponse> answer = http_.Send(
      {.method = "GET", .url = base_ + "/auth/projects", .headers = {{"X-Auth-Token", token}}});
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) return StatusFromAnswer(*answer);
  json j = json::parse(answer->body, nullptr, false);
  std::vector<ProjectRef> out;
  if (!j.is_object() || !j.contains("projects") || !j["projects"].is_array()) return out;
  for (const json& p : j["projects"]) {
    out.push_back({Str(p, "id"), Str(p, "name"), Str(p, "domain_id")});
  }
  return out;
}

absl::Status HttpIdentityClient::Revoke(const std::string& token) {
  absl::StatusOr<HttpResponse> answer =
      http_.Send({.method = "DELETE",
                  .url = base_ + "/auth/tokens",
                  .headers = {{"X-Auth-Token", token}, {"X-Subject-Token", token}}});
  if (!answer.ok()) return answer.status();
  if (answer->status == 204 || answer->status == 200 || answer->status == 404 ||
      answer->status == 401) {
    return absl::OkStatus();  // revoked now, or dead already
  }
  return StatusFromAnswer(*answer);
}

}  // namespace gureum::dashboard
