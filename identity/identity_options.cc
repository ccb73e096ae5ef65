#include "identity/identity_options.h"

namespace gureum::identity {

void AddIdentityOptions(config::Schema& schema) {
  const std::string s = "identity";
  schema.Duration(s, "token_expiration", "1h", "How long a token is valid after issue.");
  schema.String(s, "key_repository", kDefaultKeyRepository,
                "Directory of Ed25519 token signing keys (0700, one file per key).");
  schema.Int(s, "max_active_keys", 3, 2, 100,
             "Keys kept by rotate-keys; max_active_keys x rotation interval must exceed "
             "token_expiration.");
  schema.Int(s, "lockout_failure_attempts", 0, 0, 1000,
             "Failed password checks before a user is locked out; 0 disables lockout.");
  schema.Duration(s, "lockout_duration", "30m", "How long a locked-out user stays locked.");
  schema.Int(s, "password_hash_ops_limit", 2, 1, 100, "argon2id passes (crypto_pwhash).");
  schema.Int(s, "password_hash_mem_limit_kib", 64 * 1024, 8, 4 * 1024 * 1024,
             "argon2id memory per hash, KiB.");
  schema.String(s, "host", "0.0.0.0", "Address the REST and gRPC servers listen on.");
  schema.Int(s, "rest_port", 5000, 1, 65535, "Keystone v3 REST port.");
  schema.Int(s, "grpc_port", 15000, 1, 65535, "gRPC port.");
  schema.String(s, "public_host", "localhost",
                "Host name clients use to reach this controller (catalog URLs).");
  schema.String(s, "region", "RegionOne", "Region of the catalog endpoints.");
}

IdentityOptions IdentityOptionsFromConfig(const config::Config& config) {
  IdentityOptions o;
  o.token_expiration = config.GetDuration("identity", "token_expiration");
  o.lockout_failure_attempts =
      static_cast<int>(config.GetInt("identity", "lockout_failure_attempts"));
  o.lockout_duration = config.GetDuration("identity", "lockout_duration");
  o.password_hash_ops_limit =
      static_cast<uint64_t>(config.GetInt("identity", "password_hash_ops_limit"));
  o.password_hash_mem_limit_kib =
      static_cast<uint64_t>(config.GetInt("identity", "password_hash_mem_limit_kib"));
  return o;
}

}  // namespace gureum::identity
