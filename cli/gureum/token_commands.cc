// `gureum token issue|revoke` and `gureum application credential create|list|show|
// delete`, with the openstack CLI's columns.
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/gureum/commands.h"
#include "cli/gureum/resolve.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

const std::vector<std::string> kCredentialFields = {
    "description", "expires_at", "id",     "name",         "project_id",
    "roles",       "secret",     "system", "unrestricted", "user_id"};

json CredentialJson(const idv1::ApplicationCredential& c) {
  std::vector<std::string> roles;
  for (const auto& r : c.roles()) roles.push_back(r.name());
  const int64_t expires = c.expires_at_unix_us();
  return {{"id", c.id()},
          {"name", c.name()},
          {"description", c.description()},
          {"project_id", c.project_id()},
          {"user_id", c.user_id()},
          {"expires_at", expires == 0 ? json(nullptr) : json(UnixMicrosText(expires))},
          {"roles", absl::StrJoin(roles, " ")},
          {"system", nullptr},
          {"unrestricted", c.unrestricted()}};
}

// ISO 8601 as openstack's --expiration takes it ("2026-01-01T00:00:00", Z or an offset).
absl::StatusOr<absl::Time> ParseExpiration(const std::string& text) {
  for (const char* format :
       {"%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S"}) {
    absl::Time t;
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &t, nullptr)) return t;
  }
  return absl::InvalidArgumentError("--expiration: not an ISO 8601 time: " + text);
}

absl::StatusOr<std::string> FindCredential(Session& s, const std::string& value) {
  Resolver r{"application credential",
             [&s](const std::string& id) {
               idv1::ApplicationCredentialRequest req;
               req.set_id(id);
               return s.Call(&IdentityStub::GetApplicationCredential, req).status();
             },
             [&s](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListApplicationCredentialsRequest req;
               req.set_name(name);
               GUREUM_ASSIGN_OR_RETURN(auto resp,
                                       s.Call(&IdentityStub::ListApplicationCredentials, req));
               std::vector<std::string> ids;
               for (const auto& c : resp.application_credentials()) ids.push_back(c.id());
               return ids;
             }};
  return ResolveId(r, value);
}

void AddToken(CLI::App& app, Cli& cli) {
  auto* token = app.add_subcommand("token", "Tokens")->require_subcommand(1);
  OnRun(token->add_subcommand("issue", "Issue a token"), cli, [&cli](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, s.Token());
    const idv1::TokenInfo& info = s.auth().info();
    cli.Show({"expires", "id", "project_id", "user_id"},
             {{"expires", UnixMicrosText(info.expires_at_unix_us())},
              {"id", id},
              {"project_id", info.project_id()},
              {"user_id", info.user_id()}});
    return absl::OkStatus();
  });
  auto revoked = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("token", *revoked, "The token to revoke")->required();
  OnRun(revoke, cli, [revoked](Session& s) -> absl::Status {
    idv1::RevokeTokenRequest req;
    req.set_token(*revoked);
    return s.Call(&IdentityStub::RevokeToken, req).status();
  });
}

void AddCredential(CLI::App& app, Cli& cli) {
  auto* application = app.add_subcommand("application", "Application credentials");
  application->require_subcommand(1);
  auto* credential = application->add_subcommand("credential", "Application credentials");
  credential->require_subcommand(1);
  struct Args {
    std::string name, secret, expiration, description;
    std::vector<std::string> roles, names;
    bool unrestricted = false;
  };
  auto a = std::make_shared<Args>();

  auto* create = credential->add_subcommand("create", "Create an application credential");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--secret", a->secret, "Secret (default: generated)");
  create->add_option("--role", a->roles, "Role to delegate (repeatable; default: all yours)");
  create->add_option("--expiration", a->expiration, "Expiry, e.g. 2026-12-31T00:00:00");
  create->add_option("--description", a->description, "Description");
  create->add_flag("--unrestricted", a->unrestricted, "May create further credentials");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    idv1::CreateApplicationCredentialRequest req;  // user_id empty: the caller
    req.set_name(a->name);
    req.set_secret(a->secret);
    req.set_description(a->description);
    req.set_unrestricted(a->unrestricted);
    if (!a->expiration.empty()) {
      GUREUM_ASSIGN_OR_RETURN(absl::Time t, ParseExpiration(a->expiration));
      req.set_expires_at_unix_us(absl::ToUnixMicros(t));
    }
    for (const std::string& r : a->roles) req.add_roles()->set_name(r);
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::CreateApplicationCredential, req));
    json out = CredentialJson(resp.credential());
    out["secret"] = resp.secret();
    cli.Show(kCredentialFields, out);
    return absl::OkStatus();
  });

  OnRun(credential->add_subcommand("list", "List your application credentials"), cli,
        [&cli](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListApplicationCredentials, {}));
          std::vector<json> rows;
          for (const auto& c : resp.application_credentials()) {
            json j = CredentialJson(c);
            rows.push_back({{"ID", c.id()},
                            {"Name", c.name()},
                            {"Project ID", c.project_id()},
                            {"Description", c.description()},
                            {"Expires At", j["expires_at"]}});
          }
          cli.List({"ID", "Name", "Project ID", "Description", "Expires At"}, rows);
          return absl::OkStatus();
        });

  auto* show = credential->add_subcommand("show", "Show an application credential");
  show->add_option("credential", a->name, "Application credential (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    idv1::ApplicationCredentialRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindCredential(s, a->name));
    GUREUM_ASSIGN_OR_RETURN(auto c, s.Call(&IdentityStub::GetApplicationCredential, req));
    json out = CredentialJson(c);
    out.erase("secret");
    std::vector<std::string> fields = kCredentialFields;
    fields.erase(std::find(fields.begin(), fields.end(), "secret"));
    cli.Show(fields, out);
    return absl::OkStatus();
  });

  auto* del = credential->add_subcommand("delete", "Delete application credentials");
  del->add_option("credentials", a->names, "Application credentials (names or IDs)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& name : a->names) {
      idv1::ApplicationCredentialRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindCredential(s, name));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteApplicationCredential, req).status());
    }
    return absl::OkStatus();
  });
}

}  // namespace

void AddTokenCommands(CLI::App& app, Cli& cli) {
  AddToken(app, cli);
  AddCredential(app, cli);
}

}  // namespace gureum::cli
