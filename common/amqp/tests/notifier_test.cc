#include "common/amqp/notifier.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/amqp/fake_bus.h"

namespace gureum::amqp {
namespace {

TEST_CASE("Notifier publishes oslo-shaped notifications on the topic exchange") {
  FakeBus bus;
  FakeClock clock(absl::FromUnixSeconds(1700000000));
  SequentialIdGenerator ids;
  Notifier notifier(bus, "block-storage.ctl", clock, ids);
  std::vector<nlohmann::json> seen;
  bus.Subscribe({.exchange = kNotificationExchange,
                 .exchange_type = ExchangeType::kTopic,
                 .binding_key = "volume.#"},
                [&](const Message& m) {
                  seen.push_back(nlohmann::json::parse(m.body));
                  return absl::OkStatus();
                });

  notifier.Info("volume.create.end", {{"volume_id", "v1"}, {"status", "available"}});
  notifier.Error("snapshot.create.error", {{"snapshot_id", "s1"}});  // not bound: dropped
  bus.DeliverAll();

  REQUIRE(seen.size() == 1);
  CHECK(seen[0]["event_type"] == "volume.create.end");
  CHECK(seen[0]["publisher_id"] == "block-storage.ctl");
  CHECK(seen[0]["priority"] == "INFO");
  CHECK(seen[0]["payload"]["status"] == "available");
  CHECK(seen[0]["timestamp"] == "2023-11-14T22:13:20.000000Z");
  CHECK_FALSE(seen[0]["message_id"].get<std::string>().empty());
}

TEST_CASE("Notifier: a failed publish is not the caller's failure") {
  FakeBus bus;
  FakeClock clock(absl::FromUnixSeconds(0));
  SequentialIdGenerator ids;
  Notifier notifier(bus, "x", clock, ids);
  bus.FailNext(absl::UnavailableError("broker gone"));
  notifier.Info("volume.delete.end", {});  // logged, returns
  notifier.Info("volume.delete.end", {});  // the next one goes out (exchange declared now)
  SUCCEED();
}

}  // namespace
}  // namespace gureum::amqp
