#include "common/service/runtime.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace gureum::service {
namespace {

std::string Temp(const std::string& suffix) {
  return "/tmp/gureum_runtime_test_" + std::to_string(getpid()) + suffix;
}

absl::StatusOr<config::Config> Run(std::vector<std::string> args, config::Schema& schema) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return Start(static_cast<int>(argv.size()), argv.data(), "unit", schema);
}

TEST_CASE("a service reads its config files and logs to log_dir") {
  std::string dir = Temp("_logs");
  std::string conf = Temp(".conf");
  mkdir(dir.c_str(), 0700);
  std::ofstream(conf) << "[DEFAULT]\nlog_dir = " << dir << "\ndebug = true\n[unit]\nport = 7\n";
  config::Schema schema;
  schema.Int("unit", "port", 1, 1, 65535, "");
  auto cfg = Run({"gureum-unit", "--config-file", conf}, schema);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->GetInt("unit", "port") == 7);
  spdlog::debug("hello from the test");
  spdlog::default_logger()->flush();
  std::ifstream log(dir + "/unit.log");
  std::stringstream text;
  text << log.rdbuf();
  REQUIRE_THAT(text.str(), Catch::Contains("DEBUG unit - hello from the test"));
  std::remove((dir + "/unit.log").c_str());
  rmdir(dir.c_str());
  std::remove(conf.c_str());
}

TEST_CASE("a bad config value stops start-up with exit code 2") {
  std::string conf = Temp("_bad.conf");
  std::ofstream(conf) << "[unit]\nport = lots\n";
  config::Schema schema;
  schema.Int("unit", "port", 1, 1, 65535, "");
  auto cfg = Run({"gureum-unit", "--config-file", conf}, schema);
  REQUIRE_FALSE(cfg.ok());
  REQUIRE_THAT(std::string(cfg.status().message()),
               Catch::Contains("port: 'lots' is not an integer"));
  REQUIRE(ExitCode(cfg.status()) == 2);
  std::remove(conf.c_str());
}

TEST_CASE("addresses bracket IPv6 hosts") {
  REQUIRE(Address("0.0.0.0", 5000) == "0.0.0.0:5000");
  REQUIRE(Address("::", 5000) == "[::]:5000");
}

}  // namespace
}  // namespace gureum::service
