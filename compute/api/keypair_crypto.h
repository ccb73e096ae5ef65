// SSH key pairs for os-keypairs: validating an imported OpenSSH public key and
// generating an Ed25519 pair (libsodium), with Nova's MD5 fingerprint
// ("aa:bb:...:ff" over the key blob).
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gureum::compute {

struct GeneratedKeypair {
  std::string public_key;   // "ssh-ed25519 AAAA... <comment>"
  std::string private_key;  // "-----BEGIN OPENSSH PRIVATE KEY-----..."
  std::string fingerprint;
};

// The fingerprint of an OpenSSH public key line, or InvalidArgument ("Keypair data is
// invalid: ...") when it is not one.
absl::StatusOr<std::string> PublicKeyFingerprint(const std::string& public_key);

absl::StatusOr<GeneratedKeypair> GenerateEd25519Keypair(const std::string& comment);

}  // namespace gureum::compute
