// The behaviour every Bus + consumer pair must show, written once and run against
// FakeBus (fake_bus_test.cc, unit) and RabbitMQ (rabbit_test.cc, integration), so the
// fake cannot drift from the real thing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/base/ids.h"
#include "common/log/log.h"

namespace gureum::amqp::testing {

// A Bus and a way to consume from it.
class BusEnv {
 public:
  virtual ~BusEnv() = default;
  virtual Bus& bus() = 0;
  // Starts consuming; returns the queue name once messages published now will arrive.
  virtual std::string Subscribe(const ConsumerOptions& options, Handler handler) = 0;
  // Delivers (fake) or waits (real, with a deadline) until `done`; returns its last value.
  virtual bool WaitFor(const std::function<bool()>& done) = 0;
  // A queue or exchange name unique to this run; the env deletes such queues at the end.
  virtual std::string Name(const std::string& prefix) = 0;
};

// What handlers saw, from whatever thread they run on.
class Inbox {
 public:
  Handler Collect(std::function<absl::Status(const Message&)> then = nullptr) {
    return [this, then](const Message& m) {
      absl::Status s = then ? then(m) : absl::OkStatus();
      absl::MutexLock lock(&mu_);
      messages_.push_back(m);
      request_ids_.push_back(log::CurrentRequestId());
      return s;
    };
  }
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return messages_.size();
  }
  std::vector<Message> messages() const {
    absl::MutexLock lock(&mu_);
    return messages_;
  }
  std::vector<std::string> request_ids() const {
    absl::MutexLock lock(&mu_);
    return request_ids_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Message> messages_;
  std::vector<std::string> request_ids_;
};

inline ConsumerOptions OnQueue(const std::string& queue, int max_attempts = 5) {
  ConsumerOptions options;
  options.queue = queue;
  options.max_attempts = max_attempts;
  return options;
}

inline void ContractCastDelivers(BusEnv& env) {
  Inbox inbox;
  const std::string queue = env.Name("contract-cast");
  env.Subscribe(OnQueue(queue), inbox.Collect());
  Message m;
  m.body = R"({"instance":"i-1"})";
  m.headers["x-method"] = "build_instance";
  m.request_id = NewRequestId();
  REQUIRE(env.bus().Cast(queue, m).ok());
  REQUIRE(env.WaitFor([&] { return inbox.size() == 1; }));
  const Message got = inbox.messages()[0];
  CHECK(got.body == m.body);
  CHECK(got.headers.at("x-method") == "build_instance");
  CHECK(got.request_id == m.request_id);
  CHECK(got.attempt == 1);
  CHECK_FALSE(got.redelivered);
  CHECK(got.content_type == "application/json");
  CHECK(inbox.request_ids()[0] == m.request_id);  // the handler's logs carry it
}

inline void ContractRetriesUntilSuccess(BusEnv& env) {
  Inbox inbox;
  const std::string queue = env.Name("contract-retry");
  env.Subscribe(OnQueue(queue, 5), inbox.Collect([](const Message& m) {
    return m.attempt < 3 ? absl::UnavailableError("not yet") : absl::OkStatus();
  }));
  Message m;
  m.body = "retry me";
  REQUIRE(env.bus().Cast(queue, m).ok());
  REQUIRE(env.WaitFor([&] { return inbox.size() == 3; }));
  std::vector<Message> got = inbox.messages();
  for (int i = 0; i < 3; ++i) {
    CHECK(got[i].attempt == i + 1);
    CHECK(got[i].body == "retry me");
  }
}

inline void ContractDeadLettersAfterMaxAttempts(BusEnv& env) {
  Inbox work, dead;
  const std::string queue = env.Name("contract-dead");
  env.Subscribe(OnQueue(queue, 3),
                work.Collect([](const Message&) { return absl::InternalError("poison"); }));
  env.Subscribe(OnQueue(queue + kDeadSuffix), dead.Collect());
  Message m;
  m.body = "poison";
  m.request_id = NewRequestId();
  REQUIRE(env.bus().Cast(queue, m).ok());
  REQUIRE(env.WaitFor([&] { return dead.size() == 1; }));
  CHECK(work.size() == 3);
  const Message got = dead.messages()[0];
  CHECK(got.body == "poison");
  CHECK(got.attempt == 3);
  CHECK(got.request_id == m.request_id);
}

inline void ContractFanoutReachesEveryQueue(BusEnv& env) {
  Inbox a, b;
  const std::string exchange = env.Name("contract-fanout");
  REQUIRE(env.bus().DeclareExchange(exchange, ExchangeType::kFanout).ok());
  ConsumerOptions options;
  options.exchange = exchange;
  options.exchange_type = ExchangeType::kFanout;
  env.Subscribe(options, a.Collect());
  env.Subscribe(options, b.Collect());
  Message m;
  m.body = "token revoked";
  REQUIRE(env.bus().Publish(exchange, "", m).ok());
  REQUIRE(env.WaitFor([&] { return a.size() == 1 && b.size() == 1; }));
  CHECK(a.messages()[0].body == "token revoked");
  CHECK(b.messages()[0].body == "token revoked");
}

inline void ContractTopicRoutesByPattern(BusEnv& env) {
  Inbox inbox;
  const std::string exchange = env.Name("contract-topic");
  REQUIRE(env.bus().DeclareExchange(exchange, ExchangeType::kTopic).ok());
  ConsumerOptions options = OnQueue(env.Name("contract-topic-q"));
  options.exchange = exchange;
  options.exchange_type = ExchangeType::kTopic;
  options.binding_key = "compute.*.end";
  env.Subscribe(options, inbox.Collect());
  Message m;
  for (const char* key : {"image.upload.end", "compute.create.end", "compute.create.start"}) {
    m.body = key;
    REQUIRE(env.bus().Publish(exchange, key, m).ok());
  }
  m.body = "compute.delete.end";  // a marker: one queue keeps order, so all came before
  REQUIRE(env.bus().Publish(exchange, m.body, m).ok());
  REQUIRE(env.WaitFor([&] { return inbox.size() == 2; }));
  std::vector<Message> got = inbox.messages();
  CHECK(got[0].body == "compute.create.end");
  CHECK(got[1].body == "compute.delete.end");
}

inline void ContractUndeclaredExchangeIsRefused(BusEnv& env) {
  absl::Status s = env.bus().Publish(env.Name("contract-nowhere"), "x", Message{});
  CHECK(absl::IsFailedPrecondition(s));
}

}  // namespace gureum::amqp::testing
