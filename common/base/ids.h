// Identifiers as a collaborator: components take an IdGenerator& so tests get
// predictable ids. Real ids are random version-4 UUIDs from libsodium's CSPRNG.
#pragma once

#include <atomic>
#include <string>

namespace gureum {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new UUID in canonical form, e.g. "3f2c...-...". Thread-safe.
  virtual std::string NewUuid() = 0;
};

class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewUuid() override;
  static IdGenerator& Get();
};

// Deterministic ids for tests: 00000000-0000-4000-8000-000000000001, ...2, ...
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewUuid() override;

 private:
  std::atomic<unsigned long long> next_{1};
};

// A random UUID (v4); the same as RandomIdGenerator::Get().NewUuid().
std::string NewUuid();

// "req-" + a random UUID: the shape OpenStack uses for X-Openstack-Request-Id.
std::string NewRequestId();

// True if `s` is a canonical UUID (any version, lower or upper case hex).
bool IsUuid(const std::string& s);

}  // namespace gureum
