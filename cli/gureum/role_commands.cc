// `gureum role ...`: roles (create, list, show, set, delete), grants (`role add`,
// `role remove` with --user/--group and --project/--domain/--system [--inherited]) and
// `role assignment list`, with the openstack CLI's options and columns.
#include <map>

#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

const std::vector<std::string> kRoleFields = {"description", "domain_id", "id", "name"};

json RoleJson(const idv1::Role& r) {
  return {{"id", r.id()},
          {"name", r.name()},
          {"description", r.description()},
          {"domain_id", r.domain_id().empty() ? json(nullptr) : json(r.domain_id())}};
}

// The actor and target options of `role add`, `role remove` and `role assignment list`.
struct GrantArgs {
  std::string role, user, group, project, domain, user_domain, project_domain;
  bool system = false, inherited = false, names = false, effective = false;

  void AddOptions(CLI::App* cmd) {
    cmd->add_option("--user", user, "User (name or ID)");
    cmd->add_option("--group", group, "Group (name or ID)");
    cmd->add_option("--project", project, "Project (name or ID)");
    cmd->add_option("--domain", domain, "Domain (name or ID)");
    cmd->add_option("--user-domain", user_domain, "Domain of --user/--group (name or ID)");
    cmd->add_option("--project-domain", project_domain, "Domain of --project (name or ID)");
    cmd->add_flag("--system", system, "System scope (all)");
    cmd->add_flag("--inherited", inherited, "Inherited by the target's sub-projects");
  }

  // Fills the ids of `grant` from the given names (the role is filled by the caller).
  absl::Status Resolve(Session& s, idv1::RoleGrant* grant) const {
    if (!user.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*grant->mutable_user_id(), FindUser(s, user, user_domain));
    }
    if (!group.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*grant->mutable_group_id(), FindGroup(s, group, user_domain));
    }
    if (!project.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*grant->mutable_project_id(),
                              FindProject(s, project, project_domain));
    }
    if (!domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*grant->mutable_domain_id(), FindDomain(s, domain));
    }
    grant->set_system(system);
    grant->set_inherited(inherited);
    return absl::OkStatus();
  }
};

// "name@domain" as openstack prints names in role assignment listings.
class DomainNames {
 public:
  explicit DomainNames(Session& s) : s_(s) {}
  std::string Qualify(const std::string& name, const std::string& domain_id) {
    if (name.empty()) return "";
    auto it = names_.find(domain_id);
    if (it == names_.end()) {
      idv1::GetRequest req;
      req.set_id(domain_id);
      auto d = s_.Call(&IdentityStub::GetDomain, req);
      it = names_.emplace(domain_id, d.ok() ? d->name() : domain_id).first;
    }
    return name + "@" + it->second;
  }

 private:
  Session& s_;
  std::map<std::string, std::string> names_;
};

void AddAssignmentList(CLI::App* role, Cli& cli) {
  auto* assignment = role->add_subcommand("assignment", "Role assignments")->require_subcommand(1);
  auto* list = assignment->add_subcommand("list", "List role assignments");
  auto args = std::make_shared<GrantArgs>();
  args->AddOptions(list);
  list->add_option("--role", args->role, "Role (name or ID)");
  list->add_flag("--names", args->names, "Show names instead of IDs");
  list->add_flag("--effective", args->effective, "Expand groups, inheritance, implied roles");
  OnRun(list, cli, [&cli, args, list](Session& s) -> absl::Status {
    idv1::RoleGrant ids;
    GUREUM_RETURN_IF_ERROR(args->Resolve(s, &ids));
    idv1::ListRoleAssignmentsRequest req;
    req.set_user_id(ids.user_id());
    req.set_group_id(ids.group_id());
    req.set_project_id(ids.project_id());
    req.set_domain_id(ids.domain_id());
    req.set_system(args->system);
    if (list->count("--inherited")) req.set_inherited(true);
    if (!args->role.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_role_id(), FindRole(s, args->role));
    }
    req.set_effective(args->effective);
    req.set_include_names(args->names);
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListRoleAssignments, req));
    DomainNames domains(s);
    std::vector<json> rows;
    for (const idv1::RoleAssignment& a : resp.role_assignments()) {
      const idv1::RoleGrant& g = a.grant();
      json row = {{"Role", g.role_id()},       {"User", g.user_id()},
                  {"Group", g.group_id()},     {"Project", g.project_id()},
                  {"Domain", g.domain_id()},   {"System", g.system() ? "all" : ""},
                  {"Inherited", g.inherited()}};
      if (args->names) {
        row["Role"] = a.role_name();
        row["User"] = domains.Qualify(a.user_name(), a.user_domain_id());
        row["Group"] = domains.Qualify(a.group_name(), a.group_domain_id());
        row["Project"] = domains.Qualify(a.project_name(), a.project_domain_id());
        row["Domain"] = a.domain_name();
      }
      rows.push_back(std::move(row));
    }
    cli.List({"Role", "User", "Group", "Project", "Domain", "System", "Inherited"}, rows);
    return absl::OkStatus();
  });
}

void AddGrantCommands(CLI::App* role, Cli& cli) {
  for (bool add : {true, false}) {
    auto* cmd =
        role->add_subcommand(add ? "add" : "remove", add ? "Grant a role" : "Revoke a role");
    auto args = std::make_shared<GrantArgs>();
    cmd->add_option("role", args->role, "Role (name or ID)")->required();
    args->AddOptions(cmd);
    OnRun(cmd, cli, [args, add](Session& s) -> absl::Status {
      if (args->user.empty() == args->group.empty()) {
        return absl::InvalidArgumentError("give exactly one of --user and --group");
      }
      if ((!args->project.empty()) + (!args->domain.empty()) + args->system != 1) {
        return absl::InvalidArgumentError("give exactly one of --project, --domain and --system");
      }
      idv1::RoleGrant grant;
      GUREUM_ASSIGN_OR_RETURN(*grant.mutable_role_id(), FindRole(s, args->role));
      GUREUM_RETURN_IF_ERROR(args->Resolve(s, &grant));
      return s.Call(add ? &IdentityStub::GrantRole : &IdentityStub::RevokeRole, grant).status();
    });
  }
}

}  // namespace

void AddRoleCommands(CLI::App& app, Cli& cli) {
  auto* role = app.add_subcommand("role", "Roles, grants and role assignments");
  role->require_subcommand(1);
  struct Args {
    std::string name, description, new_name;
    std::vector<std::string> names;
  };
  auto args = std::make_shared<Args>();

  auto* create = role->add_subcommand("create", "Create a role");
  create->add_option("name", args->name, "New role name")->required();
  create->add_option("--description", args->description, "Description");
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::CreateRoleRequest req;
    req.mutable_role()->set_name(args->name);
    req.mutable_role()->set_description(args->description);
    GUREUM_ASSIGN_OR_RETURN(idv1::Role r, s.Call(&IdentityStub::CreateRole, req));
    cli.Show(kRoleFields, RoleJson(r));
    return absl::OkStatus();
  });

  OnRun(role->add_subcommand("list", "List roles"), cli, [&cli](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListRoles, {}));
    std::vector<json> rows;
    for (const auto& r : resp.roles()) rows.push_back({{"ID", r.id()}, {"Name", r.name()}});
    cli.List({"ID", "Name"}, rows);
    return absl::OkStatus();
  });

  auto* show = role->add_subcommand("show", "Show a role");
  show->add_option("role", args->name, "Role (name or ID)")->required();
  OnRun(show, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindRole(s, args->name));
    GUREUM_ASSIGN_OR_RETURN(idv1::Role r, s.Call(&IdentityStub::GetRole, req));
    cli.Show(kRoleFields, RoleJson(r));
    return absl::OkStatus();
  });

  auto* set = role->add_subcommand("set", "Change a role");
  set->add_option("role", args->name, "Role (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  set->add_option("--description", args->description, "New description");
  OnRun(set, cli, [args, set](Session& s) -> absl::Status {
    idv1::UpdateRoleRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindRole(s, args->name));
    if (set->count("--name")) req.set_name(args->new_name);
    if (set->count("--description")) req.set_description(args->description);
    return s.Call(&IdentityStub::UpdateRole, req).status();
  });

  auto* del = role->add_subcommand("delete", "Delete roles");
  del->add_option("roles", args->names, "Roles (names or IDs)")->required();
  OnRun(del, cli, [args](Session& s) -> absl::Status {
    for (const std::string& name : args->names) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindRole(s, name));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteRole, req).status());
    }
    return absl::OkStatus();
  });

  AddGrantCommands(role, cli);
  AddAssignmentList(role, cli);
}

}  // namespace gureum::cli
