#include "identity/credential_manager.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

using nlohmann::json;

std::string Hex(const unsigned char* data, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

// 20 random bytes as 40 hex characters (Keystone's access and secret are uuid4 hex).
std::string RandomHex() {
  unsigned char raw[20];
  randombytes_buf(raw, sizeof(raw));
  std::string out = Hex(raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  return out;
}

std::string Base64(const std::string& raw) {
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the NUL
  return out;
}

std::optional<std::string> FromBase64(const std::string& text) {
  std::string raw(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  raw.resize(len);
  return raw;
}

policy::Target OwnerTarget(const std::string& user_id) { return {{"target.user_id", user_id}}; }

}  // namespace

std::string Ec2CredentialId(const std::string& access) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(access.data()), access.size());
  return Hex(digest, sizeof(digest));
}

absl::StatusOr<Ec2Credential> Ec2FromCredential(const Credential& c) {
  json blob = json::parse(c.blob, nullptr, false);
  if (c.type != kEc2CredentialType || !blob.is_object() || !blob.contains("access") ||
      !blob["access"].is_string()) {
    return InvalidFieldError("blob", "an ec2 credential's blob is an object with an access key");
  }
  Ec2Credential out;
  out.access = blob["access"].get<std::string>();
  if (blob.contains("secret") && blob["secret"].is_string()) {
    out.secret = blob["secret"].get<std::string>();
  }
  out.user_id = c.user_id;
  out.project_id = c.project_id;
  return out;
}

CredentialManager::CredentialManager(const ManagerDeps& deps, std::string key)
    : store_(deps.store), ids_(deps.ids), access_(deps.access), key_(std::move(key)) {}

// ---- encryption at rest ----

absl::StatusOr<std::string> CredentialManager::Encrypt(const std::string& plain) const {
  if (key_.size() != crypto_secretbox_KEYBYTES) {
    return absl::FailedPreconditionError("the credential key is not 32 bytes");
  }
  std::string boxed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(boxed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), out,
                        reinterpret_cast<const unsigned char*>(key_.data()));
  return Base64(boxed);
}

absl::StatusOr<std::string> CredentialManager::Decrypt(const std::string& encoded) const {
  std::optional<std::string> boxed = FromBase64(encoded);
  if (!boxed || boxed->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
      key_.size() != crypto_secretbox_KEYBYTES) {
    return absl::InternalError("a stored credential cannot be decrypted");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(boxed->data());
  std::string plain(boxed->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES,
                                 boxed->size() - crypto_secretbox_NONCEBYTES, in,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    // The key repository's credential-key is not the one that encrypted it.
    return absl::InternalError("a stored credential cannot be decrypted");
  }
  return plain;
}

absl::StatusOr<Credential> CredentialManager::Open(const CredentialRecord& r) const {
  GUREUM_ASSIGN_OR_RETURN(std::string blob, Decrypt(r.encrypted_blob));
  return Credential{r.id, r.user_id, r.project_id, r.type, std::move(blob)};
}

absl::StatusOr<CredentialRecord> CredentialManager::Seal(const Credential& c) const {
  GUREUM_ASSIGN_OR_RETURN(std::string boxed, Encrypt(c.blob));
  return CredentialRecord{c.id, c.user_id, c.project_id, c.type, std::move(boxed)};
}

absl::Status CredentialManager::CheckCredential(const Credential& c) const {
  if (c.user_id.empty()) return InvalidFieldError("user_id", "must not be empty");
  if (c.type.empty()) return InvalidFieldError("type", "must not be empty");
  GUREUM_RETURN_IF_ERROR(ValidateName("type", c.type));
  if (c.blob.empty()) return InvalidFieldError("blob", "must not be empty");
  GUREUM_RETURN_IF_ERROR(ValidateText("blob", c.blob));
  if (c.type == kEc2CredentialType) {
    if (c.project_id.empty()) {
      return InvalidFieldError("project_id", "an ec2 credential needs a project");
    }
    GUREUM_RETURN_IF_ERROR(Ec2FromCredential(c).status());
  }
  return absl::OkStatus();
}

// ---- /v3/credentials ----

absl::StatusOr<Credential> CredentialManager::CreateCredential(const Caller& caller, Credential c) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:create_credential", caller, OwnerTarget(c.user_id)));
  GUREUM_RETURN_IF_ERROR(CheckCredential(c));
  if (c.type == kEc2CredentialType) {
    c.id = Ec2CredentialId(Ec2FromCredential(c)->access);
  } else {
    c.id = ids_.NewUuid();
  }
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord record, Seal(c));
  GUREUM_RETURN_IF_ERROR(store_.CreateCredential(record));
  return c;
}

absl::StatusOr<Credential> CredentialManager::GetCredential(const Caller& caller,
                                                            const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord r, store_.GetCredential(id));
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:get_credential", caller, OwnerTarget(r.user_id)));
  return Open(r);
}

absl::StatusOr<std::vector<Credential>> CredentialManager::ListCredentials(const Caller& caller,
                                                                           ListFilter filter) {
  // Anyone lists; who is no cloud reader gets their own credentials only.
  if (!access_.Enforce("identity:list_credentials", caller).ok()) {
    if (filter.user_id && *filter.user_id != caller.user_id) return std::vector<Credential>{};
    filter.user_id = caller.user_id;
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<CredentialRecord> records, store_.ListCredentials(filter));
  std::vector<Credential> out;
  for (const CredentialRecord& r : records) {
    GUREUM_ASSIGN_OR_RETURN(Credential c, Open(r));
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<Credential> CredentialManager::UpdateCredential(const Caller& caller,
                                                               const std::string& id,
                                                               const CredentialUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord r, store_.GetCredential(id));
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:update_credential", caller, OwnerTarget(r.user_id)));
  GUREUM_ASSIGN_OR_RETURN(Credential c, Open(r));
  if (update.user_id && *update.user_id != c.user_id) {
    // Handing a credential to another user needs the right to create theirs.
    GUREUM_RETURN_IF_ERROR(
        access_.Enforce("identity:create_credential", caller, OwnerTarget(*update.user_id)));
    c.user_id = *update.user_id;
  }
  if (update.project_id) c.project_id = *update.project_id;
  if (update.type) c.type = *update.type;
  if (update.blob) c.blob = *update.blob;
  GUREUM_RETURN_IF_ERROR(CheckCredential(c));
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord sealed, Seal(c));
  GUREUM_RETURN_IF_ERROR(store_.UpdateCredential(sealed));
  return c;
}

absl::Status CredentialManager::DeleteCredential(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord r, store_.GetCredential(id));
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:delete_credential", caller, OwnerTarget(r.user_id)));
  return store_.DeleteCredential(id);
}

// ---- OS-EC2 ----

absl::StatusOr<Ec2Credential> CredentialManager::CreateEc2Credential(
    const Caller& caller, const std::string& user_id, const std::string& project_id) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:ec2_create_credential", caller, OwnerTarget(user_id)));
  if (project_id.empty()) return InvalidFieldError("tenant_id", "must not be empty");
  GUREUM_RETURN_IF_ERROR(store_.GetUser(user_id).status());
  GUREUM_RETURN_IF_ERROR(store_.GetProject(project_id).status());
  if (!access_.Enforce("identity:ec2_create_credential_any_project", caller).ok()) {
    // A user binds a credential only to a project they hold a role on.
    AssignmentFilter f;
    f.user_id = user_id;
    f.project_id = project_id;
    GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants, store_.ListAssignments(f));
    if (grants.empty() && caller.project_id != project_id) {
      return absl::PermissionDeniedError("The user has no role on project " + project_id + ".");
    }
  }
  Ec2Credential ec2{RandomHex(), RandomHex(), user_id, project_id, ""};
  json blob = {{"access", ec2.access}, {"secret", ec2.secret}, {"trust_id", nullptr}};
  Credential c{Ec2CredentialId(ec2.access), user_id, project_id, kEc2CredentialType, blob.dump()};
  GUREUM_ASSIGN_OR_RETURN(CredentialRecord record, Seal(c));
  GUREUM_RETURN_IF_ERROR(store_.CreateCredential(record));
  return ec2;
}

absl::StatusOr<std::vector<Ec2Credential>> CredentialManager::ListEc2Credentials(
    const Caller& caller, const std::string& user_id) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:ec2_list_credentials", caller, OwnerTarget(user_id)));
  GUREUM_RETURN_IF_ERROR(store_.GetUser(user_id).status());
  ListFilter f;
  f.user_id = user_id;
  f.type = kEc2CredentialType;
  GUREUM_ASSIGN_OR_RETURN(std::vector<CredentialRecord> records, store_.ListCredentials(f));
  std::vector<Ec2Credential> out;
  for (const CredentialRecord& r : records) {
    GUREUM_ASSIGN_OR_RETURN(Credential c, Open(r));
    absl::StatusOr<Ec2Credential> ec2 = Ec2FromCredential(c);
    if (ec2.ok()) out.push_back(*std::move(ec2));
  }
  return out;
}

absl::StatusOr<Credential> CredentialManager::UserEc2(const Caller& caller, const std::string& rule,
                                                      const std::string& user_id,
                                                      const std::string& access) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce(rule, caller, OwnerTarget(user_id)));
  absl::StatusOr<CredentialRecord> r = store_.GetCredential(Ec2CredentialId(access));
  if (!r.ok() || r->user_id != user_id || r->type != kEc2CredentialType) {
    return absl::IsNotFound(r.status()) || r.ok() ? NotFoundError("credential", access)
                                                  : r.status();
  }
  GUREUM_ASSIGN_OR_RETURN(Credential c, Open(*r));
  absl::StatusOr<Ec2Credential> ec2 = Ec2FromCredential(c);
  if (!ec2.ok() || ec2->access != access) return NotFoundError("credential", access);
  return c;
}

absl::StatusOr<Ec2Credential> CredentialManager::GetEc2Credential(const Caller& caller,
                                                                  const std::string& user_id,
                                                                  const std::string& access) {
  GUREUM_ASSIGN_OR_RETURN(Credential c,
                          UserEc2(caller, "identity:ec2_get_credential", user_id, access));
  return Ec2FromCredential(c);
}

absl::Status CredentialManager::DeleteEc2Credential(const Caller& caller,
                                                    const std::string& user_id,
                                                    const std::string& access) {
  GUREUM_ASSIGN_OR_RETURN(Credential c,
                          UserEc2(caller, "identity:ec2_delete_credential", user_id, access));
  return store_.DeleteCredential(c.id);
}

absl::StatusOr<Ec2Credential> CredentialManager::FindEc2Credential(const Caller& caller,
                                                                   const std::string& access) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_ec2_secret", caller));
  absl::StatusOr<CredentialRecord> r = store_.GetCredential(Ec2CredentialId(access));
  if (absl::IsNotFound(r.status())) return NotFoundError("credential", access);
  GUREUM_RETURN_IF_ERROR(r.status());
  GUREUM_ASSIGN_OR_RETURN(Credential c, Open(*r));
  absl::StatusOr<Ec2Credential> ec2 = Ec2FromCredential(c);
  if (!ec2.ok() || ec2->access != access) return NotFoundError("credential", access);
  return ec2;
}

}  // namespace gureum::identity
