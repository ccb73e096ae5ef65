// Unit tests needing no store: argon2id hashing, the key repository, the options.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "common/config/config.h"
#include "common/testing/test_env.h"
#include "identity/identity_options.h"
#include "identity/key_repository.h"
#include "identity/password_hasher.h"

namespace gureum::identity {
namespace {

TEST_CASE("password hasher: argon2id, verify, dummy, limits") {
  auto h = PasswordHasher::ForTesting();
  auto hash = h->Hash("correct horse");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(h->Verify(*hash, "correct horse"));
  CHECK_FALSE(h->Verify(*hash, "wrong"));
  CHECK_FALSE(h->Verify("", "anything"));
  CHECK_FALSE(h->VerifyDummy("correct horse"));
  CHECK(*h->Hash("x") != *h->Hash("x"));  // salted
  CHECK(absl::IsInvalidArgument(PasswordHasher::Create(0, 64).status()));
  CHECK(absl::IsInvalidArgument(PasswordHasher::Create(2, 1).status()));
}

TEST_CASE("key repository: initialise, rotate, load, permissions") {
  std::string dir =
      std::filesystem::temp_directory_path() / gureum::testing::UniqueName("identity_keys");
  CHECK(absl::IsFailedPrecondition(LoadKeys(dir).status()));
  CHECK(absl::IsFailedPrecondition(RotateKeys(dir, 3)));
  REQUIRE(InitializeKeys(dir).ok());
  REQUIRE(InitializeKeys(dir).ok());  // idempotent
  struct stat st;
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(stat((dir + "/0.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto keys = LoadKeys(dir);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  std::string first_id = keys->front().public_key.key_id;

  REQUIRE(RotateKeys(dir, 3).ok());
  keys = LoadKeys(dir);
  REQUIRE(keys->size() == 2);
  CHECK(keys->back().public_key.key_id == first_id);  // newest first
  REQUIRE(RotateKeys(dir, 3).ok());
  REQUIRE(RotateKeys(dir, 3).ok());
  keys = LoadKeys(dir);
  REQUIRE(keys->size() == 3);
  for (const auto& k : *keys) CHECK(k.public_key.key_id != first_id);  // oldest removed
  CHECK(absl::IsInvalidArgument(RotateKeys(dir, 1)));

  DirectoryKeySource source(dir);
  CHECK(source.Load()->size() == 3);
  chmod(dir.c_str(), 0755);
  CHECK(absl::IsPermissionDenied(LoadKeys(dir).status()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("key repository: the credential key is made once, kept, and survives rotation") {
  std::string dir =
      std::filesystem::temp_directory_path() / gureum::testing::UniqueName("identity_keys");
  REQUIRE(InitializeKeys(dir).ok());
  DirectoryKeySource source(dir);
  auto key = source.CredentialKey();
  REQUIRE(key.ok());
  CHECK(key->size() == 32);
  struct stat st;
  REQUIRE(stat((dir + "/credential-key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(RotateKeys(dir, 2).ok());
  REQUIRE(RotateKeys(dir, 2).ok());
  CHECK(*source.CredentialKey() == *key);
  CHECK(LoadKeys(dir)->size() == 2);  // not a signing key
  {
    std::ofstream bad(dir + "/credential-key", std::ios::trunc);
    bad << "not hex\n";
  }
  CHECK(absl::IsInvalidArgument(source.CredentialKey().status()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("options: [identity] defaults and overrides") {
  config::Schema schema;
  AddIdentityOptions(schema);
  auto cfg = config::Config::LoadFromString(schema, "");
  REQUIRE(cfg.ok());
  IdentityOptions o = IdentityOptionsFromConfig(*cfg);
  CHECK(o.token_expiration == absl::Hours(1));
  CHECK(o.lockout_failure_attempts == 0);
  CHECK(o.password_hash_mem_limit_kib == 65536);
  CHECK(cfg->GetInt("identity", "rest_port") == 5000);
  CHECK(cfg->GetInt("identity", "grpc_port") == 15000);
  CHECK(cfg->GetString("identity", "key_repository") == "/etc/gureum/identity-keys");
  cfg = config::Config::LoadFromString(
      schema, "[identity]\ntoken_expiration = 2h\nlockout_failure_attempts = 5\n");
  REQUIRE(cfg.ok());
  o = IdentityOptionsFromConfig(*cfg);
  CHECK(o.token_expiration == absl::Hours(2));
  CHECK(o.lockout_failure_attempts == 5);
}

}  // namespace
}  // namespace gureum::identity
