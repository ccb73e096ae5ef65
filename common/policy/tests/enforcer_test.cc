#include "common/policy/enforcer.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

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

// The admin role on a project: the admin project (is_admin_project) or any other.
Caller ProjectAdmin(const std::string& project, bool is_admin_project) {
  Caller c;
  c.user_id = "u-" + project;
  c.project_id = project;
  c.is_admin_project = is_admin_project;
  c.roles = {"admin", "member", "reader"};
  return c;
}

std::vector<Rule> ServiceDefaults() {
  std::vector<Rule> rules = BaseRules();
  rules.push_back({"compute:list_all_projects", "rule:cloud_admin", ""});
  rules.push_back({"compute:delete", "rule:cloud_admin or rule:project_member", ""});
  rules.push_back({"compute:change_owner", "rule:project_admin", ""});
  return rules;
}

TEST_CASE("cloud_admin: a system-scoped admin or an admin on the admin project, no other") {
  auto e = Enforcer::Create(ServiceDefaults());
  REQUIRE(e.ok());
  const Enforcer& p = **e;
  REQUIRE(p.Allowed("cloud_admin", SystemAdmin()));
  REQUIRE(p.Allowed("cloud_admin", ProjectAdmin("admin-project", true)));
  REQUIRE(p.Allowed("admin_required", ProjectAdmin("admin-project", true)));
  // An admin of one project (e.g. made so by a domain admin) is not a cloud admin.
  REQUIRE_FALSE(p.Allowed("cloud_admin", ProjectAdmin("p1", false)));
  REQUIRE_FALSE(p.Allowed("admin_required", ProjectAdmin("p1", false)));
  REQUIRE_FALSE(p.Allowed("compute:list_all_projects", ProjectAdmin("p1", false)));
  // The admin project without the admin role is nothing special.
  Caller member = ProjectAdmin("admin-project", true);
  member.roles = {"member", "reader"};
  REQUIRE_FALSE(p.Allowed("cloud_admin", member));

  // Another project's resource: only the cloud admin; the project admin keeps its own.
  Target other = {{"target.project_id", "p2"}};
  REQUIRE_FALSE(p.Allowed("compute:delete", ProjectAdmin("p1", false), other));
  REQUIRE(p.Allowed("compute:delete", ProjectAdmin("p1", false), {{"target.project_id", "p1"}}));
  REQUIRE(p.Allowed("compute:delete", ProjectAdmin("admin-project", true), other));

  // project_admin: the admin role on the target's project only.
  REQUIRE(p.Allowed("project_admin", ProjectAdmin("p1", false), {{"target.project_id", "p1"}}));
  REQUIRE_FALSE(p.Allowed("project_admin", ProjectAdmin("p1", false), other));
  REQUIRE_FALSE(p.Allowed("compute:change_owner", Reader("p1"), {{"target.project_id", "p1"}}));
}

TEST_CASE("legacy_admin: the admin role on any project is a cloud admin again") {
  auto e = Enforcer::Create(ServiceDefaults(), "", {.legacy_admin = true});
  REQUIRE(e.ok());
  REQUIRE((*e)->Allowed("cloud_admin", ProjectAdmin("p1", false)));
  REQUIRE((*e)->Allowed("compute:list_all_projects", ProjectAdmin("p1", false)));
  REQUIRE(
      (*e)->Allowed("compute:delete", ProjectAdmin("p1", false), {{"target.project_id", "p2"}}));
  REQUIRE_FALSE((*e)->Allowed("cloud_admin", Reader("p1")));
  // The operator's own cloud_admin in the policy file still wins over the switch.
  auto file = Enforcer::CreateFromYaml(ServiceDefaults(), "cloud_admin: \"system_scope:all\"",
                                       {.legacy_admin = true});
  REQUIRE(file.ok());
  REQUIRE_FALSE((*file)->Allowed("cloud_admin", ProjectAdmin("p1", false)));
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
