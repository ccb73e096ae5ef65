#include "common/auth/keys.h"

#include <sodium.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::auth {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no CSPRNG: no key can be made safely
}

}  // namespace

KeyPair GenerateKeyPair(const std::string& key_id) {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  KeyPair pair;
  pair.public_key.key_id = key_id;
  pair.public_key.bytes.assign(reinterpret_cast<char*>(pk), sizeof(pk));
  pair.secret.assign(reinterpret_cast<char*>(sk), sizeof(sk));
  sodium_memzero(sk, sizeof(sk));
  return pair;
}

std::string EncodeKey(const std::string& raw) {
  EnsureSodium();
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(raw.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

absl::StatusOr<std::string> DecodeKey(const std::string& text, size_t expected_size) {
  EnsureSodium();
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != expected_size) {
    return absl::InvalidArgumentError("malformed key");
  }
  out.resize(len);
  return out;
}

std::string SerializeKeyPair(const KeyPair& pair) {
  return absl::StrCat(pair.public_key.key_id, " ", EncodeKey(pair.secret), " ",
                      EncodeKey(pair.public_key.bytes));
}

absl::StatusOr<KeyPair> ParseKeyPair(const std::string& line) {
  std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipWhitespace());
  if (parts.size() != 3) return absl::InvalidArgumentError("a key line has 3 fields");
  KeyPair pair;
  pair.public_key.key_id = parts[0];
  auto secret = DecodeKey(parts[1], crypto_sign_SECRETKEYBYTES);
  if (!secret.ok()) return secret.status();
  auto pub = DecodeKey(parts[2], crypto_sign_PUBLICKEYBYTES);
  if (!pub.ok()) return pub.status();
  pair.secret = *std::move(secret);
  pair.public_key.bytes = *std::move(pub);
  return pair;
}

}  // namespace gureum::auth
