#include "common/policy/policy_config.h"

#include <catch2/catch.hpp>

namespace gureum::policy {
namespace {

Caller AdminOf(const std::string& project) {
  Caller c;
  c.project_id = project;
  c.roles = {"admin"};
  return c;
}

absl::StatusOr<std::unique_ptr<Enforcer>> FromText(config::Schema& schema, const std::string& ini) {
  AddPolicyOptions(schema);
  schema.String("compute", "policy_file", "", "");
  auto cfg = config::Config::LoadFromString(schema, ini);
  REQUIRE(cfg.ok());
  return EnforcerFromConfig(BaseRules(), *cfg, "compute");
}

TEST_CASE("[policy] legacy_admin is off unless the configuration turns it on") {
  config::Schema secure_schema;
  auto secure = FromText(secure_schema, "");
  REQUIRE(secure.ok());
  REQUIRE_FALSE((*secure)->Allowed("cloud_admin", AdminOf("p1")));

  config::Schema legacy_schema;
  auto legacy = FromText(legacy_schema, "[policy]\nlegacy_admin = true\n");
  REQUIRE(legacy.ok());
  REQUIRE((*legacy)->Allowed("cloud_admin", AdminOf("p1")));
}

}  // namespace
}  // namespace gureum::policy
