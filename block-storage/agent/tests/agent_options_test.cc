#include "block-storage/agent/agent_options.h"

#include <catch2/catch.hpp>

namespace gureum::volume_agent {
namespace {

absl::StatusOr<AgentOptions> Parse(const std::string& text) {
  static config::Schema* schema = [] {
    auto* s = new config::Schema();
    config::AddCommonOptions(*s);
    AddAgentOptions(*s);
    return s;
  }();
  auto cfg = config::Config::LoadFromString(*schema, text);
  if (!cfg.ok()) return cfg.status();
  return AgentOptionsFromConfig(*cfg);
}

TEST_CASE("agent options: backends, defaults and refusals") {
  auto o = Parse("[DEFAULT]\nhost = s1\n[volume]\nbackends = a:/v/a, b:/v/b:file\n");
  REQUIRE(o.ok());
  CHECK(o->host == "s1");
  REQUIRE(o->backends.size() == 2);
  CHECK(o->backends[1].name == "b");
  CHECK(o->backends[1].directory == "/v/b");
  CHECK(o->export_address == "127.0.0.1");
  CHECK(o->report_interval == absl::Seconds(10));
  CHECK(o->export_filter == "none");
  for (const char* bad : {"a", "a:relative", "a:/x:lvm", "a:/x, a:/y"}) {
    CHECK(!Parse(std::string("[volume]\nbackends = ") + bad + "\n").ok());
  }
  CHECK(!Parse("[volume]\nexport_address = 0.0.0.0\n").ok());
  CHECK(!Parse("[volume]\nexport_port_min = 2000\nexport_port_max = 1000\n").ok());
  CHECK(!Parse("[volume]\nexport_filter = iptables\n").ok());
}

}  // namespace
}  // namespace gureum::volume_agent
