#include "common/amqp/publisher.h"

#include <poll.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/amqp/connection.h"

#include "spdlog/spdlog.h"

namespace gureum::amqp {
namespace {

// How long the reading caller waits for input before looking around again (a reset by
// another thread, a confirm timeout). Confirms usually wake it much sooner.
constexpr int kPollMillis = 10;

const std::string& DefaultExchange() {
  static const std::string* kEmpty = new std::string();
  return *kEmpty;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Publisher>> Publisher::Create(const ConnectionOptions& options) {
  if (options.host.empty()) return absl::InvalidArgumentError("AMQP host is empty");
  return std::unique_ptr<Publisher>(new Publisher(options));
}

Publisher::Publisher(const ConnectionOptions& options)
    : options_(options), backoff_(options.initial_backoff, options.max_backoff) {}

Publisher::~Publisher() {
  absl::MutexLock lock(&mu_);
  conn_.reset();
}

absl::Status Publisher::Cast(const std::string& queue, const Message& message) {
  return Send(queue, {Outgoing{&DefaultExchange(), &queue, &message}});
}

absl::Status Publisher::CastBatch(const std::string& queue, const std::vector<Message>& messages) {
  std::vector<Outgoing> items;
  items.reserve(messages.size());
  for (const Message& m : messages) items.push_back({&DefaultExchange(), &queue, &m});
  return Send(queue, items);
}

absl::Status Publisher::DeclareExchange(const std::string& exchange, ExchangeType type) {
  if (exchange.empty()) return absl::InvalidArgumentError("exchange name is empty");
  absl::Status s =
      WithConnection([&](internal::Connection& c) { return c.DeclareExchange(exchange, type); });
  if (s.ok()) {
    absl::MutexLock lock(&mu_);
    exchanges_[exchange] = type;  // re-declared on every new connection
  }
  return s;
}

absl::Status Publisher::Publish(const std::string& exchange, const std::string& routing_key,
                                const Message& message) {
  if (!exchange.empty()) {
    absl::MutexLock lock(&mu_);
    if (exchanges_.count(exchange) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("exchange ", exchange, " was not declared with DeclareExchange"));
    }
  }
  return Send("", {Outgoing{&exchange, &routing_key, &message}});
}

absl::Status Publisher::DeleteQueue(const std::string& queue) {
  absl::Status s = WithConnection([&](internal::Connection& c) { return c.DeleteQueue(queue); });
  absl::MutexLock lock(&mu_);
  declared_queues_.erase(queue);
  return s;
}

absl::Status Publisher::WithConnection(
    const std::function<absl::Status(internal::Connection&)>& op) {
  const absl::Time deadline = absl::Now() + options_.publish_timeout;
  absl::MutexLock lock(&mu_);
  while (true) {
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("RabbitMQ unreachable: ", last_error_.message()));
    }
    if (!EnsureConnectedLocked(deadline).ok()) continue;
    absl::Status s = op(*conn_);
    if (s.ok()) return s;
    ResetLocked(s);
    if (!absl::IsUnavailable(s)) return s;  // the broker refused: retrying will not help
  }
}

absl::Status Publisher::Send(const std::string& queue, const std::vector<Outgoing>& items) {
  const absl::Time deadline = absl::Now() + options_.publish_timeout;
  std::vector<uint64_t> tags(items.size(), 0);  // 0: still to be published on this connection
  std::vector<bool> done(items.size(), false);
  uint64_t generation = 0;
  absl::MutexLock lock(&mu_);
  while (true) {
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("message not confirmed by RabbitMQ within ",
                                                 absl::FormatDuration(options_.publish_timeout),
                                                 ": ", last_error_.message()));
    }
    if (!EnsureConnectedLocked(deadline).ok()) continue;
    if (generation != generation_) {  // a new connection: everything unconfirmed goes again
      generation = generation_;
      for (uint64_t& tag : tags) tag = 0;
    }
    if (!queue.empty() && declared_queues_.count(queue) == 0) {
      absl::Status s = conn_->DeclareWorkQueue(queue);
      if (!s.ok()) {
        ResetLocked(s);
        if (!absl::IsUnavailable(s)) return s;
        continue;
      }
      declared_queues_.insert(queue);
    }
    bool failed = false;
    // A batch leaves in full TCP segments, which the broker reads together: half the
    // CPU per message on our side (amqp_bench, CastBatch of 100).
    if (items.size() > 1) conn_->Cork(true);
    for (size_t i = 0; i < items.size() && !failed; ++i) {
      if (done[i] || tags[i] != 0) continue;
      absl::Status s = conn_->Publish(*items[i].exchange, *items[i].routing_key, *items[i].message);
      if (!s.ok()) {
        ResetLocked(s);
        failed = true;
        break;
      }
      if (unconfirmed_.empty()) last_progress_ = absl::Now();
      tags[i] = ++next_tag_;
      unconfirmed_.insert(tags[i]);
    }
    if (failed) continue;  // the connection is gone, and its cork with it
    conn_->Cork(false);
    bool pending = false;
    for (size_t i = 0; i < items.size(); ++i) {
      if (done[i]) continue;
      if (unconfirmed_.count(tags[i]) != 0) {
        pending = true;
      } else if (nacked_.erase(tags[i]) != 0) {
        tags[i] = 0;  // the broker could not store it: publish it again
        pending = true;
      } else {
        done[i] = true;
      }
    }
    if (!pending) return absl::OkStatus();
    AwaitConfirmsLocked([&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      for (size_t i = 0; i < items.size(); ++i) {
        if (!done[i] && unconfirmed_.count(tags[i]) != 0) return false;
      }
      return true;
    });
  }
}

void Publisher::AwaitConfirmsLocked(const std::function<bool()>& settled) {
  if (reading_) {
    // absl evaluates the condition when the lock is released and wakes one caller
    // whose condition holds, so a batch of confirms wakes just the callers it settles
    // (and one new reader) instead of every waiting thread.
    auto ready = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !reading_ || settled(); };
    mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(kPollMillis));
    return;
  }
  reading_ = true;
  const uint64_t generation = generation_;
  if (!conn_->HasBufferedInput()) {
    // Wait for input without the lock, so other callers keep publishing meanwhile.
    pollfd pfd{conn_->fd(), POLLIN, 0};
    mu_.Unlock();
    poll(&pfd, 1, kPollMillis);
    mu_.Lock();
  }
  reading_ = false;
  if (generation != generation_ || conn_ == nullptr) {
    cv_.SignalAll();
    return;
  }
  std::vector<internal::Confirm> confirms;
  absl::Status s = conn_->ReadConfirms(&confirms);
  for (const internal::Confirm& c : confirms) {
    auto end = c.multiple ? unconfirmed_.upper_bound(c.tag) : unconfirmed_.find(c.tag);
    auto begin = c.multiple ? unconfirmed_.begin() : end;
    if (!c.multiple && end != unconfirmed_.end()) ++end;
    for (auto it = begin; it != end; ++it) {
      if (!c.ack) nacked_.insert(*it);
    }
    unconfirmed_.erase(begin, end);
  }
  if (!confirms.empty()) last_progress_ = absl::Now();
  if (!s.ok()) {
    ResetLocked(s);
  } else if (!unconfirmed_.empty() && absl::Now() - last_progress_ > options_.confirm_timeout) {
    ResetLocked(absl::UnavailableError("RabbitMQ did not confirm in time"));
  }
  cv_.SignalAll();
}

absl::Status Publisher::EnsureConnectedLocked(absl::Time deadline) {
  if (conn_ != nullptr && conn_->healthy()) return absl::OkStatus();
  if (conn_ != nullptr) ResetLocked(absl::UnavailableError("connection broken"));
  const absl::Time now = absl::Now();
  if (now < next_connect_) {
    cv_.WaitWithDeadline(&mu_, std::min(next_connect_, deadline));
    return absl::UnavailableError("waiting to reconnect");
  }
  absl::StatusOr<std::unique_ptr<internal::Connection>> c = internal::Connection::Open(options_);
  absl::Status s = c.ok() ? (*c)->EnableConfirms() : c.status();
  for (auto it = exchanges_.begin(); s.ok() && it != exchanges_.end(); ++it) {
    s = (*c)->DeclareExchange(it->first, it->second);
  }
  if (!s.ok()) {
    last_error_ = s;
    absl::Duration wait = backoff_.Next();
    next_connect_ = now + wait;
    spdlog::warn("amqp publisher: {} ({}); retrying in {}", std::string(s.message()),
                 options_.ToString(), absl::FormatDuration(wait));
    return s;
  }
  conn_ = std::move(*c);
  ++generation_;
  backoff_.Reset();
  spdlog::info("amqp publisher connected to {}", options_.ToString());
  return absl::OkStatus();
}

void Publisher::ResetLocked(const absl::Status& why) {
  if (conn_ == nullptr) return;
  last_error_ = why;
  spdlog::warn("amqp publisher: connection dropped: {}", std::string(why.message()));
  conn_.reset();
  unconfirmed_.clear();
  nacked_.clear();
  declared_queues_.clear();
  next_tag_ = 0;
  cv_.SignalAll();
}

}  // namespace gureum::amqp
