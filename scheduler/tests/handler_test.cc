// The scheduler queue's handler: casts decoded and scheduled, junk dropped, a short
// outage of compute-api waited out instead of burning the consumer's retries.
#include <catch2/catch.hpp>

#include "scheduler/fake_placement_store.h"
#include "scheduler/scheduler_handler.h"
#include "scheduler/tests/scheduler_fixture.h"

namespace gureum::scheduler::testing {
namespace {

amqp::Message AsMessage(const cv1::ScheduleRequest& r) {
  cv1::Cast cast;
  *cast.mutable_schedule() = r;
  amqp::Message m;
  m.body = cast.SerializeAsString();
  return m;
}

struct HandlerFixture {
  HandlerFixture() : scheduler(store, hosts, bus, clock, SchedulerOptions{}) {
    REQUIRE(store.PutProvider(MakeHost("h1", 4, 4096, 40)).ok());
    hosts.AddHost("h1");
  }
  FakePlacementStore store;
  FakeHostStateSource hosts;
  amqp::FakeBus bus;
  FakeClock clock;
  Scheduler scheduler;
};

TEST_CASE("handler: a schedule cast is placed, other casts and junk are dropped") {
  HandlerFixture f;
  SchedulerHandler handler(f.scheduler, f.clock);
  CHECK(handler.Handle(AsMessage(BuildRequest(Vm(1), 1, 512, 1))).ok());
  CHECK(Builds(f.bus, "compute.h1").size() == 1);
  amqp::Message junk;
  junk.body = "not a protobuf \xff\xff";
  CHECK(handler.Handle(junk).ok());
  cv1::Cast other;
  other.mutable_heartbeat()->set_host("h1");
  amqp::Message hb;
  hb.body = other.SerializeAsString();
  CHECK(handler.Handle(hb).ok());
  CHECK(Builds(f.bus, "compute.h1").size() == 1);
}

TEST_CASE("handler: a transient failure is retried in place, then given to the consumer") {
  HandlerFixture f;
  f.hosts.FailNext(absl::UnavailableError("compute-api restarting"));
  SchedulerHandler patient(f.scheduler, f.clock, absl::Seconds(5));
  CHECK(patient.Handle(AsMessage(BuildRequest(Vm(1), 1, 512, 1))).ok());
  CHECK(Builds(f.bus, "compute.h1").size() == 1);

  HandlerFixture g;
  g.hosts.FailNext(absl::UnavailableError("compute-api down"));
  SchedulerHandler impatient(g.scheduler, g.clock, absl::ZeroDuration());
  CHECK(impatient.Handle(AsMessage(BuildRequest(Vm(2), 1, 512, 1))).code() ==
        absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gureum::scheduler::testing
