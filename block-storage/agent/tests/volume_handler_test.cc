// VolumeHandler and VolumeAgentManager on FakeBus, FakeVolumeDriver, FakeVolumeExporter and
// FakeImageClient: casts in, reports out; replays, refusals, transient failures, exports.
#include "block-storage/agent/volume_handler.h"

#include <catch2/catch.hpp>

#include "block-storage/agent/fake_volume_driver.h"
#include "block-storage/agent/fake_volume_exporter.h"
#include "block-storage/agent/tests/test_ids.h"
#include "common/amqp/fake_bus.h"
#include "compute/clients/fake_image_client.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT

struct HandlerFixture {
  HandlerFixture() {
    bus.Subscribe({.queue = "volume.store1", .max_attempts = 3},
                  [this](const amqp::Message& m) { return handler.Handle(m); });
  }

  // Casts `cast` to the agent, delivers, and returns the reports that came out.
  std::vector<pb::AgentReport> Run(pb::VolumeCast cast) {
    if (cast.task_id().empty()) cast.set_task_id("task-" + std::to_string(++tasks));
    amqp::Message m;
    cast.SerializeToString(&m.body);
    REQUIRE(bus.Cast("volume.store1", m).ok());
    bus.DeliverAll();
    std::vector<pb::AgentReport> out;
    for (const amqp::Message& r : bus.Queued("block-storage")) {
      pb::AgentReport report;
      REQUIRE(report.ParseFromString(r.body));
      out.push_back(report);
    }
    // Only the reports new since the last Run (the queue keeps them all).
    std::vector<pb::AgentReport> fresh(out.begin() + static_cast<long>(previous), out.end());
    previous = out.size();
    return fresh;
  }

  pb::VolumeResult Volume(pb::VolumeCast cast) {
    auto reports = Run(std::move(cast));
    REQUIRE(reports.size() == 1);
    REQUIRE(reports[0].has_volume());
    return reports[0].volume();
  }

  amqp::FakeBus bus;
  FakeVolumeDriver driver;
  FakeVolumeExporter exporter;
  compute::FakeImageClient images;
  VolumeAgentManager manager{
      "store1", {.backends = {{"file1", &driver}}, .exporter = exporter, .images = &images}};
  VolumeHandler handler{manager, bus, {.report_queue = "block-storage", .max_attempts = 3}};
  int tasks = 0;
  size_t previous = 0;
};

pb::VolumeCast CreateCast(const std::string& id, int64_t size,
                          const std::string& backend = "file1") {
  pb::VolumeCast c;
  c.mutable_create_volume()->set_volume_id(id);
  c.mutable_create_volume()->set_backend(backend);
  c.mutable_create_volume()->set_size_gb(size);
  return c;
}

TEST_CASE("a create is reported with its size, and a replay reports the same") {
  HandlerFixture f;
  pb::VolumeCast c = CreateCast(kVol, 2);
  c.set_task_id("t1");
  pb::VolumeResult r = f.Volume(c);
  CHECK(r.outcome() == pb::OUTCOME_OK);
  CHECK(r.volume_id() == kVol);
  CHECK(r.size_gb() == 2);
  CHECK(r.op() == "create_volume");
  auto again = f.Run(c);
  REQUIRE(again.size() == 1);
  CHECK(again[0].task_id() == "t1");
  CHECK(again[0].volume().outcome() == pb::OUTCOME_OK);
  CHECK(f.driver.ListVolumes()->size() == 1);
}

TEST_CASE("bad ids, sizes and backends are errors a user can read, never retried") {
  HandlerFixture f;
  pb::VolumeResult r = f.Volume(CreateCast("../../etc/passwd", 1));
  CHECK(r.outcome() == pb::OUTCOME_ERROR);
  CHECK(r.error() == "the volume id is not a UUID");
  r = f.Volume(CreateCast(kVol, 0));
  CHECK(r.error().find("between 1 and") != std::string::npos);
  r = f.Volume(CreateCast(kVol, 1, "nope"));
  CHECK(r.error() == "the storage host store1 has no backend named 'nope'");
  CHECK(f.bus.Queued("volume.store1.dead").empty());
}

TEST_CASE("a tool failure is reported without its details") {
  HandlerFixture f;
  f.driver.FailNext(absl::InternalError("qemu-img failed: /var/lib/gureum/volumes/x: I/O error"));
  pb::VolumeResult r = f.Volume(CreateCast(kVol, 1));
  CHECK(r.outcome() == pb::OUTCOME_ERROR);
  CHECK(r.error().find('/') == std::string::npos);
  CHECK(r.error().find("store1") != std::string::npos);
}

TEST_CASE("a transient failure is retried, and reported on the last attempt") {
  HandlerFixture f;
  f.driver.FailNext(absl::UnavailableError("down"));
  pb::VolumeResult r = f.Volume(CreateCast(kVol, 1));  // retried: the second attempt works
  CHECK(r.outcome() == pb::OUTCOME_OK);
  for (int i = 0; i < 3; ++i) f.driver.FailNext(absl::UnavailableError("down"));
  r = f.Volume(CreateCast(kVol2, 1));
  CHECK(r.outcome() == pb::OUTCOME_ERROR);
  CHECK(r.error().find("could not reach") != std::string::npos);
}

TEST_CASE("a volume from an image is bootable, a missing image an error") {
  HandlerFixture f;
  f.images.Add(kImage, std::string(4096, 'x'), "qcow2");
  pb::VolumeCast c = CreateCast(kVol, 1);
  c.mutable_create_volume()->mutable_source()->set_image_id(kImage);
  c.mutable_create_volume()->mutable_source()->set_image_disk_format("qcow2");
  pb::VolumeResult r = f.Volume(c);
  CHECK(r.outcome() == pb::OUTCOME_OK);
  CHECK(r.bootable());
  c.mutable_create_volume()->set_volume_id(kVol2);
  c.mutable_create_volume()->mutable_source()->set_image_id("77777777-7777-4777-8777-777777777777");
  r = f.Volume(c);
  CHECK(r.outcome() == pb::OUTCOME_ERROR);
  CHECK(!r.bootable());
}

TEST_CASE("snapshots, clones, extend and delete, through the export while exported") {
  HandlerFixture f;
  REQUIRE(f.Volume(CreateCast(kVol, 1)).outcome() == pb::OUTCOME_OK);
  pb::VolumeCast e;
  e.mutable_export_volume()->set_attachment_id(kAtt);
  e.mutable_export_volume()->set_volume_id(kVol);
  e.mutable_export_volume()->set_backend("file1");
  e.mutable_export_volume()->mutable_connector()->set_ip("10.0.0.7");
  auto reports = f.Run(e);
  REQUIRE(reports.size() == 1);
  const pb::ExportResult& x = reports[0].export_result();
  CHECK(x.outcome() == pb::OUTCOME_OK);
  CHECK(x.op() == "export");
  CHECK(x.connection_info().protocol() == "nbd");
  CHECK(x.connection_info().export_name() == std::string("export-") + kAtt);
  CHECK(x.connection_info().format() == "raw");
  CHECK(f.exporter.requests().at(kAtt).connector_ip == "10.0.0.7");

  pb::VolumeCast s;
  s.mutable_create_snapshot()->set_snapshot_id(kSnap);
  s.mutable_create_snapshot()->set_volume_id(kVol);
  s.mutable_create_snapshot()->set_backend("file1");
  reports = f.Run(s);
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].snapshot().outcome() == pb::OUTCOME_OK);
  CHECK(f.exporter.live_calls() ==
        std::vector<std::string>{std::string("snapshot snapshot-") + kSnap});

  pb::VolumeCast x2;
  x2.mutable_extend_volume()->set_volume_id(kVol);
  x2.mutable_extend_volume()->set_backend("file1");
  x2.mutable_extend_volume()->set_new_size_gb(2);
  CHECK(f.Volume(x2).size_gb() == 2);
  CHECK(f.exporter.live_calls().back() == "resize 2147483648");

  pb::VolumeCast d;
  d.mutable_delete_volume()->set_volume_id(kVol);
  d.mutable_delete_volume()->set_backend("file1");
  CHECK(f.Volume(d).error() == "the volume is still exported to a compute host");

  pb::VolumeCast u;
  u.mutable_unexport_volume()->set_attachment_id(kAtt);
  u.mutable_unexport_volume()->set_volume_id(kVol);
  u.mutable_unexport_volume()->set_backend("file1");
  for (int i = 0; i < 2; ++i) {
    reports = f.Run(u);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].export_result().outcome() == pb::OUTCOME_OK);
    CHECK(reports[0].export_result().op() == "unexport");
  }

  pb::VolumeCast clone = CreateCast(kVol2, 2);
  clone.mutable_create_volume()->mutable_source()->set_snapshot_id(kSnap);
  CHECK(f.Volume(clone).outcome() == pb::OUTCOME_OK);
  CHECK(f.Volume(d).outcome() == pb::OUTCOME_OK);
  CHECK(f.Volume(d).outcome() == pb::OUTCOME_OK);
}

TEST_CASE("a message that is not a VolumeCast is dropped without a report") {
  HandlerFixture f;
  amqp::Message m;
  m.body = "not a protobuf \xff\xff";
  REQUIRE(f.bus.Cast("volume.store1", m).ok());
  f.bus.DeliverAll();
  CHECK(f.bus.Queued("block-storage").empty());
  CHECK(f.bus.Queued("volume.store1.dead").empty());
}

}  // namespace
}  // namespace gureum::volume_agent
