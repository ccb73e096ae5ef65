// FakeStore (fake_identity_store_internal.h): /v3/credentials and stored documents.
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

// ---- stored documents ----

namespace {
std::string KindWords(std::string kind) {
  std::replace(kind.begin(), kind.end(), '_', ' ');
  return kind;
}
}  // namespace

absl::Status FakeStore::CreateDocument(const StoredDocument& d) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!documents_.emplace(std::make_pair(d.kind, d.id), d).second) {
    return absl::AlreadyExistsError("Duplicate entry: " + KindWords(d.kind) + " with id '" + d.id +
                                    "'.");
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredDocument> FakeStore::GetDocument(const std::string& kind,
                                                      const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = documents_.find({kind, id});
  if (it == documents_.end()) return NotFoundError(KindWords(kind), id);
  return it->second;
}

absl::StatusOr<std::vector<StoredDocument>> FakeStore::ListDocuments(const std::string& kind) {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<StoredDocument> out;
  for (const auto& [key, d] : documents_) {
    if (key.first == kind) out.push_back(d);
  }
  return out;
}

absl::Status FakeStore::UpdateDocument(const StoredDocument& d) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = documents_.find({d.kind, d.id});
  if (it == documents_.end()) return NotFoundError(KindWords(d.kind), d.id);
  it->second = d;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteDocument(const std::string& kind, const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!documents_.erase({kind, id})) return NotFoundError(KindWords(kind), id);
  return absl::OkStatus();
}

}  // namespace gureum::identity::fake_internal
