// The token signing-key repository: a directory (default /etc/gureum/identity-keys, mode
// 0700) holding one file per Ed25519 key pair (0600, common/auth SerializeKeyPair format),
// like Keystone's fernet key repository. The newest key signs; every key present
// verifies. Files are named "<n>.key" with n increasing, so "newest" is the highest n.
//
// Rotation adds a key and removes the oldest ones beyond max_active_keys. A removed key's
// tokens stop verifying, so max_active_keys * rotation interval must exceed the token
// lifetime (with 1 h tokens and 3 keys, rotate at most every 30 minutes).
//
// The repository also holds "credential-key": 32 random bytes (hex, 0600) that encrypt the
// blobs of /v3/credentials at rest (XSalsa20-Poly1305). It is made once and never rotated
// (a rotated key would need the blobs re-encrypted), and it is not a "<n>.key" file.
//
// `gureum-manage identity rotate-keys` calls RotateKeys; the identity service reads the
// repository through DirectoryKeySource and re-reads it on ReloadKeys().
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/keys.h"

namespace gureum::identity {

// Creates `dir` (0700) if missing and a first key if it holds none. Idempotent.
absl::Status InitializeKeys(const std::string& dir);

// Adds a new key (it becomes the signing key) and deletes the oldest keys so that at most
// `max_active_keys` (>= 2, InvalidArgument otherwise) remain. FailedPrecondition if the
// repository is empty or missing (run InitializeKeys first).
absl::Status RotateKeys(const std::string& dir, int max_active_keys = 3);

// All keys, newest first. FailedPrecondition if `dir` holds no key; InvalidArgument naming
// the file if one does not parse; PermissionDenied if `dir` is readable by others.
absl::StatusOr<std::vector<auth::KeyPair>> LoadKeys(const std::string& dir);

// The credential key of `dir` (32 bytes), made first if missing (by one writer only: a
// concurrent maker's key wins and is read back).
absl::StatusOr<std::string> LoadOrCreateCredentialKey(const std::string& dir);

// Where IdentityManager gets its keys: injected so tests use keys in memory.
class KeySource {
 public:
  virtual ~KeySource() = default;
  // All keys, newest (signing) first; never empty on success.
  virtual absl::StatusOr<std::vector<auth::KeyPair>> Load() = 0;
  // The key that encrypts credential blobs at rest: 32 bytes, the same on every call.
  virtual absl::StatusOr<std::string> CredentialKey() = 0;
};

class DirectoryKeySource final : public KeySource {
 public:
  explicit DirectoryKeySource(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<std::vector<auth::KeyPair>> Load() override { return LoadKeys(dir_); }
  absl::StatusOr<std::string> CredentialKey() override { return LoadOrCreateCredentialKey(dir_); }

 private:
  std::string dir_;
};

// Keys held in memory (tests, and tools that already loaded them).
class StaticKeySource final : public KeySource {
 public:
  explicit StaticKeySource(std::vector<auth::KeyPair> keys) : keys_(std::move(keys)) {}
  void Set(std::vector<auth::KeyPair> keys) { keys_ = std::move(keys); }
  absl::StatusOr<std::vector<auth::KeyPair>> Load() override;
  // A fixed test key.
  absl::StatusOr<std::string> CredentialKey() override { return std::string(32, 'k'); }

 private:
  std::vector<auth::KeyPair> keys_;
};

}  // namespace gureum::identity
