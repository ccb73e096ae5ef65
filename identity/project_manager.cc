#include "identity/project_manager.h"

#include <algorithm>
#include <set>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {

ProjectManager::ProjectManager(const ManagerDeps& deps)
    : store_(deps.store),
      ids_(deps.ids),
      options_(deps.options),
      validation_cache_(deps.validation_cache),
      revocations_(deps.revocations),
      access_(deps.access) {}

// ---- domains ----

absl::StatusOr<Domain> ProjectManager::CreateDomain(const Caller& caller, Domain domain) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_domain", caller));
  GUREUM_RETURN_IF_ERROR(CheckShortName(domain.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(domain.description));
  if (domain.id.empty()) domain.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateDomain(domain));
  return domain;
}

absl::StatusOr<Domain> ProjectManager::GetDomain(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomain(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_domain", caller, DomainTarget(d.id)));
  return d;
}

absl::StatusOr<Domain> ProjectManager::FindDomain(const std::string& id) {
  return store_.GetDomain(id);
}

absl::StatusOr<std::vector<Domain>> ProjectManager::ListDomains(const Caller& caller,
                                                                const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_domains", caller));
  return store_.ListDomains(filter);
}

absl::StatusOr<Domain> ProjectManager::UpdateDomain(const Caller& caller, const std::string& id,
                                                    const DomainUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_domain", caller, DomainTarget(id)));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomain(id));
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckShortName(*update.name));
    d.name = *update.name;
  }
  if (update.description) GUREUM_RETURN_IF_ERROR(CheckDescription(*update.description));
  if (update.description) d.description = *update.description;
  // No revocation event: there is no domain-wide kind, and ValidateToken checks that the
  // user's and the project's domains are enabled.
  if (update.enabled) d.enabled = *update.enabled;
  GUREUM_RETURN_IF_ERROR(store_.UpdateDomain(d, {}));
  return d;
}

absl::Status ProjectManager::DeleteDomain(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_domain", caller, DomainTarget(id)));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomain(id));
  if (d.enabled) {
    return absl::PermissionDeniedError(
        "Cannot delete a domain that is enabled, please disable it first.");
  }
  // Revoke every user and project of the domain: their rows disappear with it.
  Revocations events;
  ListFilter in_domain;
  in_domain.domain_id = id;
  GUREUM_ASSIGN_OR_RETURN(std::vector<User> users, store_.ListUsers(in_domain));
  for (const User& u : users) events.push_back(revocations_.UserEvent(u.id));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Project> projects, store_.ListProjects(in_domain));
  for (const Project& p : projects) events.push_back(revocations_.ProjectEvent(p.id));
  GUREUM_RETURN_IF_ERROR(store_.DeleteDomain(id, events));
  revocations_.Announce(events);
  access_.ForgetAdminProject();
  return absl::OkStatus();
}

// ---- projects ----

absl::StatusOr<Project> ProjectManager::CreateProject(const Caller& caller, Project project) {
  // The domain: as given, else the parent's, else the caller's domain scope, else default.
  if (project.domain_id.empty() && !project.parent_id.empty()) {
    absl::StatusOr<Project> parent = store_.GetProject(project.parent_id);
    if (parent.ok()) project.domain_id = parent->domain_id;
    // Otherwise the parent may be a domain (top level), or unknown: CreateChecked decides.
  } else if (project.domain_id.empty()) {
    project.domain_id = caller.scope_domain_id.empty() ? kDefaultDomainId : caller.scope_domain_id;
  }
  if (project.parent_id == project.domain_id) project.parent_id.clear();  // "parent is the domain"
  const std::string domain_for_policy =
      project.domain_id.empty() ? project.parent_id : project.domain_id;
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:create_project", caller, DomainTarget(domain_for_policy)));
  return CreateChecked(std::move(project));
}

absl::StatusOr<Project> ProjectManager::CreateChecked(Project project) {
  GUREUM_RETURN_IF_ERROR(CheckShortName(project.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(project.description));
  if (!project.parent_id.empty()) {
    absl::StatusOr<Project> parent = store_.GetProject(project.parent_id);
    if (absl::IsNotFound(parent.status())) {
      // Keystone accepts a domain id as the parent of a top-level project.
      if (store_.GetDomain(project.parent_id).ok()) {
        if (project.domain_id.empty()) project.domain_id = project.parent_id;
        if (project.domain_id != project.parent_id) {
          return InvalidFieldError("parent_id", "must be in the project's domain");
        }
        project.parent_id.clear();
      } else {
        return NotFoundError("project", project.parent_id);
      }
    } else if (!parent.ok()) {
      return parent.status();
    } else {
      if (project.domain_id.empty()) project.domain_id = parent->domain_id;
      if (parent->domain_id != project.domain_id) {
        return InvalidFieldError("parent_id", "must be in the project's domain");
      }
    }
  }
  if (project.domain_id.empty()) project.domain_id = kDefaultDomainId;
  for (const std::string& tag : project.tags) {
    if (tag.empty() || tag.size() > 255 || tag.find('/') != std::string::npos ||
        tag.find(',') != std::string::npos) {
      return InvalidFieldError("tags", "a tag is 1-255 characters without '/' or ','");
    }
  }
  if (project.id.empty()) project.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateProject(project));
  return store_.GetProject(project.id);
}

absl::StatusOr<Project> ProjectManager::GetProject(const Caller& caller, const std::string& id) {
  return Authorized(caller, "identity:get_project", id);
}

absl::StatusOr<Project> ProjectManager::GetProjectTags(const Caller& caller,
                                                       const std::string& id) {
  return Authorized(caller, "identity:list_project_tags", id);
}

absl::StatusOr<Project> ProjectManager::Authorized(const Caller& caller, const std::string& rule,
                                                   const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Project p, store_.GetProject(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce(rule, caller, ProjectTarget(p)));
  return p;
}

absl::StatusOr<std::vector<Project>> ProjectManager::ListProjects(const Caller& caller,
                                                                  const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_projects", caller,
                                         DomainTarget(filter.domain_id.value_or(""))));
  return store_.ListProjects(filter);
}

absl::StatusOr<Project> ProjectManager::UpdateProject(const Caller& caller, const std::string& id,
                                                      const ProjectUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(Project p, Authorized(caller, "identity:update_project", id));
  if (update.domain_id && *update.domain_id != p.domain_id) {
    return InvalidFieldError("domain_id", "cannot change the domain of a project");
  }
  return Apply(std::move(p), update);
}

absl::StatusOr<Project> ProjectManager::SetProjectTags(const Caller& caller, const std::string& id,
                                                       std::vector<std::string> tags) {
  GUREUM_ASSIGN_OR_RETURN(Project p, Authorized(caller, "identity:update_project_tags", id));
  ProjectUpdate update;
  update.tags = std::move(tags);
  return Apply(std::move(p), update);
}

absl::Status ProjectManager::AddProjectTag(const Caller& caller, const std::string& id,
                                           const std::string& tag) {
  GUREUM_ASSIGN_OR_RETURN(Project p, Authorized(caller, "identity:update_project_tags", id));
  if (std::find(p.tags.begin(), p.tags.end(), tag) != p.tags.end()) return absl::OkStatus();
  ProjectUpdate update;
  update.tags = p.tags;
  update.tags->push_back(tag);
  return Apply(std::move(p), update).status();
}

absl::Status ProjectManager::RemoveProjectTag(const Caller& caller, const std::string& id,
                                              const std::string& tag) {
  GUREUM_ASSIGN_OR_RETURN(Project p, Authorized(caller, "identity:update_project_tags", id));
  auto it = std::find(p.tags.begin(), p.tags.end(), tag);
  if (it == p.tags.end()) return NotFoundError("project tag", tag);
  ProjectUpdate update;
  update.tags = p.tags;
  update.tags->erase(update.tags->begin() + (it - p.tags.begin()));
  return Apply(std::move(p), update).status();
}

absl::StatusOr<Project> ProjectManager::Apply(Project p, const ProjectUpdate& update) {
  InvalidateOnExit invalidate(validation_cache_);
  const std::string id = p.id;
  Revocations events;
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckShortName(*update.name));
    // Renaming the admin project away ends its tokens: they say is_admin_project, and the
    // services trust the token, not the project's current name.
    if (p.name == options_.admin_project_name && *update.name != p.name &&
        p.domain_id == options_.admin_project_domain_id) {
      events.push_back(revocations_.ProjectEvent(id));
    }
    p.name = *update.name;
  }
  if (update.description) GUREUM_RETURN_IF_ERROR(CheckDescription(*update.description));
  if (update.description) p.description = *update.description;
  if (update.tags) p.tags = *update.tags;
  if (update.enabled.has_value() && !*update.enabled && p.enabled && events.empty()) {
    events.push_back(revocations_.ProjectEvent(id));
  }
  if (update.enabled) p.enabled = *update.enabled;
  GUREUM_RETURN_IF_ERROR(store_.UpdateProject(p, events));
  revocations_.Announce(events);
  if (update.name) access_.ForgetAdminProject();
  return store_.GetProject(id);
}

absl::Status ProjectManager::DeleteProject(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Authorized(caller, "identity:delete_project", id).status());
  InvalidateOnExit invalidate(validation_cache_);
  Revocations events{revocations_.ProjectEvent(id)};
  GUREUM_RETURN_IF_ERROR(store_.DeleteProject(id, events));
  revocations_.Announce(events);
  access_.ForgetAdminProject();
  return absl::OkStatus();
}

}  // namespace gureum::identity
