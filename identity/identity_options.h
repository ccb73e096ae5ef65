// The [identity] configuration section: the options gureum-identity reads, registered on
// a config::Schema by AddIdentityOptions, and read back into IdentityOptions (what the
// manager needs) by IdentityOptionsFromConfig.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::identity {

inline constexpr char kDefaultKeyRepository[] = "/etc/gureum/identity-keys";

// What IdentityManager needs from the configuration.
struct IdentityOptions {
  absl::Duration token_expiration = absl::Hours(1);
  // Lockout after this many consecutive failed password checks; 0 turns lockout off.
  int lockout_failure_attempts = 0;
  absl::Duration lockout_duration = absl::Minutes(30);
  // argon2id costs (crypto_pwhash_str). Defaults are libsodium's INTERACTIVE limits
  // (2 passes, 64 MiB); tests use the minimum to stay fast.
  uint64_t password_hash_ops_limit = 2;
  uint64_t password_hash_mem_limit_kib = 64 * 1024;
  // How long token validation may reuse the records it read (validation_cache.h); only
  // changes made through another identity process wait this long to show.
  absl::Duration validation_cache_ttl = absl::Seconds(2);
  // The admin project (Keystone's [resource] admin_project_name / _domain_name): tokens
  // scoped to it say is_admin_project, and an admin there is a cloud administrator in
  // every service (common/policy's cloud_admin). The REST and gRPC adapters' own
  // AdminProjectOptions name the same project.
  std::string admin_project_name = "admin";
  std::string admin_project_domain_id = "default";
};

// Registers [identity]: token_expiration (1h), key_repository, max_active_keys (3),
// lockout_failure_attempts (0), lockout_duration (30m), password_hash_ops_limit (2),
// password_hash_mem_limit_kib (65536), host (0.0.0.0), rest_port (5000), grpc_port
// (15000), public_host (the host put in catalog URLs by bootstrap), region (RegionOne).
void AddIdentityOptions(config::Schema& schema);

// Reads the manager's options from a Config loaded with AddIdentityOptions' schema.
IdentityOptions IdentityOptionsFromConfig(const config::Config& config);

}  // namespace gureum::identity
