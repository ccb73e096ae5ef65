// The queue path on a real RabbitMQ and PostgreSQL: a ScheduleRequest cast to the
// scheduler queue is consumed by SchedulerHandler, claimed in the database, and the build
// arrives on compute.<host>; a request no host fits ends as an error update on the
// conductor queue; a request delivered twice claims once. Queue names are unique per
// test so parallel runs on one broker do not meet.
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/synchronization/mutex.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/testing/test_env.h"
#include "scheduler/scheduler_handler.h"
#include "scheduler/tests/scheduler_fixture.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

// Collects the casts arriving on one queue.
class Inbox {
 public:
  Inbox(const amqp::ConnectionOptions& amqp, const std::string& queue) {
    amqp::ConsumerOptions o;
    o.queue = queue;
    auto c = amqp::Consumer::Create(amqp, o, [this](const amqp::Message& m) {
      cv1::Cast cast;
      REQUIRE(cast.ParseFromString(m.body));
      absl::MutexLock lock(&mu_);
      casts_.push_back(cast);
      return absl::OkStatus();
    });
    REQUIRE(c.ok());
    consumer_ = *std::move(c);
    consumer_->Start();
    REQUIRE(consumer_->WaitUntilConsuming(absl::Seconds(30)));
  }
  ~Inbox() { consumer_->Stop(); }
  // Waits (up to 30 s) until `n` casts arrived; returns what arrived.
  std::vector<cv1::Cast> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return casts_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(30));
    return casts_;
  }

 private:
  absl::Mutex mu_;
  std::vector<cv1::Cast> casts_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<amqp::Consumer> consumer_;
};

struct QueueFixture {
  QueueFixture() : holder(NewStoreHolder()) {
    auto parsed = amqp::ParseUrl(gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
    REQUIRE(parsed.ok());
    amqp = *parsed;
    auto p = amqp::Publisher::Create(amqp);
    REQUIRE(p.ok());
    publisher = *std::move(p);
    const std::string tag = gureum::testing::UniqueName("sched");
    scheduler_queue = tag + ".scheduler";
    options.conductor_queue = tag + ".conductor";
    options.compute_queue_prefix = tag + ".compute.";
    scheduler = std::make_unique<Scheduler>(holder->store(), hosts, *publisher, clock, options);
    handler = std::make_unique<SchedulerHandler>(*scheduler, RealClock::Get());  // a real broker
    amqp::ConsumerOptions in;
    in.queue = scheduler_queue;
    auto c = amqp::Consumer::Create(amqp, in,
                                    [this](const amqp::Message& m) { return handler->Handle(m); });
    REQUIRE(c.ok());
    consumer = *std::move(c);
    consumer->Start();
    REQUIRE(consumer->WaitUntilConsuming(absl::Seconds(30)));
  }
  ~QueueFixture() {
    consumer->Stop();
    for (const std::string& q : queues) {
      (void)publisher->DeleteQueue(q);
      (void)publisher->DeleteQueue(q + amqp::kDeadSuffix);
    }
  }
  void AddHost(const std::string& name, int64_t vcpus) {
    REQUIRE(holder->store().PutProvider(MakeHost(name, vcpus, 8192, 100)).ok());
    hosts.AddHost(name);
  }
  void Send(const cv1::ScheduleRequest& r) {
    cv1::Cast cast;
    *cast.mutable_schedule() = r;
    amqp::Message m;
    m.body = cast.SerializeAsString();
    m.content_type = "application/x-protobuf";
    REQUIRE(publisher->Cast(scheduler_queue, m).ok());
  }
  std::string ComputeQueue(const std::string& host) {
    std::string q = options.compute_queue_prefix + host;
    queues.push_back(q);
    return q;
  }
  std::string ConductorQueue() {
    queues.push_back(options.conductor_queue);
    return options.conductor_queue;
  }

  std::unique_ptr<StoreHolder> holder;
  FakeHostStateSource hosts;
  FakeClock clock;
  amqp::ConnectionOptions amqp;
  std::unique_ptr<amqp::Publisher> publisher;
  SchedulerOptions options;
  std::string scheduler_queue;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<SchedulerHandler> handler;
  std::unique_ptr<amqp::Consumer> consumer;
  std::vector<std::string> queues;
};

TEST_CASE("a schedule cast becomes a claim and a build on compute.<host>") {
  QueueFixture f;
  f.queues.push_back(f.scheduler_queue);
  f.AddHost("qa", 4);
  Inbox builds(f.amqp, f.ComputeQueue("qa"));
  f.Send(BuildRequest(Vm(1), 2, 1024, 10));
  auto got = builds.WaitFor(1);
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].has_build());
  CHECK(got[0].build().host() == "qa");
  CHECK(got[0].build().request().spec().uuid() == Vm(1));
  auto allocs = f.holder->store().GetAllocations(Vm(1));
  REQUIRE(allocs.ok());
  CHECK(allocs->allocations.size() == 1);
}

TEST_CASE("no valid host over the queues: an error update with a fault on the conductor") {
  QueueFixture f;
  f.queues.push_back(f.scheduler_queue);
  f.AddHost("qb", 1);
  Inbox conductor(f.amqp, f.ConductorQueue());
  f.Send(BuildRequest(Vm(2), 8, 1024, 10));
  auto got = conductor.WaitFor(1);
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].has_instance_update());
  const cv1::InstanceUpdate& u = got[0].instance_update();
  CHECK(u.instance_uuid() == Vm(2));
  CHECK(u.vm_state() == "error");
  CHECK(u.fault().message() == kNoValidHost);
  CHECK(u.fault().details().find("PlacementFilter") != std::string::npos);
  CHECK(u.event() == "schedule_instance");
  CHECK(u.event_failed());
}

TEST_CASE("a request delivered twice is built twice on the same host but claimed once") {
  QueueFixture f;
  f.queues.push_back(f.scheduler_queue);
  f.AddHost("qc", 8);
  Inbox builds(f.amqp, f.ComputeQueue("qc"));
  auto r = BuildRequest(Vm(3), 2, 1024, 10);
  f.Send(r);
  f.Send(r);
  auto got = builds.WaitFor(2);
  REQUIRE(got.size() == 2);
  auto p = f.holder->store().GetProvider("", "qc");
  REQUIRE(p.ok());
  CHECK(p->usages.at(kVcpu) == 2);
}

}  // namespace
}  // namespace gureum::scheduler::testing
