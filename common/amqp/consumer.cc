#include "common/amqp/consumer.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/amqp/connection.h"
#include "common/log/log.h"

#include "spdlog/spdlog.h"

namespace gureum::amqp {
namespace {

// How often the consuming thread looks at the stop flag while the queue is idle.
constexpr absl::Duration kPollInterval = absl::Milliseconds(100);
// At most this many handled messages wait for one multiple ack.
constexpr int kAckBatch = 64;

// Runs the handler with the message's request id set for this thread; nothing escapes.
absl::Status CallHandler(const Handler& handler, const Message& m) {
  log::ScopedRequestId request_id(log::AcceptOrNewRequestId(m.request_id));
  try {
    return handler(m);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("handler threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("handler threw");
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Consumer>> Consumer::Create(const ConnectionOptions& connection,
                                                           const ConsumerOptions& options,
                                                           Handler handler) {
  if (options.queue.empty() && options.exchange.empty()) {
    return absl::InvalidArgumentError("a consumer needs a queue or an exchange");
  }
  if (options.prefetch < 1 || options.prefetch > 65535) {
    return absl::InvalidArgumentError("prefetch must be in 1..65535");
  }
  if (options.max_attempts < 1) return absl::InvalidArgumentError("max_attempts must be >= 1");
  if (!handler) return absl::InvalidArgumentError("handler is empty");
  absl::StatusOr<std::unique_ptr<Publisher>> retry = Publisher::Create(connection);
  if (!retry.ok()) return retry.status();
  return std::unique_ptr<Consumer>(
      new Consumer(connection, options, std::move(handler), std::move(*retry)));
}

Consumer::Consumer(const ConnectionOptions& connection, const ConsumerOptions& options,
                   Handler handler, std::unique_ptr<Publisher> retry)
    : connection_(connection),
      options_(options),
      handler_(std::move(handler)),
      retry_(std::move(retry)) {}

Consumer::~Consumer() { Stop(); }

void Consumer::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

bool Consumer::WaitUntilConsuming(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&consuming_), timeout);
}

void Consumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::string Consumer::queue() const {
  absl::MutexLock lock(&mu_);
  return queue_;
}

bool Consumer::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void Consumer::SleepUnlessStopping(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
}

absl::StatusOr<std::unique_ptr<internal::Connection>> Consumer::Subscribe() {
  absl::StatusOr<std::unique_ptr<internal::Connection>> conn =
      internal::Connection::Open(connection_);
  if (!conn.ok()) return conn.status();
  std::string queue = options_.queue;
  if (options_.exchange.empty()) {
    absl::Status s = (*conn)->DeclareWorkQueue(queue);
    if (!s.ok()) return s;
  } else {
    absl::StatusOr<std::string> bound = (*conn)->DeclareBoundQueue(options_);
    if (!bound.ok()) return bound.status();
    queue = *bound;
  }
  absl::Status s = (*conn)->Consume(queue, options_.prefetch);
  if (!s.ok()) return s;
  absl::MutexLock lock(&mu_);
  queue_ = queue;
  return conn;
}

void Consumer::Run() {
  Backoff backoff(connection_.initial_backoff, connection_.max_backoff);
  while (!stopping()) {
    absl::StatusOr<std::unique_ptr<internal::Connection>> conn = Subscribe();
    if (!conn.ok()) {
      absl::Duration wait = backoff.Next();
      spdlog::warn("amqp consumer of {}: {} ({}); retrying in {}",
                   options_.queue + options_.exchange, std::string(conn.status().message()),
                   connection_.ToString(), absl::FormatDuration(wait));
      SleepUnlessStopping(wait);
      continue;
    }
    backoff.Reset();
    {
      absl::MutexLock lock(&mu_);
      consuming_ = true;
    }
    absl::Status s;
    acks_ = PendingAcks{};
    while (s.ok() && !stopping()) {
      // Acks of handled messages go out together while more deliveries are waiting, and
      // at once before this thread could block: fewer writes, same guarantee.
      if (acks_.count > 0 && (acks_.count >= kAckBatch || !(*conn)->HasBufferedInput())) {
        s = FlushAcks(**conn);
        if (!s.ok()) break;
      }
      absl::StatusOr<std::optional<internal::Delivery>> d = (*conn)->NextDelivery(kPollInterval);
      if (!d.ok()) {
        s = d.status();
      } else if (d->has_value()) {
        s = Handle(**conn, **d);
      }
    }
    if (s.ok()) s = FlushAcks(**conn);  // stopping: settle what was handled
    {
      absl::MutexLock lock(&mu_);
      consuming_ = false;
    }
    conn->reset();
    if (!s.ok()) {
      spdlog::warn("amqp consumer of {}: connection lost: {}; reconnecting", queue(),
                   std::string(s.message()));
      SleepUnlessStopping(backoff.Next());
    }
  }
}

absl::Status Consumer::FlushAcks(internal::Connection& conn) {
  if (acks_.count == 0) return absl::OkStatus();
  acks_.count = 0;
  return conn.Ack(acks_.tag, /*multiple=*/true);
}

absl::Status Consumer::Handle(internal::Connection& conn, const internal::Delivery& delivery) {
  const Message& m = delivery.message;
  absl::Status result = CallHandler(handler_, m);
  if (result.ok()) {
    acks_.tag = delivery.delivery_tag;
    ++acks_.count;
    return absl::OkStatus();
  }
  // A multiple ack must not cover this one before it is settled on its own.
  absl::Status flushed = FlushAcks(conn);
  if (!flushed.ok()) return flushed;
  const std::string queue = this->queue();
  if (m.attempt >= options_.max_attempts) {
    spdlog::error("amqp {}: attempt {}/{} failed, dead-lettering: {}", queue, m.attempt,
                  options_.max_attempts, std::string(result.message()));
    return conn.Reject(delivery.delivery_tag, /*requeue=*/false);
  }
  spdlog::warn("amqp {}: attempt {}/{} failed, retrying: {}", queue, m.attempt,
               options_.max_attempts, std::string(result.message()));
  Message retry = m;
  retry.attempt = m.attempt + 1;
  retry.redelivered = false;
  // Through the default exchange straight to our queue: no declare, so this also works
  // for an exclusive queue that belongs to this consumer's connection.
  absl::Status s = retry_->Publish("", queue, retry);
  if (s.ok()) return conn.Ack(delivery.delivery_tag);
  spdlog::warn("amqp {}: could not republish ({}); requeueing", queue, std::string(s.message()));
  return conn.Reject(delivery.delivery_tag, /*requeue=*/true);
}

absl::StatusOr<std::vector<std::unique_ptr<Consumer>>> StartConsumers(
    const ConnectionOptions& connection, const ConsumerOptions& options, int count,
    const Handler& handler) {
  std::vector<std::unique_ptr<Consumer>> consumers;
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<std::unique_ptr<Consumer>> c = Consumer::Create(connection, options, handler);
    if (!c.ok()) return c.status();
    (*c)->Start();
    consumers.push_back(*std::move(c));
  }
  return consumers;
}

}  // namespace gureum::amqp
