// Ed25519 signing keys for tokens. Identity holds the private keys; every service holds
// the public ones. A key id names each key pair so that rotation can add a new key while
// tokens signed with the old one keep verifying until they expire.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gureum::auth {

struct PublicKey {
  std::string key_id;  // short, url-safe, e.g. "k20261127a"
  std::string bytes;   // 32 raw bytes
};

struct KeyPair {
  PublicKey public_key;
  std::string secret;  // 64 raw bytes (libsodium's seed + public key)
};

// A fresh key pair from libsodium's CSPRNG.
KeyPair GenerateKeyPair(const std::string& key_id);

// Text forms for key files and the public-key API: base64url without padding.
std::string EncodeKey(const std::string& raw);
absl::StatusOr<std::string> DecodeKey(const std::string& text, size_t expected_size);

// Writes/reads a key pair as one line "key_id secret_b64 public_b64" (files are 0600).
std::string SerializeKeyPair(const KeyPair& pair);
absl::StatusOr<KeyPair> ParseKeyPair(const std::string& line);

}  // namespace gureum::auth
