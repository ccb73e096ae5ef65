// FakeStore (fake_identity_store_internal.h): /v3/credentials.
#include "identity/fake_identity_store_internal.h"

namespace gureum::identity::fake_internal {

absl::Status FakeStore::CreateCredential(const CredentialRecord& c) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!users_.count(c.user_id)) return NotFoundError("user", c.user_id);
  if (!c.project_id.empty() && !projects_.count(c.project_id)) {
    return NotFoundError("project", c.project_id);
  }
  if (credentials_.count(c.id)) {
    return absl::AlreadyExistsError("Duplicate entry: credential with id '" + c.id + "'.");
  }
  credentials_[c.id] = c;
  return absl::OkStatus();
}

absl::StatusOr<CredentialRecord> FakeStore::GetCredential(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = credentials_.find(id);
  if (it == credentials_.end()) return NotFoundError("credential", id);
  return it->second;
}

absl::StatusOr<std::vector<CredentialRecord>> FakeStore::ListCredentials(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<CredentialRecord>(credentials_, f.page, [&](const CredentialRecord& c) {
    return Is(f.user_id, c.user_id) && Is(f.type, c.type);
  });
}

absl::Status FakeStore::UpdateCredential(const CredentialRecord& c) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = credentials_.find(c.id);
  if (it == credentials_.end()) return NotFoundError("credential", c.id);
  if (!users_.count(c.user_id)) return NotFoundError("user", c.user_id);
  if (!c.project_id.empty() && !projects_.count(c.project_id)) {
    return NotFoundError("project", c.project_id);
  }
  it->second = c;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteCredential(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!credentials_.erase(id)) return NotFoundError("credential", id);
  return absl::OkStatus();
}

}  // namespace gureum::identity::fake_internal
