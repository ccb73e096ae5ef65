#include "deploy/gureum-deploy/services_file.h"

#include <catch2/catch.hpp>

namespace gureum::deploy {
namespace {

TEST_CASE("services file: name and command per line, comments skipped") {
  auto specs = ParseServices(
      "# services\n"
      "\n"
      "identity  /usr/local/bin/gureum-identity --config-file /etc/gureum/gureum.conf\n"
      "  echo sh -c 'echo started; sleep 1000 # not a comment'\n");
  REQUIRE(specs.ok());
  REQUIRE(specs->size() == 2);
  CHECK((*specs)[0] == ServiceSpec{"identity",
                                   "/usr/local/bin/gureum-identity --config-file "
                                   "/etc/gureum/gureum.conf"});
  CHECK((*specs)[1].command == "sh -c 'echo started; sleep 1000 # not a comment'");
}

TEST_CASE("services file: errors name the line") {
  CHECK(ParseServices("a run\nb\n").status().message() == "line 2: service 'b' has no command");
  CHECK(ParseServices("../x run\n").status().message() ==
        "line 1: bad service name '../x' (use [A-Za-z0-9_.-])");
  CHECK(ParseServices("a x\na y\n").status().message() == "line 2: service 'a' given twice");
}

TEST_CASE("services file: a missing file is an empty list") {
  auto specs = ReadServicesFile("/nonexistent/services.conf");
  REQUIRE(specs.ok());
  CHECK(specs->empty());
}

}  // namespace
}  // namespace gureum::deploy
