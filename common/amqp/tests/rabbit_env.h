// The contract's BusEnv on a real RabbitMQ (GUREUM_TEST_AMQP_URL, started by
// ./tests/run.sh or tests/lib/services.sh). Cleans up the queues it named.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/amqp/tests/bus_contract.h"
#include "common/testing/test_env.h"

namespace gureum::amqp::testing {

inline ConnectionOptions TestConnectionOptions() {
  absl::StatusOr<ConnectionOptions> o =
      ParseUrl(::gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
  REQUIRE(o.ok());
  return *o;
}

// Polls `done` until it holds or `timeout` passes; the deadline keeps a broken test
// from hanging, it is not a speed assertion.
inline bool PollUntil(const std::function<bool()>& done,
                      absl::Duration timeout = absl::Seconds(60)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class RabbitEnv : public BusEnv {
 public:
  explicit RabbitEnv(ConnectionOptions options = TestConnectionOptions()) : options_(options) {
    absl::StatusOr<std::unique_ptr<Publisher>> p = Publisher::Create(options_);
    REQUIRE(p.ok());
    publisher_ = std::move(*p);
  }
  ~RabbitEnv() override {
    consumers_.clear();  // stops them before their queues go
    for (const std::string& q : queues_) {
      (void)publisher_->DeleteQueue(q);
      (void)publisher_->DeleteQueue(q + kDeadSuffix);
    }
  }

  Bus& bus() override { return *publisher_; }
  Publisher& publisher() { return *publisher_; }
  const ConnectionOptions& options() const { return options_; }

  std::string Subscribe(const ConsumerOptions& options, Handler handler) override {
    absl::StatusOr<std::unique_ptr<Consumer>> c =
        Consumer::Create(options_, options, std::move(handler));
    REQUIRE(c.ok());
    (*c)->Start();
    REQUIRE((*c)->WaitUntilConsuming(absl::Seconds(30)));
    consumers_.push_back(std::move(*c));
    return consumers_.back()->queue();
  }
  void StopConsumers() { consumers_.clear(); }

  bool WaitFor(const std::function<bool()>& done) override { return PollUntil(done); }

  std::string Name(const std::string& prefix) override {
    std::string name = ::gureum::testing::UniqueName(prefix);
    queues_.push_back(name);
    return name;
  }

 private:
  ConnectionOptions options_;
  std::unique_ptr<Publisher> publisher_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  std::vector<std::string> queues_;
};

}  // namespace gureum::amqp::testing
