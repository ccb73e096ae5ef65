#include "cli/gureum/commands.h"

#include <iostream>

#include "absl/time/time.h"
#include "cli/gureum/resolve.h"
#include "common/status/macros.h"

namespace gureum::cli {

void Cli::Show(const std::vector<std::string>& fields, const json& object) const {
  PrintShow(std::cout, format, fields, object, columns);
}

void Cli::List(const std::vector<std::string>& headers, const std::vector<json>& rows) const {
  PrintList(std::cout, format, headers, rows, columns);
}

void OnRun(CLI::App* cmd, Cli& cli, std::function<absl::Status(Session&)> body) {
  cmd->callback([&cli, body = std::move(body)] {
    if (!cli.session) {
      auto made = cli.make_session();
      if (!made.ok()) {
        cli.status = made.status();
        return;
      }
      cli.session = *std::move(made);
    }
    cli.status = body(*cli.session);
  });
}

std::string UnixMicrosText(int64_t unix_us) {
  if (unix_us == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%z", absl::FromUnixMicros(unix_us),
                          absl::UTCTimeZone());
}

namespace {

// A `get` for Resolver from a Get RPC taking a GetRequest.
template <typename Resp>
std::function<absl::Status(const std::string&)> GetById(
    Session& s,
    grpc::Status (IdentityStub::*method)(grpc::ClientContext*, const idv1::GetRequest&, Resp*)) {
  return [&s, method](const std::string& id) {
    idv1::GetRequest req;
    req.set_id(id);
    return s.Call(method, req).status();
  };
}

// The ids of `items` (a repeated field of messages with id()).
template <typename Items>
std::vector<std::string> Ids(const Items& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id());
  return ids;
}

// `domain` resolved, or "" when not given.
absl::StatusOr<std::string> OptionalDomain(Session& s, const std::string& domain) {
  if (domain.empty()) return std::string();
  return FindDomain(s, domain);
}

}  // namespace

absl::StatusOr<std::string> FindDomain(Session& s, const std::string& value) {
  Resolver r{"domain", GetById(s, &IdentityStub::GetDomain),
             [&s](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListDomainsRequest req;
               req.set_name(name);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListDomains, req));
               return Ids(resp.domains());
             }};
  return ResolveId(r, value);
}

absl::StatusOr<std::string> FindProject(Session& s, const std::string& value,
                                        const std::string& domain) {
  GUREUM_ASSIGN_OR_RETURN(std::string domain_id, OptionalDomain(s, domain));
  Resolver r{"project", GetById(s, &IdentityStub::GetProject),
             [&](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListProjectsRequest req;
               req.set_name(name);
               req.set_domain_id(domain_id);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListProjects, req));
               return Ids(resp.projects());
             }};
  return ResolveId(r, value);
}

absl::StatusOr<std::string> FindUser(Session& s, const std::string& value,
                                     const std::string& domain) {
  GUREUM_ASSIGN_OR_RETURN(std::string domain_id, OptionalDomain(s, domain));
  Resolver r{"user", GetById(s, &IdentityStub::GetUser),
             [&](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListUsersRequest req;
               req.set_name(name);
               req.set_domain_id(domain_id);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListUsers, req));
               return Ids(resp.users());
             }};
  return ResolveId(r, value);
}

absl::StatusOr<std::string> FindGroup(Session& s, const std::string& value,
                                      const std::string& domain) {
  GUREUM_ASSIGN_OR_RETURN(std::string domain_id, OptionalDomain(s, domain));
  Resolver r{"group", GetById(s, &IdentityStub::GetGroup),
             [&](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListGroupsRequest req;
               req.set_name(name);
               req.set_domain_id(domain_id);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListGroups, req));
               return Ids(resp.groups());
             }};
  return ResolveId(r, value);
}

absl::StatusOr<std::string> FindRole(Session& s, const std::string& value) {
  Resolver r{"role", GetById(s, &IdentityStub::GetRole),
             [&s](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListRolesRequest req;
               req.set_name(name);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListRoles, req));
               return Ids(resp.roles());
             }};
  return ResolveId(r, value);
}

absl::StatusOr<std::string> FindService(Session& s, const std::string& value) {
  // openstack's `service show` also accepts a type; so do we.
  Resolver r{"service", GetById(s, &IdentityStub::GetService),
             [&s](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
               idv1::ListServicesRequest by_name;
               by_name.set_name(name);
               GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListServices, by_name));
               if (resp.services_size() == 0) {
                 idv1::ListServicesRequest by_type;
                 by_type.set_type(name);
                 GUREUM_ASSIGN_OR_RETURN(resp, s.Call(&IdentityStub::ListServices, by_type));
               }
               return Ids(resp.services());
             }};
  return ResolveId(r, value);
}

}  // namespace gureum::cli
