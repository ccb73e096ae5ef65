#include "cli/auth_env.h"

#include <map>

#include <catch2/catch.hpp>

namespace gureum::cli {
namespace {

std::function<const char*(const char*)> Env(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST_CASE("OS_* variables are read like the openstack CLI reads them") {
  AuthSettings s;
  ReadAuthEnvironment(Env({{"OS_AUTH_URL", "http://ctl:5000/v3"},
                           {"OS_USERNAME", "admin"},
                           {"OS_PASSWORD", "secret"},
                           {"OS_PROJECT_NAME", "admin"},
                           {"OS_USER_DOMAIN_NAME", "Users"},
                           {"OS_PROJECT_DOMAIN_NAME", "Projects"},
                           {"OS_REGION_NAME", "RegionTwo"}}),
                      s, AuthSettings{});
  REQUIRE(s.auth_url == "http://ctl:5000/v3");
  REQUIRE(s.username == "admin");
  REQUIRE(s.password == "secret");
  REQUIRE(s.project_name == "admin");
  REQUIRE(s.user_domain_name == "Users");
  REQUIRE(s.project_domain_name == "Projects");
  REQUIRE(s.region_name == "RegionTwo");
  REQUIRE(CheckAuthSettings(s).ok());
}

TEST_CASE("command-line options win over the environment, defaults stay") {
  AuthSettings options;
  options.username = "alice";
  AuthSettings s;
  ReadAuthEnvironment(Env({{"OS_USERNAME", "admin"}, {"OS_AUTH_URL", "http://x/v3"}}), s, options);
  REQUIRE(s.username == "alice");
  REQUIRE(s.user_domain_name == "Default");
  REQUIRE(s.region_name == "RegionOne");
}

TEST_CASE("missing settings are named") {
  AuthSettings s;
  REQUIRE_THAT(std::string(CheckAuthSettings(s).message()),
               Catch::Contains("Missing value auth-url"));
  s.auth_url = "http://x/v3";
  REQUIRE_THAT(std::string(CheckAuthSettings(s).message()),
               Catch::Contains("Missing value username"));
  s.token = "t";
  REQUIRE(CheckAuthSettings(s).ok());
}

}  // namespace
}  // namespace gureum::cli
