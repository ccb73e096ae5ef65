// `gureum user ...` (+ `user password set`) and `gureum group ...` (+ `group add user`,
// `group remove user`), with the openstack CLI's options and columns.
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

const std::vector<std::string> kUserFields = {
    "default_project_id", "description", "domain_id", "email", "enabled", "id", "name", "options",
    "password_expires_at"};
const std::vector<std::string> kGroupFields = {"description", "domain_id", "id", "name"};

json UserJson(const idv1::User& u) {
  json options = json::object();
  if (u.ignore_lockout_failure_attempts()) options["ignore_lockout_failure_attempts"] = true;
  return {{"id", u.id()},
          {"name", u.name()},
          {"domain_id", u.domain_id()},
          {"default_project_id", u.default_project_id()},
          {"description", u.description()},
          {"email", u.email()},
          {"enabled", u.enabled()},
          {"options", options},
          {"password_expires_at", nullptr}};
}

json GroupJson(const idv1::Group& g) {
  return {{"id", g.id()},
          {"name", g.name()},
          {"domain_id", g.domain_id()},
          {"description", g.description()}};
}

json NameRow(const std::string& id, const std::string& name) {
  return {{"ID", id}, {"Name", name}};
}

struct UserArgs {
  std::string name, domain, password, email, description, project, new_name, group, original;
  std::vector<std::string> names;
  bool enable = false, disable = false;
};

// The options `user create` and `user set` share.
void AddUserOptions(CLI::App* cmd, const std::shared_ptr<UserArgs>& args) {
  cmd->add_option("--domain", args->domain, "Domain owning the user (name or ID)");
  cmd->add_option("--password", args->password, "Password");
  cmd->add_option("--email", args->email, "Email address");
  cmd->add_option("--description", args->description, "Description");
  cmd->add_option("--project", args->project, "Default project (name or ID)");
  auto* e = cmd->add_flag("--enable", args->enable, "Enable (default on create)");
  cmd->add_flag("--disable", args->disable, "Disable")->excludes(e);
}

// `user create`
void AddUserCreate(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* create = user->add_subcommand("create", "Create a user");
  create->add_option("name", args->name, "New user name")->required();
  AddUserOptions(create, args);
  OnRun(create, cli, [&cli, args, create](Session& s) -> absl::Status {
    idv1::CreateUserRequest req;
    auto* u = req.mutable_user();
    u->set_name(args->name);
    if (!args->domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*u->mutable_domain_id(), FindDomain(s, args->domain));
    }
    if (!args->project.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*u->mutable_default_project_id(), FindProject(s, args->project));
    }
    u->set_email(args->email);
    u->set_description(args->description);
    if (args->disable) u->set_enabled(false);
    if (create->count("--password")) req.set_password(args->password);
    GUREUM_ASSIGN_OR_RETURN(idv1::User created, s.Call(&IdentityStub::CreateUser, req));
    cli.Show(kUserFields, UserJson(created));
    return absl::OkStatus();
  });
}

// `user list`
void AddUserList(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* list = user->add_subcommand("list", "List users");
  list->add_option("--domain", args->domain, "Only this domain's users (name or ID)");
  list->add_option("--group", args->group, "Only this group's members (name or ID)");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    std::vector<json> rows;
    if (!args->group.empty()) {
      idv1::ListGroupUsersRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_group_id(), FindGroup(s, args->group, args->domain));
      GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListGroupUsers, req));
      for (const auto& u : resp.users()) rows.push_back(NameRow(u.id(), u.name()));
    } else {
      idv1::ListUsersRequest req;
      if (!args->domain.empty()) {
        GUREUM_ASSIGN_OR_RETURN(*req.mutable_domain_id(), FindDomain(s, args->domain));
      }
      GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListUsers, req));
      for (const auto& u : resp.users()) rows.push_back(NameRow(u.id(), u.name()));
    }
    cli.List({"ID", "Name"}, rows);
    return absl::OkStatus();
  });
}

// `user show`
void AddUserShow(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* show = user->add_subcommand("show", "Show a user");
  show->add_option("user", args->name, "User (name or ID)")->required();
  show->add_option("--domain", args->domain, "Domain owning the user (name or ID)");
  OnRun(show, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindUser(s, args->name, args->domain));
    GUREUM_ASSIGN_OR_RETURN(idv1::User u, s.Call(&IdentityStub::GetUser, req));
    cli.Show(kUserFields, UserJson(u));
    return absl::OkStatus();
  });
}

// `user set`
void AddUserSet(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* set = user->add_subcommand("set", "Change a user (--password: an admin's reset)");
  set->add_option("user", args->name, "User (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  AddUserOptions(set, args);
  OnRun(set, cli, [args, set](Session& s) -> absl::Status {
    idv1::UpdateUserRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindUser(s, args->name, args->domain));
    if (set->count("--name")) req.set_name(args->new_name);
    if (set->count("--password")) req.set_password(args->password);
    if (set->count("--email")) req.set_email(args->email);
    if (set->count("--description")) req.set_description(args->description);
    if (set->count("--project")) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_default_project_id(), FindProject(s, args->project));
    }
    if (args->enable || args->disable) req.set_enabled(args->enable);
    return s.Call(&IdentityStub::UpdateUser, req).status();
  });
}

// `user delete`
void AddUserDelete(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* del = user->add_subcommand("delete", "Delete users");
  del->add_option("users", args->names, "Users (names or IDs)")->required();
  del->add_option("--domain", args->domain, "Domain owning the users (name or ID)");
  OnRun(del, cli, [args](Session& s) -> absl::Status {
    for (const std::string& name : args->names) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindUser(s, name, args->domain));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteUser, req).status());
    }
    return absl::OkStatus();
  });
}

// `user password set`
void AddUserPassword(CLI::App* user, Cli& cli, const std::shared_ptr<UserArgs>& args) {
  auto* password = user->add_subcommand("password", "Your own password")->require_subcommand(1);
  auto* pw_set = password->add_subcommand("set", "Change your own password");
  pw_set->add_option("--password", args->password, "New password")->required();
  pw_set->add_option("--original-password", args->original,
                     "Current password (default: "
                     "OS_PASSWORD)");
  OnRun(pw_set, cli, [args](Session& s) -> absl::Status {
    idv1::ChangePasswordRequest req;  // user_id empty: the caller
    req.set_original_password(args->original.empty() ? s.settings().password : args->original);
    req.set_password(args->password);
    return s.Call(&IdentityStub::ChangePassword, req).status();
  });
}

void AddUser(CLI::App& app, Cli& cli) {
  auto* user = app.add_subcommand("user", "Users")->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();
  AddUserCreate(user, cli, args);
  AddUserList(user, cli, args);
  AddUserShow(user, cli, args);
  AddUserSet(user, cli, args);
  AddUserDelete(user, cli, args);
  AddUserPassword(user, cli, args);
}

struct GroupArgs {
  std::string name, domain, description, new_name, user;
  std::vector<std::string> names;
};

// `group create`
void AddGroupCreate(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  auto* create = group->add_subcommand("create", "Create a group");
  create->add_option("name", args->name, "New group name")->required();
  create->add_option("--domain", args->domain, "Domain owning the group (name or ID)");
  create->add_option("--description", args->description, "Description");
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::CreateGroupRequest req;
    req.mutable_group()->set_name(args->name);
    req.mutable_group()->set_description(args->description);
    if (!args->domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_group()->mutable_domain_id(),
                              FindDomain(s, args->domain));
    }
    GUREUM_ASSIGN_OR_RETURN(idv1::Group g, s.Call(&IdentityStub::CreateGroup, req));
    cli.Show(kGroupFields, GroupJson(g));
    return absl::OkStatus();
  });
}

// `group list`
void AddGroupList(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  auto* list = group->add_subcommand("list", "List groups");
  list->add_option("--domain", args->domain, "Only this domain's groups (name or ID)");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::ListGroupsRequest req;
    if (!args->domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_domain_id(), FindDomain(s, args->domain));
    }
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListGroups, req));
    std::vector<json> rows;
    for (const auto& g : resp.groups()) rows.push_back(NameRow(g.id(), g.name()));
    cli.List({"ID", "Name"}, rows);
    return absl::OkStatus();
  });
}

// `group show`
void AddGroupShow(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  auto* show = group->add_subcommand("show", "Show a group");
  show->add_option("group", args->name, "Group (name or ID)")->required();
  show->add_option("--domain", args->domain, "Domain owning the group (name or ID)");
  OnRun(show, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindGroup(s, args->name, args->domain));
    GUREUM_ASSIGN_OR_RETURN(idv1::Group g, s.Call(&IdentityStub::GetGroup, req));
    cli.Show(kGroupFields, GroupJson(g));
    return absl::OkStatus();
  });
}

// `group set`
void AddGroupSet(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  auto* set = group->add_subcommand("set", "Change a group");
  set->add_option("group", args->name, "Group (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  set->add_option("--description", args->description, "New description");
  set->add_option("--domain", args->domain, "Domain owning the group (name or ID)");
  OnRun(set, cli, [args, set](Session& s) -> absl::Status {
    idv1::UpdateGroupRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindGroup(s, args->name, args->domain));
    if (set->count("--name")) req.set_name(args->new_name);
    if (set->count("--description")) req.set_description(args->description);
    return s.Call(&IdentityStub::UpdateGroup, req).status();
  });
}

// `group delete`
void AddGroupDelete(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  auto* del = group->add_subcommand("delete", "Delete groups");
  del->add_option("groups", args->names, "Groups (names or IDs)")->required();
  del->add_option("--domain", args->domain, "Domain owning the groups (name or ID)");
  OnRun(del, cli, [args](Session& s) -> absl::Status {
    for (const std::string& name : args->names) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindGroup(s, name, args->domain));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteGroup, req).status());
    }
    return absl::OkStatus();
  });
}

// `group add user` and `group remove user`
void AddGroupMembers(CLI::App* group, Cli& cli, const std::shared_ptr<GroupArgs>& args) {
  // `group add user GROUP USER...` and `group remove user GROUP USER...`.
  for (bool add : {true, false}) {
    auto* verb = group->add_subcommand(add ? "add" : "remove", add ? "Add members"
                                                                   : "Remove "
                                                                     "members");
    verb->require_subcommand(1);
    auto* cmd =
        verb->add_subcommand("user", add ? "Add users to a group" : "Remove users from a group");
    cmd->add_option("group", args->name, "Group (name or ID)")->required();
    cmd->add_option("users", args->names, "Users (names or IDs)")->required();
    OnRun(cmd, cli, [args, add](Session& s) -> absl::Status {
      idv1::GroupMembershipRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_group_id(), FindGroup(s, args->name));
      for (const std::string& user : args->names) {
        GUREUM_ASSIGN_OR_RETURN(*req.mutable_user_id(), FindUser(s, user));
        GUREUM_RETURN_IF_ERROR(
            s.Call(add ? &IdentityStub::AddUserToGroup : &IdentityStub::RemoveUserFromGroup, req)
                .status());
      }
      return absl::OkStatus();
    });
  }
}

void AddGroup(CLI::App& app, Cli& cli) {
  auto* group = app.add_subcommand("group", "Groups")->require_subcommand(1);
  auto args = std::make_shared<GroupArgs>();
  AddGroupCreate(group, cli, args);
  AddGroupList(group, cli, args);
  AddGroupShow(group, cli, args);
  AddGroupSet(group, cli, args);
  AddGroupDelete(group, cli, args);
  AddGroupMembers(group, cli, args);
}

}  // namespace

void AddUserCommands(CLI::App& app, Cli& cli) {
  AddUser(app, cli);
  AddGroup(app, cli);
}

}  // namespace gureum::cli
