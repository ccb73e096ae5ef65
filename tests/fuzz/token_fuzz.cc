// libFuzzer target: the token parser every service runs on every request's X-Auth-Token.
// Two ways in: the input as a whole token (the splitter, base64 and signature checks a
// forger reaches), and the input as a payload signed with a key the verifier trusts (the
// protobuf parse and claim mapping behind the signature, which a leaked or rotated-out
// key would expose). Neither may crash, hang or leak; a signed payload that parses must
// round-trip through SignToken.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/auth/keys.h"
#include "common/auth/token.h"

namespace {

const gureum::auth::KeyPair& Key() {
  static const gureum::auth::KeyPair* key = [] {
    if (sodium_init() < 0) __builtin_trap();
    return new gureum::auth::KeyPair(gureum::auth::GenerateKeyPair("kfuzz"));
  }();
  return *key;
}

const gureum::auth::PublicKey* Find(const std::string& id) {
  return id == Key().public_key.key_id ? &Key().public_key : nullptr;
}

// "g1.<key id>.<payload>." + a valid signature over what precedes it.
std::string Signed(const std::string& payload) {
  std::string signed_part =
      "g1." + Key().public_key.key_id + "." + gureum::auth::EncodeKey(payload);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size(),
                       reinterpret_cast<const unsigned char*>(Key().secret.data()));
  return signed_part + "." +
         gureum::auth::EncodeKey(std::string(reinterpret_cast<char*>(sig), sizeof(sig)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)gureum::auth::ParseAndVerify(input, Find);
  auto claims = gureum::auth::ParseAndVerify(Signed(input), Find);
  if (claims.ok()) {
    auto again = gureum::auth::ParseAndVerify(gureum::auth::SignToken(*claims, Key()), Find);
    if (!again.ok() || again->user_id != claims->user_id ||
        again->project_id != claims->project_id || again->roles != claims->roles) {
      __builtin_trap();
    }
  }
  return 0;
}
