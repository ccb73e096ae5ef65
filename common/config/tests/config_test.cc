#include "common/config/config.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

namespace gureum::config {
namespace {

Schema TestSchema() {
  Schema s;
  AddCommonOptions(s);
  s.Int("identity", "rest_port", 5000, 1, 65535, "REST port")
      .Bool("identity", "enabled", true, "on or off")
      .Double("scheduler", "cpu_allocation_ratio", 4.0, "overcommit")
      .Duration("compute", "service_down_time", "60s", "heartbeat timeout")
      .List("compute", "filters", "ComputeFilter, AvailabilityZoneFilter", "filters")
      .Add({.section = "scheduler",
            .name = "weigher",
            .type = Type::kString,
            .default_value = "spread",
            .help = "",
            .choices = {"spread", "stack"}});
  return s;
}

std::string WriteTemp(const std::string& text) {
  static int n = 0;
  std::string path =
      "/tmp/gureum_config_test_" + std::to_string(getpid()) + "_" + std::to_string(n++) + ".conf";
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("defaults apply when nothing is set") {
  Schema schema = TestSchema();
  auto cfg = Config::LoadFromString(schema, "");
  REQUIRE(cfg.ok());
  REQUIRE(cfg->GetInt("identity", "rest_port") == 5000);
  REQUIRE(cfg->GetBool("identity", "enabled"));
  REQUIRE(cfg->GetDouble("scheduler", "cpu_allocation_ratio") == 4.0);
  REQUIRE(cfg->GetDuration("compute", "service_down_time") == absl::Seconds(60));
  REQUIRE(cfg->GetList("compute", "filters") ==
          std::vector<std::string>{"ComputeFilter", "AvailabilityZoneFilter"});
  REQUIRE(cfg->GetString("scheduler", "weigher") == "spread");
  REQUIRE_FALSE(cfg->IsSet("identity", "rest_port"));
  REQUIRE(cfg->Origin("identity", "rest_port") == "default");
}

TEST_CASE("values are typed and the [DEFAULT] section works") {
  Schema schema = TestSchema();
  auto cfg = Config::LoadFromString(schema, R"(
[DEFAULT]
debug = true
transport_url = amqp://gureum:pw@127.0.0.1:5672/gureum
[identity]
rest_port = 15000
enabled = no
; a comment
unknown_option_of_another_service = whatever
[compute]
service_down_time = 2m
filters = A,B
[scheduler]
weigher = stack
cpu_allocation_ratio = 16.0
)",
                                    "gureum.conf");
  REQUIRE(cfg.ok());
  REQUIRE(cfg->GetBool("DEFAULT", "debug"));
  REQUIRE(cfg->GetString("DEFAULT", "transport_url") == "amqp://gureum:pw@127.0.0.1:5672/gureum");
  REQUIRE(cfg->GetInt("identity", "rest_port") == 15000);
  REQUIRE_FALSE(cfg->GetBool("identity", "enabled"));
  REQUIRE(cfg->GetDuration("compute", "service_down_time") == absl::Minutes(2));
  REQUIRE(cfg->GetList("compute", "filters") == std::vector<std::string>{"A", "B"});
  REQUIRE(cfg->GetString("scheduler", "weigher") == "stack");
  REQUIRE(cfg->GetDouble("scheduler", "cpu_allocation_ratio") == 16.0);
  REQUIRE(cfg->Origin("identity", "rest_port") == "gureum.conf");
}

TEST_CASE("a bad value is one line naming file, option and problem") {
  Schema schema = TestSchema();
  auto check = [&](const std::string& text, const std::string& expected) {
    std::string path = WriteTemp(text);
    auto cfg = Config::Load(schema, {path});
    std::remove(path.c_str());
    REQUIRE_FALSE(cfg.ok());
    std::string msg(cfg.status().message());
    REQUIRE(msg.find('\n') == std::string::npos);
    REQUIRE_THAT(msg, Catch::StartsWith(path));
    REQUIRE_THAT(msg, Catch::Contains(expected));
  };
  check("[identity]\nrest_port = abc\n", "[identity] rest_port: 'abc' is not an integer");
  check("[identity]\nrest_port = 70000\n", "rest_port: 70000 is above the maximum 65535");
  check("[identity]\nenabled = maybe\n", "enabled: 'maybe' is not a boolean");
  check("[scheduler]\nweigher = random\n", "weigher: 'random' is not one of spread, stack");
  check("[compute]\nservice_down_time = soon\n", "service_down_time: 'soon' is not a duration");
  check("[scheduler]\ncpu_allocation_ratio = lots\n", "'lots' is not a number");
  check("[identity\nrest_port = 1\n", ":1: syntax error");
}

TEST_CASE("later files override earlier ones, a missing file is an error") {
  Schema schema = TestSchema();
  std::string a = WriteTemp("[identity]\nrest_port = 1000\nenabled = false\n");
  std::string b = WriteTemp("[identity]\nrest_port = 2000\n");
  auto cfg = Config::Load(schema, {a, b});
  REQUIRE(cfg.ok());
  REQUIRE(cfg->GetInt("identity", "rest_port") == 2000);
  REQUIRE_FALSE(cfg->GetBool("identity", "enabled"));
  REQUIRE(cfg->Origin("identity", "rest_port") == b);
  auto missing = Config::Load(schema, {a, "/nonexistent/gureum.conf"});
  REQUIRE_FALSE(missing.ok());
  REQUIRE_THAT(std::string(missing.status().message()),
               Catch::Contains("/nonexistent/gureum.conf: cannot open"));
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST_CASE("required options must be set") {
  Schema schema;
  schema.Add(
      {.section = "database", .name = "connection", .type = Type::kSecret, .required = true});
  auto cfg = Config::LoadFromString(schema, "[DEFAULT]\n");
  REQUIRE_FALSE(cfg.ok());
  REQUIRE_THAT(std::string(cfg.status().message()),
               Catch::Contains("[database] connection is required"));
}

TEST_CASE("the default file is used when none is given") {
  REQUIRE(ConfigFilesOrDefault({}) == std::vector<std::string>{"/etc/gureum/gureum.conf"});
  REQUIRE(ConfigFilesOrDefault({"a.conf", "b.conf"}) ==
          std::vector<std::string>{"a.conf", "b.conf"});
}

}  // namespace
}  // namespace gureum::config
