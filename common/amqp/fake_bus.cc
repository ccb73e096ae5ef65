#include "common/amqp/fake_bus.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log/log.h"

namespace gureum::amqp {
namespace {

// Guards DeliverAll against handlers that cast to their own queue forever.
constexpr int kMaxDeliveries = 100000;

bool MatchWords(const std::vector<std::string>& p, size_t i, const std::vector<std::string>& k,
                size_t j) {
  if (i == p.size()) return j == k.size();
  if (p[i] == "#") {
    for (size_t skip = j; skip <= k.size(); ++skip) {
      if (MatchWords(p, i + 1, k, skip)) return true;
    }
    return false;
  }
  if (j == k.size()) return false;
  return (p[i] == "*" || p[i] == k[j]) && MatchWords(p, i + 1, k, j + 1);
}

}  // namespace

bool TopicMatches(const std::string& pattern, const std::string& routing_key) {
  std::vector<std::string> p = absl::StrSplit(pattern, '.');
  std::vector<std::string> k = absl::StrSplit(routing_key, '.');
  return MatchWords(p, 0, k, 0);
}

Message FakeBus::Stamp(const Message& message) {
  // As on the wire: the sender's request id travels, the receipt flag does not.
  Message m = message;
  if (m.request_id.empty() && log::CurrentRequestId() != "-")
    m.request_id = log::CurrentRequestId();
  m.redelivered = false;
  return m;
}

absl::Status FakeBus::TakeFailure() {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status s = failures_.front();
  failures_.pop_front();
  return s;
}

void FakeBus::DeclareWorkQueueLocked(const std::string& queue) {
  queues_[queue];
  if (!absl::EndsWith(queue, kDeadSuffix)) queues_[queue + kDeadSuffix];
}

absl::Status FakeBus::Cast(const std::string& queue, const Message& message) {
  return CastBatch(queue, {message});
}

absl::Status FakeBus::CastBatch(const std::string& queue, const std::vector<Message>& messages) {
  absl::MutexLock lock(&mu_);
  absl::Status s = TakeFailure();
  if (!s.ok()) return s;
  DeclareWorkQueueLocked(queue);
  for (const Message& m : messages) queues_[queue].push_back(Stamp(m));
  return absl::OkStatus();
}

absl::Status FakeBus::DeclareExchange(const std::string& exchange, ExchangeType type) {
  if (exchange.empty()) return absl::InvalidArgumentError("exchange name is empty");
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = exchanges_.try_emplace(exchange, Exchange{type, {}});
  if (!inserted && it->second.type != type) {
    return absl::FailedPreconditionError(absl::StrCat("exchange ", exchange, " has another type"));
  }
  return absl::OkStatus();
}

absl::Status FakeBus::Publish(const std::string& exchange, const std::string& routing_key,
                              const Message& message) {
  absl::MutexLock lock(&mu_);
  if (!exchange.empty() && exchanges_.count(exchange) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("exchange ", exchange, " was not declared with DeclareExchange"));
  }
  absl::Status s = TakeFailure();
  if (!s.ok()) return s;
  RouteLocked(exchange, routing_key, Stamp(message));
  return absl::OkStatus();
}

void FakeBus::RouteLocked(const std::string& exchange, const std::string& routing_key,
                          const Message& message) {
  if (exchange.empty()) {  // the default exchange: the key names a queue, if it exists
    auto it = queues_.find(routing_key);
    if (it != queues_.end()) it->second.push_back(message);
    return;
  }
  const Exchange& x = exchanges_[exchange];
  for (const Binding& b : x.bindings) {
    bool match = x.type == ExchangeType::kFanout ||
                 (x.type == ExchangeType::kDirect && b.key == routing_key) ||
                 (x.type == ExchangeType::kTopic && TopicMatches(b.key, routing_key));
    if (match) queues_[b.queue].push_back(message);
  }
}

void FakeBus::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

std::string FakeBus::Subscribe(const ConsumerOptions& options, Handler handler) {
  absl::MutexLock lock(&mu_);
  Subscription sub{options, options.queue, std::move(handler)};
  if (sub.queue.empty()) {
    sub.queue = absl::StrCat("amq.gen-", ++next_queue_id_);
    sub.exclusive = true;
    queues_[sub.queue];
  } else {
    DeclareWorkQueueLocked(sub.queue);
  }
  if (!options.exchange.empty()) {
    Exchange& x =
        exchanges_.try_emplace(options.exchange, Exchange{options.exchange_type, {}}).first->second;
    x.bindings.push_back({sub.queue, options.binding_key});
  }
  subscriptions_.push_back(sub);
  return sub.queue;
}

int FakeBus::DeliverAll() {
  int calls = 0;
  bool progress = true;
  while (progress && calls < kMaxDeliveries) {
    progress = false;
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < subscriptions_.size(); ++i) {
      const Subscription sub = subscriptions_[i];  // a copy: handlers may subscribe more
      std::deque<Message>& queue = queues_[sub.queue];
      if (queue.empty()) continue;
      Message m = std::move(queue.front());
      queue.pop_front();
      progress = true;
      ++calls;
      mu_.Unlock();
      absl::Status result;
      {
        log::ScopedRequestId request_id(log::AcceptOrNewRequestId(m.request_id));
        result = sub.handler(m);
      }
      mu_.Lock();
      if (result.ok()) continue;
      if (m.attempt < sub.options.max_attempts) {
        ++m.attempt;
        queues_[sub.queue].push_back(std::move(m));
      } else if (!sub.exclusive) {
        queues_[sub.queue + kDeadSuffix].push_back(std::move(m));
      }
    }
  }
  return calls;
}

std::vector<Message> FakeBus::Queued(const std::string& queue) const {
  absl::MutexLock lock(&mu_);
  auto it = queues_.find(queue);
  if (it == queues_.end()) return {};
  return std::vector<Message>(it->second.begin(), it->second.end());
}

}  // namespace gureum::amqp
