// Helpers for image tests: synthetic disk headers, callers, hashes.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include <openssl/evp.h>

#include "common/base/caller.h"

namespace gureum::image::testing {

inline void PutBe(std::string& s, size_t off, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) s[off + i] = static_cast<char>(v & 0xff);
}

// A qcow2 header (version 3) padded to `total` bytes.
inline std::string Qcow2(uint64_t virtual_size, bool backing = false, bool data_file = false,
                         size_t total = 256 * 1024) {
  std::string s(total, '\0');
  s.replace(0, 4, "QFI\xfb", 4);
  PutBe(s, 4, 3, 4);
  if (backing) {
    PutBe(s, 8, 512, 8);
    PutBe(s, 16, 8, 4);
    s.replace(512, 8, "base.raw");
  }
  PutBe(s, 20, 16, 4);  // cluster bits
  PutBe(s, 24, virtual_size, 8);
  if (data_file) PutBe(s, 72, 4, 8);
  PutBe(s, 100, 104, 4);
  return s;
}

inline std::string RandomBytes(size_t n, unsigned seed = 7) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v = rng();
    s.replace(i, 8, reinterpret_cast<const char*>(&v), 8);
  }
  return s;
}

inline std::string HexDigest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
  return hex;
}

inline Caller Member(const std::string& project) {
  Caller c;
  c.user_id = "u-" + project;
  c.project_id = project;
  c.roles = {"member", "reader"};
  return c;
}

inline Caller Reader(const std::string& project) {
  Caller c = Member(project);
  c.roles = {"reader"};
  return c;
}

inline Caller Admin() {  // admin-openrc: the admin role on the admin project
  Caller c = Member("admin-project");
  c.is_admin_project = true;
  c.roles = {"admin", "member", "reader"};
  return c;
}

// What a domain admin can make: the admin role on one ordinary project. Not a cloud admin.
inline Caller AdminOf(const std::string& project) {
  Caller c = Member(project);
  c.roles = {"admin", "member", "reader"};
  return c;
}

inline Caller Service() {
  Caller c = Member("service");
  c.roles = {"service"};
  return c;
}

}  // namespace gureum::image::testing
