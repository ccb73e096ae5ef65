// The Bus contract and the publisher's own promises against a real RabbitMQ.
#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "common/amqp/tests/rabbit_env.h"

namespace gureum::amqp {
namespace {

using testing::RabbitEnv;

TEST_CASE("rabbit contract: cast delivers body, headers and request id", "[amqp]") {
  RabbitEnv env;
  testing::ContractCastDelivers(env);
}

TEST_CASE("rabbit contract: a failed handler is retried with attempt+1", "[amqp]") {
  RabbitEnv env;
  testing::ContractRetriesUntilSuccess(env);
}

TEST_CASE("rabbit contract: dead-lettered after max attempts", "[amqp]") {
  RabbitEnv env;
  testing::ContractDeadLettersAfterMaxAttempts(env);
}

TEST_CASE("rabbit contract: fanout reaches every bound queue", "[amqp]") {
  RabbitEnv env;
  testing::ContractFanoutReachesEveryQueue(env);
}

TEST_CASE("rabbit contract: topic routes by pattern", "[amqp]") {
  RabbitEnv env;
  testing::ContractTopicRoutesByPattern(env);
}

TEST_CASE("rabbit contract: publishing to an undeclared exchange is refused", "[amqp]") {
  RabbitEnv env;
  testing::ContractUndeclaredExchangeIsRefused(env);
}

TEST_CASE("concurrent casts and batches are all confirmed and all delivered", "[amqp]") {
  RabbitEnv env;
  const std::string queue = env.Name("many");
  constexpr int kThreads = 8, kPerThread = 250, kBatch = 500;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!env.bus().Cast(queue, Message{}).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(failures == 0);
  REQUIRE(env.bus().CastBatch(queue, std::vector<Message>(kBatch)).ok());

  testing::Inbox inbox;
  env.Subscribe(testing::OnQueue(queue), inbox.Collect());
  REQUIRE(env.WaitFor([&] { return inbox.size() == kThreads * kPerThread + kBatch; }));
}

TEST_CASE("an unreachable broker makes Cast Unavailable after the deadline", "[amqp]") {
  ConnectionOptions options = testing::TestConnectionOptions();
  options.port = 1;  // nothing listens there
  options.publish_timeout = absl::Milliseconds(300);
  options.initial_backoff = absl::Milliseconds(20);
  auto publisher = Publisher::Create(options);
  REQUIRE(publisher.ok());
  absl::Status s = (*publisher)->Cast("nowhere", Message{});
  CHECK(absl::IsUnavailable(s));
  CHECK(s.message().find(options.password) == std::string::npos);
}

}  // namespace
}  // namespace gureum::amqp
