#include "common/auth/token.h"

#include <sodium.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#include "token.pb.h"

namespace gureum::auth {
namespace {

constexpr char kVersion[] = "g1";

absl::Status Bad(const char* why) { return absl::UnauthenticatedError(why); }

int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }

}  // namespace

std::string NewAuditId() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof(raw));
  return EncodeKey(std::string(reinterpret_cast<char*>(raw), sizeof(raw)));
}

std::string SignToken(const TokenClaims& c, const KeyPair& key) {
  gureum::token::v1::TokenPayload p;
  p.set_user_id(c.user_id);
  p.set_user_name(c.user_name);
  p.set_user_domain_id(c.user_domain_id);
  p.set_project_id(c.project_id);
  p.set_project_domain_id(c.project_domain_id);
  p.set_is_admin_project(c.is_admin_project);
  p.set_domain_id(c.domain_id);
  p.set_system(c.system);
  for (const auto& r : c.roles) p.add_roles(r);
  for (const auto& r : c.role_ids) p.add_role_ids(r);
  for (const auto& m : c.methods) p.add_methods(m);
  p.set_audit_id(c.audit_id);
  for (const auto& a : c.audit_chain) p.add_audit_chain(a);
  p.set_issued_at_us(ToMicros(c.issued_at));
  p.set_expires_at_us(ToMicros(c.expires_at));
  p.set_application_credential_id(c.application_credential_id);
  std::string signed_part =
      absl::StrCat(kVersion, ".", key.public_key.key_id, ".", EncodeKey(p.SerializeAsString()));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size(),
                       reinterpret_cast<const unsigned char*>(key.secret.data()));
  return absl::StrCat(signed_part, ".",
                      EncodeKey(std::string(reinterpret_cast<char*>(sig), sizeof(sig))));
}

absl::StatusOr<TokenClaims> ParseAndVerify(
    const std::string& token, const std::function<const PublicKey*(const std::string&)>& find_key) {
  if (token.size() > 8192) return Bad("token too long");
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 4 || parts[0] != kVersion) return Bad("malformed token");
  const PublicKey* key = find_key(std::string(parts[1]));
  if (key == nullptr) return Bad("token signed with an unknown key");
  auto sig = DecodeKey(std::string(parts[3]), crypto_sign_BYTES);
  if (!sig.ok()) return Bad("malformed token signature");
  size_t signed_len = parts[0].size() + parts[1].size() + parts[2].size() + 2;
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(token.data()), signed_len,
                                  reinterpret_cast<const unsigned char*>(key->bytes.data())) != 0) {
    return Bad("bad token signature");
  }
  // The payload is signed, so from here on it is ours; a parse failure means a bug.
  std::string raw(parts[2].size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), parts[2].data(),
                        parts[2].size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return Bad("malformed token payload");
  }
  raw.resize(len);
  gureum::token::v1::TokenPayload p;
  if (!p.ParseFromString(raw)) return Bad("malformed token payload");
  TokenClaims c;
  c.user_id = p.user_id();
  c.user_name = p.user_name();
  c.user_domain_id = p.user_domain_id();
  c.project_id = p.project_id();
  c.project_domain_id = p.project_domain_id();
  c.is_admin_project = p.is_admin_project();
  c.domain_id = p.domain_id();
  c.system = p.system();
  c.roles.assign(p.roles().begin(), p.roles().end());
  c.role_ids.assign(p.role_ids().begin(), p.role_ids().end());
  c.methods.assign(p.methods().begin(), p.methods().end());
  c.audit_id = p.audit_id();
  c.audit_chain.assign(p.audit_chain().begin(), p.audit_chain().end());
  c.issued_at = absl::FromUnixMicros(p.issued_at_us());
  c.expires_at = absl::FromUnixMicros(p.expires_at_us());
  c.application_credential_id = p.application_credential_id();
  c.key_id = std::string(parts[1]);
  return c;
}

}  // namespace gureum::auth
