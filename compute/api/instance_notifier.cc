#include "compute/api/instance_notifier.h"

#include <nlohmann/json.hpp>

namespace gureum::compute {

void InstanceNotifier::Created(const Instance& instance) const {
  Send("compute.instance.create.start", instance);
}

void InstanceNotifier::Updated(const Instance& instance) const {
  Send("compute.instance.update", instance);
}

void InstanceNotifier::Deleted(const Instance& instance) const {
  Send("compute.instance.delete.end", instance);
}

void InstanceNotifier::Send(const std::string& event_type, const Instance& i) const {
  if (notifier_ == nullptr) return;
  nlohmann::json payload = {{"instance_id", i.uuid},        {"tenant_id", i.project_id},
                            {"user_id", i.user_id},         {"display_name", i.name},
                            {"state", i.vm_state},          {"task_state", nullptr},
                            {"power_state", i.power_state}, {"host", i.host},
                            {"image_ref", i.image_ref},     {"instance_type", i.flavor.name}};
  if (!i.task_state.empty()) payload["task_state"] = i.task_state;
  notifier_->Info(event_type, payload);
}

}  // namespace gureum::compute
