#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/policy/enforcer.h"

namespace gureum::policy {
namespace {

std::vector<Rule> Defaults() {
  std::vector<Rule> rules = BaseRules();
  rules.push_back({"identity:create_project", "rule:system_admin", ""});
  rules.push_back({"identity:get_project", "rule:system_reader or rule:project_reader", ""});
  return rules;
}

Caller Reader(const std::string& project) {
  Caller c;
  c.user_id = "u1";
  c.project_id = project;
  c.roles = {"reader"};
  return c;
}

Caller SystemAdmin() {
  Caller c;
  c.user_id = "admin";
  c.system_scope = true;
  c.roles = {"admin", "member", "reader"};
  return c;
}

TEST_CASE("defaults decide when there is no policy file") {
  auto e = Enforcer::Create(Defaults(), "/nonexistent/policy.yaml");
  REQUIRE(e.ok());
  REQUIRE((*e)->Allowed("identity:create_project", SystemAdmin()));
  REQUIRE_FALSE((*e)->Allowed("identity:create_project", Reader("p1")));
  REQUIRE((*e)->Allowed("identity:get_project", Reader("p1"), {{"target.project_id", "p1"}}));
  REQUIRE_FALSE((*e)->Allowed("identity:get_project", Reader("p1"), {{"target.project_id", "p2"}}));
  absl::Status s = (*e)->Enforce("identity:create_project", Reader("p1"));
  REQUIRE(s.code() == absl::StatusCode::kPermissionDenied);
  REQUIRE(s.message() ==
          "You are not authorized to perform the requested action: identity:create_project.");
  REQUIRE_FALSE((*e)->Allowed("no:such:rule", SystemAdmin()));
}

TEST_CASE("the operator's file overrides and adds rules") {
  std::string path = "/tmp/gureum_policy_test_" + std::to_string(getpid()) + ".yaml";
  std::ofstream(path) << "\"identity:create_project\": \"rule:project_creators\"\n"
                         "\"project_creators\": \"role:reader\"\n";
  auto e = Enforcer::Create(Defaults(), path);
  std::remove(path.c_str());
  REQUIRE(e.ok());
  REQUIRE((*e)->Allowed("identity:create_project", Reader("p1")));
}

TEST_CASE("bad files stop start-up with a message naming the rule") {
  auto unknown = Enforcer::CreateFromYaml(Defaults(), "\"identity:get_project\": \"rule:nope\"");
  REQUIRE_THAT(std::string(unknown.status().message()),
               Catch::Contains("rule 'identity:get_project' refers to unknown rule 'nope'"));
  auto cycle = Enforcer::CreateFromYaml(Defaults(), "a: \"rule:b\"\nb: \"rule:a\"\n");
  REQUIRE_THAT(std::string(cycle.status().message()), Catch::Contains("refers to itself"));
  auto syntax = Enforcer::CreateFromYaml(Defaults(), "x: \"role:admin or\"");
  REQUIRE_THAT(std::string(syntax.status().message()), Catch::Contains("rule 'x'"));
  auto not_map = Enforcer::CreateFromYaml(Defaults(), "- a\n- b\n");
  REQUIRE_THAT(std::string(not_map.status().message()), Catch::Contains("expected a mapping"));
  auto broken = Enforcer::CreateFromYaml(Defaults(), "a: [unclosed");
  REQUIRE_THAT(std::string(broken.status().message()), Catch::Contains("not valid YAML"));
}

}  // namespace
}  // namespace gureum::policy
