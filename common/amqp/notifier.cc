#include "common/amqp/notifier.h"

#include <spdlog/spdlog.h>

#include "absl/time/time.h"

namespace gureum::amqp {

Notifier::Notifier(Bus& bus, std::string publisher_id, const Clock& clock, IdGenerator& ids)
    : bus_(bus), publisher_id_(std::move(publisher_id)), clock_(clock), ids_(ids) {}

void Notifier::Info(const std::string& event_type, const nlohmann::json& payload) {
  Send("INFO", event_type, payload);
}

void Notifier::Error(const std::string& event_type, const nlohmann::json& payload) {
  Send("ERROR", event_type, payload);
}

void Notifier::Send(const std::string& priority, const std::string& event_type,
                    const nlohmann::json& payload) {
  {
    absl::MutexLock lock(&mu_);
    if (!declared_) {
      absl::Status s = bus_.DeclareExchange(kNotificationExchange, ExchangeType::kTopic);
      if (!s.ok()) {
        spdlog::warn("notification {} not sent: {}", event_type, s.ToString());
        return;
      }
      declared_ = true;
    }
  }
  nlohmann::json body = {
      {"event_type", event_type},
      {"publisher_id", publisher_id_},
      {"priority", priority},
      {"message_id", ids_.NewUuid()},
      {"timestamp", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", clock_.Now(), absl::UTCTimeZone())},
      {"payload", payload}};
  Message message;
  message.body = body.dump();
  if (absl::Status s = bus_.Publish(kNotificationExchange, event_type, message); !s.ok()) {
    spdlog::warn("notification {} not sent: {}", event_type, s.ToString());
  }
}

}  // namespace gureum::amqp
