// `gureum project ...` and `gureum domain ...`: create, list, show, set, delete, with the
// openstack CLI's options and columns.
#include <optional>

#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

const std::vector<std::string> kProjectFields = {"description", "domain_id", "enabled",   "id",
                                                 "is_domain",   "name",      "parent_id", "tags"};
const std::vector<std::string> kDomainFields = {"description", "enabled", "id", "name"};

json ProjectJson(const idv1::Project& p) {
  return {{"id", p.id()},
          {"name", p.name()},
          {"domain_id", p.domain_id()},
          // Keystone shows a top-level project's parent as its domain.
          {"parent_id", p.parent_id().empty() ? p.domain_id() : p.parent_id()},
          {"description", p.description()},
          {"enabled", p.enabled()},
          {"is_domain", false},
          {"tags", std::vector<std::string>(p.tags().begin(), p.tags().end())}};
}

json DomainJson(const idv1::Domain& d) {
  return {{"id", d.id()},
          {"name", d.name()},
          {"description", d.description()},
          {"enabled", d.enabled()}};
}

// --enable / --disable: unset unless one is given.
struct EnableFlags {
  bool enable = false, disable = false;
  void Add(CLI::App* cmd) {
    auto* e = cmd->add_flag("--enable", enable, "Enable (default on create)");
    cmd->add_flag("--disable", disable, "Disable")->excludes(e);
  }
  std::optional<bool> Value() const {
    if (enable) return true;
    if (disable) return false;
    return std::nullopt;
  }
};

struct ProjectArgs {
  std::string name, domain, parent, description, new_name;
  std::vector<std::string> tags, names;
  EnableFlags enabled;
};

// `project create`
void AddProjectCreate(CLI::App* project, Cli& cli, const std::shared_ptr<ProjectArgs>& args) {
  auto* create = project->add_subcommand("create", "Create a project");
  create->add_option("name", args->name, "New project name")->required();
  create->add_option("--domain", args->domain, "Domain owning the project (name or ID)");
  create->add_option("--parent", args->parent, "Parent project (name or ID)");
  create->add_option("--description", args->description, "Project description");
  create->add_option("--tag", args->tags, "Tag (repeatable)");
  args->enabled.Add(create);
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::CreateProjectRequest req;
    auto* p = req.mutable_project();
    p->set_name(args->name);
    p->set_description(args->description);
    if (!args->domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*p->mutable_domain_id(), FindDomain(s, args->domain));
    }
    if (!args->parent.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*p->mutable_parent_id(), FindProject(s, args->parent, args->domain));
    }
    if (auto e = args->enabled.Value()) p->set_enabled(*e);
    for (const std::string& t : args->tags) p->add_tags(t);
    GUREUM_ASSIGN_OR_RETURN(idv1::Project created, s.Call(&IdentityStub::CreateProject, req));
    cli.Show(kProjectFields, ProjectJson(created));
    return absl::OkStatus();
  });
}

// `project list`
void AddProjectList(CLI::App* project, Cli& cli, const std::shared_ptr<ProjectArgs>& args) {
  auto* list = project->add_subcommand("list", "List projects");
  list->add_option("--domain", args->domain, "Only this domain's projects (name or ID)");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::ListProjectsRequest req;
    if (!args->domain.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_domain_id(), FindDomain(s, args->domain));
    }
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListProjects, req));
    std::vector<json> rows;
    for (const auto& p : resp.projects()) rows.push_back({{"ID", p.id()}, {"Name", p.name()}});
    cli.List({"ID", "Name"}, rows);
    return absl::OkStatus();
  });
}

// `project show`
void AddProjectShow(CLI::App* project, Cli& cli, const std::shared_ptr<ProjectArgs>& args) {
  auto* show = project->add_subcommand("show", "Show a project");
  show->add_option("project", args->name, "Project (name or ID)")->required();
  show->add_option("--domain", args->domain, "Domain owning the project (name or ID)");
  OnRun(show, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindProject(s, args->name, args->domain));
    GUREUM_ASSIGN_OR_RETURN(idv1::Project p, s.Call(&IdentityStub::GetProject, req));
    cli.Show(kProjectFields, ProjectJson(p));
    return absl::OkStatus();
  });
}

// `project set`
void AddProjectSet(CLI::App* project, Cli& cli, const std::shared_ptr<ProjectArgs>& args) {
  auto* set = project->add_subcommand("set", "Change a project");
  set->add_option("project", args->name, "Project (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  set->add_option("--description", args->description, "New description");
  set->add_option("--domain", args->domain, "Domain owning the project (name or ID)");
  set->add_option("--tag", args->tags, "Replace the tags with these (repeatable)");
  args->enabled.Add(set);
  OnRun(set, cli, [args, set](Session& s) -> absl::Status {
    idv1::UpdateProjectRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindProject(s, args->name, args->domain));
    if (set->count("--name")) req.set_name(args->new_name);
    if (set->count("--description")) req.set_description(args->description);
    if (auto e = args->enabled.Value()) req.set_enabled(*e);
    if (set->count("--tag")) {
      for (const std::string& t : args->tags) req.mutable_tags()->add_values(t);
    }
    return s.Call(&IdentityStub::UpdateProject, req).status();
  });
}

// `project delete`
void AddProjectDelete(CLI::App* project, Cli& cli, const std::shared_ptr<ProjectArgs>& args) {
  auto* del = project->add_subcommand("delete", "Delete projects");
  del->add_option("projects", args->names, "Projects (names or IDs)")->required();
  del->add_option("--domain", args->domain, "Domain owning the projects (name or ID)");
  OnRun(del, cli, [args](Session& s) -> absl::Status {
    for (const std::string& name : args->names) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindProject(s, name, args->domain));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteProject, req).status());
    }
    return absl::OkStatus();
  });
}

void AddProject(CLI::App& app, Cli& cli) {
  auto* project = app.add_subcommand("project", "Projects")->require_subcommand(1);
  auto args = std::make_shared<ProjectArgs>();
  AddProjectCreate(project, cli, args);
  AddProjectList(project, cli, args);
  AddProjectShow(project, cli, args);
  AddProjectSet(project, cli, args);
  AddProjectDelete(project, cli, args);
}

void AddDomain(CLI::App& app, Cli& cli) {
  auto* domain = app.add_subcommand("domain", "Domains")->require_subcommand(1);
  struct Args {
    std::string name, description, new_name;
    std::vector<std::string> names;
    EnableFlags enabled;
  };
  auto args = std::make_shared<Args>();

  auto* create = domain->add_subcommand("create", "Create a domain");
  create->add_option("name", args->name, "New domain name")->required();
  create->add_option("--description", args->description, "Domain description");
  args->enabled.Add(create);
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::CreateDomainRequest req;
    req.mutable_domain()->set_name(args->name);
    req.mutable_domain()->set_description(args->description);
    if (auto e = args->enabled.Value()) req.mutable_domain()->set_enabled(*e);
    GUREUM_ASSIGN_OR_RETURN(idv1::Domain d, s.Call(&IdentityStub::CreateDomain, req));
    cli.Show(kDomainFields, DomainJson(d));
    return absl::OkStatus();
  });

  OnRun(domain->add_subcommand("list", "List domains"), cli, [&cli](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListDomains, {}));
    std::vector<json> rows;
    for (const auto& d : resp.domains()) {
      rows.push_back({{"ID", d.id()},
                      {"Name", d.name()},
                      {"Enabled", d.enabled()},
                      {"Description", d.description()}});
    }
    cli.List({"ID", "Name", "Enabled", "Description"}, rows);
    return absl::OkStatus();
  });

  auto* show = domain->add_subcommand("show", "Show a domain");
  show->add_option("domain", args->name, "Domain (name or ID)")->required();
  OnRun(show, cli, [&cli, args](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindDomain(s, args->name));
    GUREUM_ASSIGN_OR_RETURN(idv1::Domain d, s.Call(&IdentityStub::GetDomain, req));
    cli.Show(kDomainFields, DomainJson(d));
    return absl::OkStatus();
  });

  auto* set = domain->add_subcommand("set", "Change a domain");
  set->add_option("domain", args->name, "Domain (name or ID)")->required();
  set->add_option("--name", args->new_name, "New name");
  set->add_option("--description", args->description, "New description");
  args->enabled.Add(set);
  OnRun(set, cli, [args, set](Session& s) -> absl::Status {
    idv1::UpdateDomainRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindDomain(s, args->name));
    if (set->count("--name")) req.set_name(args->new_name);
    if (set->count("--description")) req.set_description(args->description);
    if (auto e = args->enabled.Value()) req.set_enabled(*e);
    return s.Call(&IdentityStub::UpdateDomain, req).status();
  });

  auto* del = domain->add_subcommand("delete", "Delete domains (disable them first)");
  del->add_option("domains", args->names, "Domains (names or IDs)")->required();
  OnRun(del, cli, [args](Session& s) -> absl::Status {
    for (const std::string& name : args->names) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindDomain(s, name));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteDomain, req).status());
    }
    return absl::OkStatus();
  });
}

}  // namespace

void AddProjectCommands(CLI::App& app, Cli& cli) {
  AddProject(app, cli);
  AddDomain(app, cli);
}

}  // namespace gureum::cli
