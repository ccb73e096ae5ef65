// Neutron's notifications on the `notifications` exchange: ports (created, changed by the
// user or by their agent's status report, deleted) and floating IPs, each with the project
// whose open dashboard pages may hear of it.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

struct Heard {
  explicit Heard(amqp::FakeBus& bus) : bus_(bus) {
    for (const char* key : {"port.#", "floatingip.#"}) {
      bus.Subscribe({.exchange = amqp::kNotificationExchange,
                     .exchange_type = amqp::ExchangeType::kTopic,
                     .binding_key = key},
                    [this](const amqp::Message& m) {
                      seen.push_back(nlohmann::json::parse(m.body));
                      return absl::OkStatus();
                    });
    }
  }
  // The event types heard since the last call.
  std::vector<std::string> Types() {
    bus_.DeliverAll();
    std::vector<std::string> out;
    for (size_t i = taken; i < seen.size(); ++i) out.push_back(seen[i]["event_type"]);
    taken = seen.size();
    return out;
  }
  const nlohmann::json& Last() const { return seen.back()["payload"]; }

  amqp::FakeBus& bus_;
  std::vector<nlohmann::json> seen;
  size_t taken = 0;
};

TEST_CASE("ports: create, the agent's status change and delete are announced to the project") {
  Fixture f;
  Heard heard(f.notification_bus());
  v1::Network net = f.Net(f.a, "n");
  f.Sub(f.a, net.id(), "10.1.0.0/24");
  heard.Types();  // the DHCP port, if any, is not this test's
  auto port = f.Port(f.a, net.id());
  REQUIRE(port.ok());
  CHECK(heard.Types() == std::vector<std::string>{"port.create.end"});
  CHECK(heard.Last()["port_id"] == port->id());
  CHECK(heard.Last()["tenant_id"] == "project-a");
  CHECK(heard.Last()["status"] == "DOWN");

  v1::Port bind;
  bind.set_id(port->id());
  bind.set_binding_host("h1");
  REQUIRE(f.m().ports().UpdatePort(f.admin, bind, {"binding_host"}).ok());
  CHECK(heard.Types() == std::vector<std::string>{"port.update.end"});
  v1::PortStatusUpdate up;
  up.set_host("h1");
  (*up.mutable_port_status())[port->id()] = "ACTIVE";
  REQUIRE(f.m().agents().UpdatePortStatus(f.service, up).ok());
  CHECK(heard.Types() == std::vector<std::string>{"port.update.end"});
  CHECK(heard.Last()["status"] == "ACTIVE");
  CHECK(heard.Last()["tenant_id"] == "project-a");
  REQUIRE(f.m().agents().UpdatePortStatus(f.service, up).ok());  // no change: nothing
  up.set_host("h2");                                             // not its host: ignored, nothing
  (*up.mutable_port_status())[port->id()] = "DOWN";
  REQUIRE(f.m().agents().UpdatePortStatus(f.service, up).ok());
  CHECK(heard.Types().empty());

  REQUIRE(f.m().ports().DeletePort(f.a, port->id()).ok());
  CHECK(heard.Types() == std::vector<std::string>{"port.delete.end"});
  CHECK(heard.Last()["port_id"] == port->id());
  CHECK(Http(f.m().ports().DeletePort(f.a, port->id())) == 404);
  CHECK(heard.Types().empty());  // a refused change is not announced
}

TEST_CASE("floating IPs: create and delete are announced to their project") {
  Fixture f;
  v1::Network ext = f.Net(f.admin, "public", /*external=*/true);
  f.Sub(f.admin, ext.id(), "203.0.113.0/24", false);
  Heard heard(f.notification_bus());
  v1::FloatingIp fip;
  fip.set_floating_network_id(ext.id());
  auto made = f.m().floating_ips().CreateFloatingIp(f.b, fip, {});
  REQUIRE(made.ok());
  CHECK(heard.Types() == std::vector<std::string>{"floatingip.create.end"});
  CHECK(heard.Last()["tenant_id"] == "project-b");
  CHECK(heard.Last()["floating_ip_address"] == made->floating_ip_address());
  REQUIRE(f.m().floating_ips().DeleteFloatingIp(f.b, made->id()).ok());
  CHECK(heard.Types() == std::vector<std::string>{"floatingip.delete.end"});
  CHECK(heard.Last()["floatingip_id"] == made->id());
}

}  // namespace
}  // namespace gureum::network::testing
