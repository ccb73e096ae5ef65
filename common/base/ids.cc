#include "common/base/ids.h"

#include <sodium.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace gureum {
namespace {

std::string FormatUuid(const unsigned char b[16]) {
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace

std::string RandomIdGenerator::NewUuid() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // No CSPRNG: nothing safe can be issued.
  unsigned char b[16];
  randombytes_buf(b, sizeof(b));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return FormatUuid(b);
}

IdGenerator& RandomIdGenerator::Get() {
  static RandomIdGenerator* gen = new RandomIdGenerator();
  return *gen;
}

std::string SequentialIdGenerator::NewUuid() {
  unsigned long long n = next_.fetch_add(1);
  char out[37];
  std::snprintf(out, sizeof(out), "00000000-0000-4000-8000-%012llx", n);
  return out;
}

std::string NewUuid() { return RandomIdGenerator::Get().NewUuid(); }

std::string NewRequestId() { return "req-" + NewUuid(); }

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace gureum
