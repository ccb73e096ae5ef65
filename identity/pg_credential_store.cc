// PostgreSQL IdentityStore: /v3/credentials (blobs arrive and leave encrypted) and the
// stored documents (policies, OAuth1 consumers, endpoint groups, domain configurations).
#include <algorithm>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/pg_store_internal.h"

namespace gureum::identity::internal {
namespace {

CredentialRecord ToCredentialRecord(const db::Row& r) {
  return CredentialRecord{r.Get<std::string>("id"), r.Get<std::string>("user_id"),
                          Text(r, "project_id"), r.Get<std::string>("type"),
                          r.Get<std::string>("encrypted_blob")};
}

constexpr char kColumns[] = "SELECT id, user_id, project_id, type, encrypted_blob FROM credentials";

absl::Status CredentialRefs(db::Tx& tx, const CredentialRecord& c) {
  GUREUM_RETURN_IF_ERROR(MustExist(tx, "users", "user", c.user_id));
  if (!c.project_id.empty()) {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "projects", "project", c.project_id));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PgIdentityStore::CreateCredential(const CredentialRecord& c) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(CredentialRefs(tx, c));
    return tx
        .Exec(
            "INSERT INTO credentials (id, user_id, project_id, type, encrypted_blob) "
            "VALUES ($1, $2, $3, $4, $5)",
            {c.id, c.user_id, NullIfEmpty(c.project_id), c.type, c.encrypted_blob})
        .status();
  });
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("Duplicate entry: credential with id '" + c.id + "'.");
  }
  return s;
}

absl::StatusOr<CredentialRecord> PgIdentityStore::GetCredential(const std::string& id) {
  CredentialRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(std::string(kColumns) + " WHERE id = $1", {id}));
    if (rows.empty()) return NotFoundError("credential", id);
    out = ToCredentialRecord(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<CredentialRecord>> PgIdentityStore::ListCredentials(
    const ListFilter& f) {
  Where w;
  if (f.user_id) w.Eq("user_id", *f.user_id);
  if (f.type) w.Eq("type", *f.type);
  std::string sql = kColumns + w.Paged(f.page);
  std::vector<CredentialRecord> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToCredentialRecord(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateCredential(const CredentialRecord& c) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "credentials", "credential", c.id));
    GUREUM_RETURN_IF_ERROR(CredentialRefs(tx, c));
    return tx
        .Exec(
            "UPDATE credentials SET user_id = $2, project_id = $3, type = $4, "
            "encrypted_blob = $5 WHERE id = $1",
            {c.id, c.user_id, NullIfEmpty(c.project_id), c.type, c.encrypted_blob})
        .status();
  });
}

absl::Status PgIdentityStore::DeleteCredential(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM credentials WHERE id = $1", {id}));
    return n == 0 ? NotFoundError("credential", id) : absl::OkStatus();
  });
}

// ---- stored documents ----

namespace {
std::string KindWords(std::string kind) {
  std::replace(kind.begin(), kind.end(), '_', ' ');
  return kind;
}
}  // namespace

absl::Status PgIdentityStore::CreateDocument(const StoredDocument& d) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) {
    return tx
        .Exec("INSERT INTO documents (kind, id, body) VALUES ($1, $2, $3)", {d.kind, d.id, d.body})
        .status();
  });
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("Duplicate entry: " + KindWords(d.kind) + " with id '" + d.id +
                                    "'.");
  }
  return s;
}

absl::StatusOr<StoredDocument> PgIdentityStore::GetDocument(const std::string& kind,
                                                            const std::string& id) {
  StoredDocument out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT body FROM documents WHERE kind = $1 AND id = $2", {kind, id}));
    if (rows.empty()) return NotFoundError(KindWords(kind), id);
    out = StoredDocument{kind, id, rows[0].Get<std::string>("body")};
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<StoredDocument>> PgIdentityStore::ListDocuments(
    const std::string& kind) {
  std::vector<StoredDocument> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT id, body FROM documents WHERE kind = $1 ORDER BY id", {kind}));
    for (const db::Row& r : rows) {
      out.push_back({kind, r.Get<std::string>("id"), r.Get<std::string>("body")});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateDocument(const StoredDocument& d) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected("UPDATE documents SET body = $3 WHERE kind = $1 AND id = $2",
                                   {d.kind, d.id, d.body}));
    return n == 0 ? NotFoundError(KindWords(d.kind), d.id) : absl::OkStatus();
  });
}

absl::Status PgIdentityStore::DeleteDocument(const std::string& kind, const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM documents WHERE kind = $1 AND id = $2", {kind, id}));
    return n == 0 ? NotFoundError(KindWords(kind), id) : absl::OkStatus();
  });
}

}  // namespace gureum::identity::internal
