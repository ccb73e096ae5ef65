// VolumeReporter: a BackendReport per backend with capacity and the ids it holds, at once
// and every interval on the (fake) clock.
#include "block-storage/agent/volume_reporter.h"

#include <thread>

#include <catch2/catch.hpp>

#include "block-storage/agent/fake_volume_driver.h"
#include "block-storage/agent/fake_volume_exporter.h"
#include "common/amqp/fake_bus.h"

namespace gureum::volume_agent {
namespace {

TEST_CASE("VolumeReporter reports each backend at start and every interval") {
  amqp::FakeBus bus;
  FakeVolumeDriver a, b;
  FakeVolumeExporter exporter;
  REQUIRE(a.Create("11111111-1111-4111-8111-111111111111", 1).ok());
  REQUIRE(a.CreateSnapshot("11111111-1111-4111-8111-111111111111",
                           "33333333-3333-4333-8333-333333333333", nullptr)
              .ok());
  VolumeAgentManager manager(
      "store1", {.backends = {{"a", &a}, {"b", &b}}, .exporter = exporter, .images = nullptr});
  FakeClock clock;
  VolumeReporter reporter(
      manager, bus, clock,
      {.availability_zone = "az1", .report_queue = "reports", .interval = absl::Seconds(10)});
  REQUIRE(reporter.ReportOnce().ok());
  auto queued = bus.Queued("reports");
  REQUIRE(queued.size() == 2);
  pb::AgentReport r;
  REQUIRE(r.ParseFromString(queued[0].body));
  REQUIRE(r.has_backend());
  CHECK(r.backend().host() == "store1");
  CHECK(r.backend().backend() == "a");
  CHECK(r.backend().driver() == "file");
  CHECK(r.backend().total_gb() == 100);
  CHECK(r.backend().free_gb() == 80);
  CHECK(r.backend().availability_zone() == "az1");
  CHECK(r.backend().volume_ids_size() == 2);

  absl::Time start = clock.Now();
  absl::Notification stopping;
  std::thread loop([&] { reporter.Run(stopping); });
  while (bus.Queued("reports").size() < 8) absl::SleepFor(absl::Milliseconds(1));
  stopping.Notify();
  loop.join();
  // Three rounds after the one at start: 30 seconds or more on the fake clock.
  CHECK(clock.Now() - start >= absl::Seconds(30));
}

}  // namespace
}  // namespace gureum::volume_agent
