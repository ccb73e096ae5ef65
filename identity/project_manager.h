// Domains and projects of gureum-identity (the projects tree, tags, and the revocations
// that disabling or deleting them causes).
//
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
};

class ProjectManager {
 public:
  explicit ProjectManager(const ManagerDeps& deps);

  // ---- domains ----
  // An empty id is generated. InvalidArgument "name" when empty.
  absl::StatusOr<Domain> CreateDomain(Domain domain);
  absl::StatusOr<Domain> GetDomain(const std::string& id);
  absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& filter);
  absl::StatusOr<Domain> UpdateDomain(const std::string& id, const DomainUpdate& update);
  // FailedPrecondition while enabled (Keystone: disable it first).
  absl::Status DeleteDomain(const std::string& id);

  // ---- projects ----
  // domain_id defaults to the parent's domain, else "default"; the parent must be in the
  // same domain. is_domain projects are not supported (InvalidArgument "is_domain").
  absl::StatusOr<Project> CreateProject(Project project);
  absl::StatusOr<Project> GetProject(const std::string& id);
  absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& filter);
  // Disabling revokes the project's tokens, and so does renaming the admin project
  // (IdentityOptions::admin_project_name): its tokens say is_admin_project.
  absl::StatusOr<Project> UpdateProject(const std::string& id, const ProjectUpdate& update);
  // FailedPrecondition if it has children. Revokes the project's tokens.
  absl::Status DeleteProject(const std::string& id);

 private:
  IdentityStore& store_;
  IdGenerator& ids_;
  const IdentityOptions& options_;
  ValidationCache& validation_cache_;
  RevocationLog& revocations_;
};

}  // namespace gureum::identity
