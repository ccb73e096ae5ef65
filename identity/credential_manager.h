// Credentials of gureum-identity (Keystone's /v3/credentials and OS-EC2): opaque blobs a
// user keeps with identity, such as the access/secret pairs S3 clients sign requests with.
// Blobs are encrypted at rest (XSalsa20-Poly1305 with the key repository's credential key,
// key_repository.h) and never logged.
//
// Policy (identity_policy.cc): a cloud admin, or the credential's own user; a service
// (or a cloud admin) reads an EC2 secret by access key to verify a signature.
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

inline constexpr char kEc2CredentialType[] = "ec2";

struct CredentialUpdate {
  std::optional<std::string> user_id, project_id, type, blob;
};

// An EC2 credential as OS-EC2 shows it (the blob of a credential of type "ec2").
struct Ec2Credential {
  std::string access;
  std::string secret;
  std::string user_id;
  std::string project_id;  // Keystone's "tenant_id"
  std::string trust_id;    // always empty (no trusts)
};

class CredentialManager {
 public:
  // `key`: 32 bytes (KeySource::CredentialKey).
  CredentialManager(const ManagerDeps& deps, std::string key);

  // id: chosen here (for "ec2", the SHA-256 hex of the blob's access key, as Keystone).
  // InvalidArgument for an empty type or blob, or an "ec2" one without a project or whose
  // blob is not a JSON object with an "access" string; NotFound for an unknown user or
  // project.
  absl::StatusOr<Credential> CreateCredential(const Caller& caller, Credential credential);
  absl::StatusOr<Credential> GetCredential(const Caller& caller, const std::string& id);
  // Filters: user_id, type. A caller who is no cloud reader sees their own only.
  absl::StatusOr<std::vector<Credential>> ListCredentials(const Caller& caller, ListFilter filter);
  absl::StatusOr<Credential> UpdateCredential(const Caller& caller, const std::string& id,
                                              const CredentialUpdate& update);
  absl::Status DeleteCredential(const Caller& caller, const std::string& id);

  // ---- OS-EC2 (/v3/users/{user_id}/credentials/OS-EC2) ----
  // A fresh random access and secret, bound to `project_id` (which the user must hold a
  // role on, unless the caller is a cloud admin).
  absl::StatusOr<Ec2Credential> CreateEc2Credential(const Caller& caller,
                                                    const std::string& user_id,
                                                    const std::string& project_id);
  absl::StatusOr<std::vector<Ec2Credential>> ListEc2Credentials(const Caller& caller,
                                                                const std::string& user_id);
  // NotFound unless the user has a credential with that access key.
  absl::StatusOr<Ec2Credential> GetEc2Credential(const Caller& caller, const std::string& user_id,
                                                 const std::string& access);
  absl::Status DeleteEc2Credential(const Caller& caller, const std::string& user_id,
                                   const std::string& access);
  // For a service verifying an AWS signature (identity:get_ec2_secret): the credential of
  // an access key, whoever owns it. NotFound for an unknown key.
  absl::StatusOr<Ec2Credential> FindEc2Credential(const Caller& caller, const std::string& access);

 private:
  absl::StatusOr<std::string> Encrypt(const std::string& plain) const;
  absl::StatusOr<std::string> Decrypt(const std::string& boxed) const;
  absl::StatusOr<Credential> Open(const CredentialRecord& record) const;
  absl::StatusOr<CredentialRecord> Seal(const Credential& credential) const;
  absl::Status CheckCredential(const Credential& c) const;
  // The user's EC2 credential of `access`, authorized by `rule`.
  absl::StatusOr<Credential> UserEc2(const Caller& caller, const std::string& rule,
                                     const std::string& user_id, const std::string& access);

  IdentityStore& store_;
  IdGenerator& ids_;
  IdentityAccess& access_;
  const std::string key_;
};

// The SHA-256 of `access`, hex: the id of an EC2 credential.
std::string Ec2CredentialId(const std::string& access);
// The EC2 view of an "ec2" credential (its blob parsed); InvalidArgument if it is not one.
absl::StatusOr<Ec2Credential> Ec2FromCredential(const Credential& c);

}  // namespace gureum::identity
