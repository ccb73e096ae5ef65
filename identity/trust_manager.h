// Trusts (Keystone's OS-TRUST): a trustor delegates some of their roles on one project to
// a trustee. Gureum keeps and shows them (create, get, list, roles, delete, expiry) but
// issues no token by trust: authentication with a trust is refused, so a trust grants
// nothing yet. Stored as documents of kind "trust"; a trust whose trustor or trustee is
// gone, or which has expired, is no longer shown.
//
// Policy: the trustor creates (holding every delegated role on the project) and deletes;
// trustor, trustee or a cloud reader reads; a cloud admin deletes any.
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the store.
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

struct TrustFilter {
  std::optional<std::string> trustor_user_id, trustee_user_id;
};

class TrustManager {
 public:
  explicit TrustManager(const ManagerDeps& deps);

  // InvalidArgument: no role, an expiry in the past; NotFound: unknown trustee, project or
  // role; PermissionDenied: the caller is not the trustor or lacks a role on the project.
  absl::StatusOr<Trust> CreateTrust(const Caller& caller, Trust trust);
  absl::StatusOr<Trust> GetTrust(const Caller& caller, const std::string& id);
  // Without a filter naming the caller, a cloud reader's listing; others see their own.
  absl::StatusOr<std::vector<Trust>> ListTrusts(const Caller& caller, const TrustFilter& filter);
  absl::Status DeleteTrust(const Caller& caller, const std::string& id);

 private:
  // The live trust `id` (NotFound when expired or when its users are gone).
  absl::StatusOr<Trust> Find(const std::string& id);
  bool Live(const Trust& t);
  absl::Status CheckTrustorRoles(const Caller& caller, Trust& trust);

  IdentityStore& store_;
  IdGenerator& ids_;
  const Clock& clock_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
