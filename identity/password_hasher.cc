#include "identity/password_hasher.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"

namespace gureum::identity {

absl::StatusOr<std::unique_ptr<PasswordHasher>> PasswordHasher::Create(uint64_t ops_limit,
                                                                       uint64_t mem_limit_kib) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  uint64_t mem = mem_limit_kib * 1024;
  if (ops_limit < crypto_pwhash_OPSLIMIT_MIN || ops_limit > crypto_pwhash_OPSLIMIT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("password_hash_ops_limit: ", ops_limit, " is outside libsodium's range"));
  }
  if (mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_MAX) {
    return absl::InvalidArgumentError(absl::StrCat("password_hash_mem_limit_kib: ", mem_limit_kib,
                                                   " is outside libsodium's range"));
  }
  std::unique_ptr<PasswordHasher> h(new PasswordHasher(ops_limit, static_cast<size_t>(mem)));
  // A hash of random bytes with the same costs: verifying against it takes as long as a
  // real failed check, and no password can match it.
  unsigned char random[32];
  randombytes_buf(random, sizeof(random));
  auto dummy = h->Hash(std::string(reinterpret_cast<char*>(random), sizeof(random)));
  if (!dummy.ok()) return dummy.status();
  h->dummy_hash_ = *std::move(dummy);
  return h;
}

std::unique_ptr<PasswordHasher> PasswordHasher::ForTesting() {
  auto h = Create(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN / 1024);
  if (!h.ok()) std::abort();  // libsodium's own minimum must be accepted
  return *std::move(h);
}

absl::StatusOr<std::string> PasswordHasher::Hash(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_, mem_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("password hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(const std::string& hash, const std::string& password) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return VerifyDummy(password);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::VerifyDummy(const std::string& password) const {
  // The result is irrelevant (nothing can match); the work is the point.
  int ignored = crypto_pwhash_str_verify(dummy_hash_.c_str(), password.data(), password.size());
  static_cast<void>(ignored);
  return false;
}

}  // namespace gureum::identity
