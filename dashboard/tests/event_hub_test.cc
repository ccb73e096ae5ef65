// EventHub: notifications parsed, filtered by project, bounded per subscriber.
#include "dashboard/event_hub.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace gureum::dashboard {
namespace {

std::string Notification(const std::string& type, const std::string& tenant,
                         const std::string& id = "i1") {
  return nlohmann::json{{"event_type", type},
                        {"publisher_id", "compute.ctl"},
                        {"priority", "INFO"},
                        {"payload", {{"tenant_id", tenant}, {"instance_id", id}}}}
      .dump();
}

TEST_CASE("ParseNotification reads oslo-shaped notifications and refuses others") {
  auto e = ParseNotification(Notification("compute.instance.update", "p1"));
  REQUIRE(e.ok());
  CHECK(e->type == "compute.instance.update");
  CHECK(e->project_id == "p1");
  CHECK(nlohmann::json::parse(e->payload)["instance_id"] == "i1");
  CHECK_FALSE(ParseNotification("not json").ok());
  CHECK_FALSE(ParseNotification(R"({"event_type":"x","payload":{}})").ok());
  CHECK_FALSE(ParseNotification(R"({"event_type":"x","payload":{"tenant_id":7}})").ok());
  CHECK_FALSE(ParseNotification(R"({"payload":{"tenant_id":"p"}})").ok());
}

TEST_CASE("EventHub delivers each event only to subscriptions of its project") {
  EventHub hub;
  auto p1 = hub.Subscribe("p1");
  auto p1b = hub.Subscribe("p1");
  auto p2 = hub.Subscribe("p2");
  REQUIRE(hub.Publish(Notification("compute.instance.update", "p1", "a")).ok());
  REQUIRE(hub.Publish(Notification("port.update.end", "p2", "b")).ok());
  REQUIRE(hub.Publish("garbage").ok());  // dropped, never an error

  auto e = p1->Next(absl::ZeroDuration());
  REQUIRE(e.has_value());
  CHECK(e->type == "compute.instance.update");
  CHECK(p1b->Next(absl::ZeroDuration()).has_value());
  CHECK_FALSE(p1->Next(absl::ZeroDuration()).has_value());
  auto f = p2->Next(absl::ZeroDuration());
  REQUIRE(f.has_value());
  CHECK(f->type == "port.update.end");
  CHECK_FALSE(p2->Next(absl::ZeroDuration()).has_value());
}

TEST_CASE("EventHub forgets dropped subscriptions and bounds slow ones") {
  EventHub hub;
  auto keep = hub.Subscribe("p1");
  { auto gone = hub.Subscribe("p1"); }
  CHECK(hub.subscribers() == 1);
  for (size_t i = 0; i < EventHub::kQueueLimit + 10; ++i) {
    hub.Dispatch({.type = "t", .project_id = "p1", .payload = std::to_string(i)});
  }
  auto first = keep->Next(absl::ZeroDuration());
  REQUIRE(first.has_value());
  CHECK(first->payload == "10");  // the oldest ten were dropped
}

TEST_CASE("SseFrame is one event per frame") {
  CHECK(SseFrame({.type = "volume.update.end", .project_id = "p", .payload = R"({"a":1})"}) ==
        "event: volume.update.end\ndata: {\"a\":1}\n\n");
  CHECK(SseFrame({.type = "x\ny", .project_id = "p", .payload = "{}"}) ==
        "event: x y\ndata: {}\n\n");
}

}  // namespace
}  // namespace gureum::dashboard
