#include "object-storage/proxy/temp_url.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object::proxy {
namespace {

std::string Hmac(const EVP_MD* md, const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &n);
  return std::string(reinterpret_cast<const char*>(out), n);
}

const EVP_MD* Digest(const std::string& name) {
  if (name == "sha1") return EVP_sha1();
  if (name == "sha256") return EVP_sha256();
  if (name == "sha512") return EVP_sha512();
  return nullptr;
}

// Constant time: the signature is a secret until it matches.
bool SameBytes(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool Signs(const std::string& key, const std::string& signature, const std::string& message) {
  if (absl::StartsWith(signature, "sha512:")) {
    std::string raw;
    if (!absl::WebSafeBase64Unescape(signature.substr(7), &raw) &&
        !absl::Base64Unescape(signature.substr(7), &raw)) {
      return false;
    }
    return SameBytes(Hmac(EVP_sha512(), key, message), raw);
  }
  const char* digest = signature.size() == 40    ? "sha1"
                       : signature.size() == 64  ? "sha256"
                       : signature.size() == 128 ? "sha512"
                                                 : nullptr;
  if (digest == nullptr) return false;
  return SameBytes(HmacHex(digest, key, message), absl::AsciiStrToLower(signature));
}

}  // namespace

std::string HmacHex(const std::string& digest, const std::string& key, const std::string& message) {
  const EVP_MD* md = Digest(digest);
  return md == nullptr ? std::string() : HexEncode(Hmac(md, key, message));
}

bool TempUrlValid(const TempUrlRequest& r, const std::vector<std::string>& keys, int64_t now) {
  int64_t expires = 0;
  if (!absl::SimpleAtoi(r.expires, &expires) || expires <= now || r.signature.empty()) {
    return false;
  }
  std::string signed_path = r.path;
  if (r.has_prefix) {
    // The signature covers ".../<container>/<prefix>"; the object must start with it.
    const size_t c = r.path.find('/', r.path.find('/', 4) + 1);
    if (c == std::string::npos) return false;
    const std::string base = r.path.substr(0, c + 1);
    if (!absl::StartsWith(r.path.substr(c + 1), r.prefix)) return false;
    signed_path = absl::StrCat("prefix:", base, r.prefix);
  }
  std::vector<std::string> methods = {r.method};
  if (r.method == "HEAD") methods = {"HEAD", "GET", "PUT", "POST"};
  for (const std::string& method : methods) {
    const std::string message = absl::StrCat(method, "\n", r.expires, "\n", signed_path);
    for (const std::string& key : keys) {
      if (!key.empty() && Signs(key, r.signature, message)) return true;
    }
  }
  return false;
}

}  // namespace gureum::object::proxy
