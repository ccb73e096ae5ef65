#include "dashboard/event_hub.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

#include "spdlog/spdlog.h"

namespace gureum::dashboard {

absl::StatusOr<Event> ParseNotification(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return absl::InvalidArgumentError("notification is not a JSON object");
  auto type = j.find("event_type");
  auto payload = j.find("payload");
  if (type == j.end() || !type->is_string() || payload == j.end() || !payload->is_object()) {
    return absl::InvalidArgumentError("notification lacks event_type or payload");
  }
  auto tenant = payload->find("tenant_id");
  if (tenant == payload->end() || !tenant->is_string() || tenant->get<std::string>().empty()) {
    return absl::InvalidArgumentError("notification payload lacks tenant_id");
  }
  return Event{.type = type->get<std::string>(),
               .project_id = tenant->get<std::string>(),
               .payload = payload->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

std::string SseFrame(const Event& event) {
  // The type comes from our own services, but a newline in it would end the field early.
  std::string type = event.type;
  for (char& c : type) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return absl::StrCat("event: ", type, "\ndata: ", event.payload, "\n\n");
}

std::optional<Event> EventHub::Subscription::Next(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty(); };
  if (!mu_.AwaitWithTimeout(absl::Condition(&ready), timeout)) return std::nullopt;
  Event e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

void EventHub::Subscription::Push(const Event& event) {
  absl::MutexLock lock(&mu_);
  if (queue_.size() >= kQueueLimit) queue_.pop_front();
  queue_.push_back(event);
}

absl::Status EventHub::Publish(const std::string& body) {
  absl::StatusOr<Event> event = ParseNotification(body);
  if (!event.ok()) {
    spdlog::debug("notification dropped: {}", event.status().ToString());
    return absl::OkStatus();
  }
  Dispatch(*event);
  return absl::OkStatus();
}

void EventHub::Dispatch(const Event& event) {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
      std::shared_ptr<Subscription> s = it->lock();
      if (!s) {
        it = subscriptions_.erase(it);
        continue;
      }
      if (s->project_id() == event.project_id) targets.push_back(std::move(s));
      ++it;
    }
  }
  for (const auto& s : targets) s->Push(event);
}

std::shared_ptr<EventHub::Subscription> EventHub::Subscribe(const std::string& project_id) {
  auto s = std::make_shared<Subscription>(project_id);
  absl::MutexLock lock(&mu_);
  subscriptions_.push_back(s);
  return s;
}

size_t EventHub::subscribers() const {
  absl::MutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& w : subscriptions_) n += w.expired() ? 0 : 1;
  return n;
}

}  // namespace gureum::dashboard
