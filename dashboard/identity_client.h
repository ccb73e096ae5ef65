// The dashboard's client of identity (Keystone v3 REST at [dashboard] identity_url):
// password login, the user's projects, rescoping to a project, revocation.
// Implementations: HttpIdentityClient (http_identity_client.h) and FakeIdentityClient
// (tests). Thread-safe. Errors: Unauthenticated for wrong credentials or a dead token,
// Unavailable when identity cannot be reached, otherwise identity's own status.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "dashboard/model.h"

namespace gureum::dashboard {

class IdentityClient {
 public:
  virtual ~IdentityClient() = default;
  // An unscoped token for the user; for an application credential, a token scoped to its
  // project.
  virtual absl::StatusOr<Token> Login(const Credentials& credentials) = 0;
  // The projects `token`'s user has a role on.
  virtual absl::StatusOr<std::vector<ProjectRef>> UserProjects(const std::string& token) = 0;
  // A token scoped to `project_id`, with roles and catalog, from a valid `token`.
  virtual absl::StatusOr<Token> ScopeTo(const std::string& token,
                                        const std::string& project_id) = 0;
  // Revokes `token` (idempotent from the caller's side: a dead token is OK).
  virtual absl::Status Revoke(const std::string& token) = 0;
};

}  // namespace gureum::dashboard
