#include "common/policy/check.h"

#include <catch2/catch.hpp>

namespace gureum::policy {
namespace {

Caller Member() {
  Caller c;
  c.user_id = "u1";
  c.project_id = "p1";
  c.domain_id = "default";
  c.roles = {"member", "reader"};
  return c;
}

bool Eval(const std::string& text, const Caller& c, const Target& t = {}) {
  auto check = ParseCheck(text);
  REQUIRE(check.ok());
  return (*check)->Evaluate(
      c, t, [](const std::string&, int) { return false; }, 0);
}

TEST_CASE("role, constant and attribute checks") {
  Caller c = Member();
  REQUIRE(Eval("role:member", c));
  REQUIRE(Eval("role:MEMBER", c));
  REQUIRE_FALSE(Eval("role:admin", c));
  REQUIRE(Eval("@", c));
  REQUIRE_FALSE(Eval("!", c));
  REQUIRE(Eval("", c));
  REQUIRE(Eval("project_id:%(target.project_id)s", c, {{"target.project_id", "p1"}}));
  REQUIRE_FALSE(Eval("project_id:%(target.project_id)s", c, {{"target.project_id", "p2"}}));
  REQUIRE_FALSE(Eval("project_id:%(target.project_id)s", c, {}));
  REQUIRE(Eval("user_id:'u1'", c));
  REQUIRE_FALSE(Eval("system_scope:all", c));
  c.system_scope = true;
  REQUIRE(Eval("system_scope:all", c));
  REQUIRE_FALSE(Eval("nonsense_attribute:x", c));
}

TEST_CASE("and, or, not and parentheses with the usual precedence") {
  Caller c = Member();
  Target other = {{"target.project_id", "p2"}};
  REQUIRE(Eval("role:admin or role:member and project_id:%(target.project_id)s", c,
               {{"target.project_id", "p1"}}));
  REQUIRE_FALSE(Eval("role:admin or role:member and project_id:%(target.project_id)s", c, other));
  REQUIRE(Eval("(role:admin or role:member) and not role:auditor", c));
  REQUIRE_FALSE(Eval("not (role:member)", c));
  REQUIRE(Eval("not role:admin", c));
}

TEST_CASE("bad check strings are refused with the offending token") {
  REQUIRE_THAT(std::string(ParseCheck("role:admin or").status().message()),
               Catch::Contains("ends too early"));
  REQUIRE_THAT(std::string(ParseCheck("(role:admin").status().message()), Catch::Contains("')'"));
  REQUIRE_THAT(std::string(ParseCheck("roleadmin").status().message()),
               Catch::Contains("'roleadmin'"));
  REQUIRE_THAT(std::string(ParseCheck("role:admin role:member").status().message()),
               Catch::Contains("unexpected 'role:member'"));
}

TEST_CASE("is_admin_project compares with True or False, as oslo.policy's") {
  Caller c = Member();
  REQUIRE_FALSE(Eval("is_admin_project:True", c));
  REQUIRE(Eval("is_admin_project:False", c));
  c.is_admin_project = true;
  REQUIRE(Eval("is_admin_project:True", c));
  REQUIRE(Eval("is_admin_project:true", c));
  REQUIRE_FALSE(Eval("is_admin_project:False", c));
  REQUIRE(Eval("role:member and (system_scope:all or is_admin_project:True)", c));
}

}  // namespace
}  // namespace gureum::policy
