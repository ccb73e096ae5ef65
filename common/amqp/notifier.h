// Notifications of state changes (oslo.messaging's shape) on the topic exchange
// `notifications`, routing key "<event_type>" (e.g. "volume.create.end"), so that whoever
// cares (the dashboard's live pages, an operator's tooling) binds "volume.#" and hears
// about every change without polling the service.
//
// Body (JSON): {"event_type": ..., "publisher_id": "<service>.<host>", "payload": {...},
// "timestamp": "<RFC 3339>", "message_id": "<uuid>", "priority": "INFO"|"ERROR"}.
// Best effort: a failed publish is logged, never the caller's failure (the state change
// already happened; the next change or a reload tells the truth).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "common/base/ids.h"

namespace gureum::amqp {

inline constexpr char kNotificationExchange[] = "notifications";

class Notifier {
 public:
  // `bus`, `clock` and `ids` must outlive the notifier.
  Notifier(Bus& bus, std::string publisher_id, const Clock& clock, IdGenerator& ids);

  void Info(const std::string& event_type, const nlohmann::json& payload);
  void Error(const std::string& event_type, const nlohmann::json& payload);

 private:
  void Send(const std::string& priority, const std::string& event_type,
            const nlohmann::json& payload);

  Bus& bus_;
  const std::string publisher_id_;
  const Clock& clock_;
  IdGenerator& ids_;
  absl::Mutex mu_;
  bool declared_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gureum::amqp
