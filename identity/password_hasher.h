// Password and secret hashing with argon2id (libsodium crypto_pwhash_str), used for user
// passwords and application-credential secrets. Hashes are self-describing strings
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), so changing the cost limits keeps old
// hashes verifiable. Verification is constant-time inside libsodium.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace gureum::identity {

class PasswordHasher {
 public:
  // InvalidArgument if the limits are outside libsodium's bounds
  // (crypto_pwhash_OPSLIMIT_MIN.., crypto_pwhash_MEMLIMIT_MIN..); Internal if libsodium
  // cannot initialise. Builds a dummy hash to verify against for unknown users.
  static absl::StatusOr<std::unique_ptr<PasswordHasher>> Create(uint64_t ops_limit,
                                                                uint64_t mem_limit_kib);
  // The fastest limits libsodium accepts; for tests only.
  static std::unique_ptr<PasswordHasher> ForTesting();

  // ResourceExhausted if the system cannot provide the memory.
  absl::StatusOr<std::string> Hash(const std::string& password) const;
  // True if `password` matches `hash`; false for a malformed or empty hash.
  bool Verify(const std::string& hash, const std::string& password) const;
  // Spends the same time as a failed Verify, for unknown users, so timing does not tell
  // whether a user exists. Always false.
  bool VerifyDummy(const std::string& password) const;

 private:
  PasswordHasher(uint64_t ops, size_t mem) : ops_(ops), mem_(mem) {}
  uint64_t ops_;
  size_t mem_;
  std::string dummy_hash_;
};

}  // namespace gureum::identity
