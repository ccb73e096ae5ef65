// FakeBus: the shared contract, plus what only the fake offers (fault injection).
#include "common/amqp/fake_bus.h"

#include <catch2/catch.hpp>

#include "common/amqp/tests/bus_contract.h"

namespace gureum::amqp {
namespace {

class FakeEnv : public testing::BusEnv {
 public:
  Bus& bus() override { return fake; }
  std::string Subscribe(const ConsumerOptions& options, Handler handler) override {
    return fake.Subscribe(options, std::move(handler));
  }
  bool WaitFor(const std::function<bool()>& done) override {
    fake.DeliverAll();
    return done();
  }
  std::string Name(const std::string& prefix) override {
    return prefix + "-" + std::to_string(++n_);
  }

  FakeBus fake;

 private:
  int n_ = 0;
};

TEST_CASE("fake contract: cast delivers body, headers and request id", "[amqp]") {
  FakeEnv env;
  testing::ContractCastDelivers(env);
}

TEST_CASE("fake contract: a failed handler is retried with attempt+1", "[amqp]") {
  FakeEnv env;
  testing::ContractRetriesUntilSuccess(env);
}

TEST_CASE("fake contract: dead-lettered after max attempts", "[amqp]") {
  FakeEnv env;
  testing::ContractDeadLettersAfterMaxAttempts(env);
}

TEST_CASE("fake contract: fanout reaches every bound queue", "[amqp]") {
  FakeEnv env;
  testing::ContractFanoutReachesEveryQueue(env);
}

TEST_CASE("fake contract: topic routes by pattern", "[amqp]") {
  FakeEnv env;
  testing::ContractTopicRoutesByPattern(env);
}

TEST_CASE("fake contract: publishing to an undeclared exchange is refused", "[amqp]") {
  FakeEnv env;
  testing::ContractUndeclaredExchangeIsRefused(env);
}

TEST_CASE("FailNext fails the next publish only and delivers nothing", "[amqp]") {
  FakeBus fake;
  fake.FailNext(absl::UnavailableError("broker down"));
  Message m;
  m.body = "1";
  CHECK(absl::IsUnavailable(fake.Cast("conductor", m)));
  CHECK(fake.Queued("conductor").empty());
  CHECK(fake.Cast("conductor", m).ok());
  CHECK(fake.Queued("conductor").size() == 1);
}

TEST_CASE("messages wait until DeliverAll and casts from handlers are delivered too", "[amqp]") {
  FakeBus fake;
  int scheduled = 0, built = 0;
  ConsumerOptions scheduler, compute;
  scheduler.queue = "scheduler";
  compute.queue = "compute.host1";
  fake.Subscribe(scheduler, [&](const Message& m) {
    ++scheduled;
    return fake.Cast("compute.host1", m);
  });
  fake.Subscribe(compute, [&](const Message&) {
    ++built;
    return absl::OkStatus();
  });
  REQUIRE(fake.Cast("scheduler", Message{}).ok());
  CHECK(fake.Queued("scheduler").size() == 1);
  CHECK(fake.DeliverAll() == 2);
  CHECK(scheduled == 1);
  CHECK(built == 1);
}

TEST_CASE("the publisher's request id travels when the message has none", "[amqp]") {
  FakeBus fake;
  const std::string id = NewRequestId();
  {
    log::ScopedRequestId scoped(id);
    REQUIRE(fake.Cast("conductor", Message{}).ok());
  }
  CHECK(fake.Queued("conductor")[0].request_id == id);
}

TEST_CASE("topic patterns match like RabbitMQ's", "[amqp]") {
  CHECK(TopicMatches("compute.*", "compute.start"));
  CHECK_FALSE(TopicMatches("compute.*", "compute.start.end"));
  CHECK(TopicMatches("compute.#", "compute"));
  CHECK(TopicMatches("compute.#", "compute.a.b"));
  CHECK(TopicMatches("#.end", "compute.create.end"));
  CHECK(TopicMatches("#", ""));
  CHECK_FALSE(TopicMatches("image.*", "compute.start"));
}

}  // namespace
}  // namespace gureum::amqp
