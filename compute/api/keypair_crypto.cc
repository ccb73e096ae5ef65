#include "compute/api/keypair_crypto.h"

#include <sodium.h>

#include <cstdint>
#include <vector>

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::compute {
namespace {

using Bytes = std::vector<unsigned char>;

void PutU32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<unsigned char>(v >> shift));
}
void PutString(Bytes& out, const unsigned char* data, size_t n) {
  PutU32(out, static_cast<uint32_t>(n));
  out.insert(out.end(), data, data + n);
}
void PutString(Bytes& out, const std::string& s) {
  PutString(out, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

std::string Base64(const Bytes& b) {
  std::string out(sodium_base64_encoded_len(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), b.data(), b.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string Md5Fingerprint(const Bytes& blob) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(blob.data(), blob.size(), md, &len, EVP_md5(), nullptr);
  std::string out;
  static const char* kHex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

absl::Status Invalid(const std::string& why) {
  return absl::InvalidArgumentError("Keypair data is invalid: " + why);
}

}  // namespace

absl::StatusOr<std::string> PublicKeyFingerprint(const std::string& public_key) {
  std::vector<std::string> parts =
      absl::StrSplit(public_key, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  if (parts.size() < 2) return Invalid("failed to generate fingerprint");
  static const char* kTypes[] = {"ssh-rsa",
                                 "ssh-ed25519",
                                 "ssh-dss",
                                 "ecdsa-sha2-nistp256",
                                 "ecdsa-sha2-nistp384",
                                 "ecdsa-sha2-nistp521"};
  bool known = false;
  for (const char* t : kTypes) known = known || parts[0] == t;
  if (!known) return Invalid("failed to generate fingerprint (unknown key type " + parts[0] + ")");
  Bytes blob(parts[1].size());
  size_t len = 0;
  if (sodium_base642bin(blob.data(), blob.size(), parts[1].data(), parts[1].size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < 4) {
    return Invalid("failed to generate fingerprint (bad base64)");
  }
  blob.resize(len);
  const uint32_t n = (uint32_t{blob[0]} << 24) | (uint32_t{blob[1]} << 16) |
                     (uint32_t{blob[2]} << 8) | uint32_t{blob[3]};
  if (n + 4 > len || std::string(blob.begin() + 4, blob.begin() + 4 + n) != parts[0]) {
    return Invalid("failed to generate fingerprint (key blob does not match its type)");
  }
  return Md5Fingerprint(blob);
}

absl::StatusOr<GeneratedKeypair> GenerateEd25519Keypair(const std::string& comment) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];  // seed || public key, as OpenSSH stores it
  crypto_sign_keypair(pk, sk);

  Bytes pub_blob;
  PutString(pub_blob, "ssh-ed25519");
  PutString(pub_blob, pk, sizeof pk);

  // The private section: check ints, key, comment, padding 1,2,3... to the block size 8.
  uint32_t check = randombytes_random();
  Bytes priv;
  PutU32(priv, check);
  PutU32(priv, check);
  PutString(priv, "ssh-ed25519");
  PutString(priv, pk, sizeof pk);
  PutString(priv, sk, sizeof sk);
  PutString(priv, comment);
  for (unsigned char pad = 1; priv.size() % 8 != 0; ++pad) priv.push_back(pad);

  Bytes file = {'o', 'p', 'e', 'n', 's', 's', 'h', '-', 'k', 'e', 'y', '-', 'v', '1', '\0'};
  PutString(file, "none");  // cipher
  PutString(file, "none");  // kdf
  PutString(file, "");      // kdf options
  PutU32(file, 1);          // one key
  PutString(file, pub_blob.data(), pub_blob.size());
  PutString(file, priv.data(), priv.size());
  sodium_memzero(sk, sizeof sk);

  std::string b64 = Base64(file);
  sodium_memzero(priv.data(), priv.size());
  std::string pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 70) pem += b64.substr(i, 70) + "\n";
  pem += "-----END OPENSSH PRIVATE KEY-----\n";

  GeneratedKeypair out;
  out.public_key = absl::StrCat("ssh-ed25519 ", Base64(pub_blob), " ", comment);
  out.private_key = std::move(pem);
  out.fingerprint = Md5Fingerprint(pub_blob);
  return out;
}

}  // namespace gureum::compute
