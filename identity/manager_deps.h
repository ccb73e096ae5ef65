// What the manager classes of gureum-identity share (user_manager.h, project_manager.h,
// role_manager.h, assignment_manager.h, catalog_manager.h, app_credential_manager.h,
// token_manager.h, auth_manager.h). IdentityManager::Create (identity_manager.h) builds
// them once and hands this to each manager's constructor; everything referred to must
// outlive the managers. A manager needing another manager takes it as a constructor
// argument of its own and calls only its public methods.
#pragma once

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "identity/identity_access.h"
#include "identity/identity_options.h"
#include "identity/identity_store.h"
#include "identity/password_hasher.h"
#include "identity/revocation_log.h"
#include "identity/validation_cache.h"

namespace gureum::identity {

struct ManagerDeps {
  IdentityStore& store;
  IdGenerator& ids;
  const Clock& clock;
  const IdentityOptions& options;
  const PasswordHasher& hasher;  // argon2id, ~50-100 ms a call at production limits
  // Dropped by every change that alters what a token validation returns (InvalidateOnExit).
  ValidationCache& validation_cache;
  RevocationLog& revocations;  // events for changes that must end tokens
  // The policy: managers check their caller with it before acting (identity_policy.h).
  IdentityAccess& access;
};

}  // namespace gureum::identity
