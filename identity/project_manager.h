// Domains and projects of gureum-identity (the projects tree, tags, and the revocations
// that disabling or deleting them causes).
//
// Every method but FindDomain takes the caller and checks the identity policy
// (identity:<verb>_domain / _project / _project_tags, targets as identity_access.h):
// PermissionDenied before anything changes. Lookups by id answer NotFound before
// PermissionDenied, as Keystone does. Errors in Keystone's words (identity_errors.h).
// Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

// ---- partial updates (PATCH): unset fields stay as they are ----
struct DomainUpdate {
  std::optional<std::string> name, description;
  std::optional<bool> enabled;
};
struct ProjectUpdate {
  std::optional<std::string> name, description;
  std::optional<bool> enabled;
  std::optional<std::vector<std::string>> tags;
  // Must be the project's domain when set (InvalidArgument otherwise): a project stays
  // in its domain.
  std::optional<std::string> domain_id;
};

class ProjectManager {
 public:
  explicit ProjectManager(const ManagerDeps& deps);

  // ---- domains ----
  // An empty id is generated. InvalidArgument "name" when empty.
  absl::StatusOr<Domain> CreateDomain(const Caller& caller, Domain domain);
  absl::StatusOr<Domain> GetDomain(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Domain>> ListDomains(const Caller& caller, const ListFilter& filter);
  absl::StatusOr<Domain> UpdateDomain(const Caller& caller, const std::string& id,
                                      const DomainUpdate& update);
  // PermissionDenied while enabled (Keystone: disable it first).
  absl::Status DeleteDomain(const Caller& caller, const std::string& id);
  // Unchecked: for naming domains in answers the caller was already allowed.
  absl::StatusOr<Domain> FindDomain(const std::string& id);

  // ---- projects ----
  // domain_id defaults to the parent's domain, else the caller's domain scope, else
  // "default"; the parent must be in the same domain (a domain id as parent means top
  // level). is_domain projects are not supported.
  absl::StatusOr<Project> CreateProject(const Caller& caller, Project project);
  absl::StatusOr<Project> GetProject(const Caller& caller, const std::string& id);
  // Checked against filter.domain_id (a domain reader lists their domain's projects).
  absl::StatusOr<std::vector<Project>> ListProjects(const Caller& caller, const ListFilter& filter);
  // Disabling revokes the project's tokens, and so does renaming the admin project
  // (IdentityOptions::admin_project_name): its tokens say is_admin_project.
  absl::StatusOr<Project> UpdateProject(const Caller& caller, const std::string& id,
                                        const ProjectUpdate& update);
  // FailedPrecondition if it has children. Revokes the project's tokens.
  absl::Status DeleteProject(const Caller& caller, const std::string& id);

  // ---- project tags ----
  // The project, for reading its tags (identity:list_project_tags).
  absl::StatusOr<Project> GetProjectTags(const Caller& caller, const std::string& id);
  // identity:update_project_tags. RemoveProjectTag: NotFound for a tag it does not have.
  absl::StatusOr<Project> SetProjectTags(const Caller& caller, const std::string& id,
                                         std::vector<std::string> tags);
  absl::Status AddProjectTag(const Caller& caller, const std::string& id, const std::string& tag);
  absl::Status RemoveProjectTag(const Caller& caller, const std::string& id,
                                const std::string& tag);

 private:
  // The project `id` if `rule` allows `caller` on it (NotFound first).
  absl::StatusOr<Project> Authorized(const Caller& caller, const std::string& rule,
                                     const std::string& id);
  absl::StatusOr<Project> CreateChecked(Project project);
  absl::StatusOr<Project> Apply(Project project, const ProjectUpdate& update);

  IdentityStore& store_;
  IdGenerator& ids_;
  const IdentityOptions& options_;
  ValidationCache& validation_cache_;
  RevocationLog& revocations_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
