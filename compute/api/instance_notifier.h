// Notifications of instance changes on the `notifications` exchange (common/amqp/notifier.h),
// so that the dashboard's open pages and an operator's tools hear about every change
// without polling compute-api. Nova's legacy event types and payload keys:
//
//   compute.instance.create.start   the servers were accepted (one per server)
//   compute.instance.update         any change of state, task, power state, host, name
//   compute.instance.delete.end     the server is gone
//
// Payload: {instance_id, tenant_id, user_id, display_name, state (vm_state), task_state
// (null when none), power_state (Nova's number), host, image_ref, instance_type (flavor
// name)}. Best effort (Notifier): a lost event never fails the change it describes.
#pragma once

#include <string>

#include "common/amqp/notifier.h"
#include "compute/api/model.h"

namespace gureum::compute {

class InstanceNotifier {
 public:
  // `notifier` may be null: notifications are off (tests, no RabbitMQ publisher).
  explicit InstanceNotifier(amqp::Notifier* notifier) : notifier_(notifier) {}

  void Created(const Instance& instance) const;
  void Updated(const Instance& instance) const;
  void Deleted(const Instance& instance) const;

 private:
  void Send(const std::string& event_type, const Instance& instance) const;

  amqp::Notifier* notifier_;
};

}  // namespace gureum::compute
