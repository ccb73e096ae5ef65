#include "compute/api/tests/simulated_host.h"

#include "compute/api/cast_codec.h"

#include "compute_casts.pb.h"

namespace gureum::compute::testing {

absl::StatusOr<std::unique_ptr<SimulatedHost>> SimulatedHost::Start(
    const amqp::ConnectionOptions& amqp, amqp::Bus& bus, std::string host,
    std::string conductor_queue, const std::string& scheduler_queue) {
  std::unique_ptr<SimulatedHost> h(
      new SimulatedHost(bus, std::move(host), std::move(conductor_queue)));
  auto start = [&](const std::string& queue,
                   amqp::Handler handler) -> absl::StatusOr<std::unique_ptr<amqp::Consumer>> {
    amqp::ConsumerOptions in;
    in.queue = queue;
    auto c = amqp::Consumer::Create(amqp, in, std::move(handler));
    if (!c.ok()) return c.status();
    (*c)->Start();
    if (!(*c)->WaitUntilConsuming(absl::Seconds(10)))
      return absl::UnavailableError("no consumer on " + queue);
    return c;
  };
  SimulatedHost* self = h.get();
  auto agent = start(ComputeQueue(h->host_),
                     [self](const amqp::Message& m) { return self->AgentHandle(m); });
  if (!agent.ok()) return agent.status();
  h->agent_ = *std::move(agent);
  if (!scheduler_queue.empty()) {
    auto sched =
        start(scheduler_queue, [self](const amqp::Message& m) { return self->SchedulerHandle(m); });
    if (!sched.ok()) return sched.status();
    h->scheduler_ = *std::move(sched);
  }
  return h;
}

SimulatedHost::~SimulatedHost() {
  if (scheduler_) scheduler_->Stop();
  if (agent_) agent_->Stop();
}

absl::Status SimulatedHost::SchedulerHandle(const amqp::Message& m) {
  v1::Cast in;
  if (!in.ParseFromString(m.body) || !in.has_schedule()) return absl::OkStatus();
  v1::Cast out;
  *out.mutable_build()->mutable_request() = in.schedule();
  out.mutable_build()->set_host(host_);
  out.mutable_build()->set_node("node-" + host_);
  amqp::Message msg;
  msg.body = out.SerializeAsString();
  return bus_.Cast(ComputeQueue(host_), msg);
}

absl::Status SimulatedHost::AgentHandle(const amqp::Message& m) {
  v1::Cast in;
  if (!in.ParseFromString(m.body)) return absl::OkStatus();
  v1::Cast out;
  v1::InstanceUpdate* u = out.mutable_instance_update();
  u->set_power_state(-1);
  u->set_host(host_);
  if (in.has_build() && in.build().request().operation() != v1::ScheduleRequest::BUILD) {
    // A move landed here: resize/migrate finish as `resized` (waiting for confirm),
    // evacuate as a rebuild.
    const v1::ScheduleRequest& req = in.build().request();
    u->set_instance_uuid(req.spec().uuid());
    u->set_task_id(req.task_id());
    u->set_migration_id(req.migration_id());
    u->set_power_state(1);
    if (req.operation() == v1::ScheduleRequest::EVACUATE) {
      u->add_expected_task_states("rebuilding");
      u->set_vm_state("active");
      u->set_migration_status("done");
      u->set_event("compute_rebuild_instance");
    } else {
      u->add_expected_task_states("resize_prep");
      u->set_vm_state("resized");
      u->set_flavor_id(req.spec().flavor().id());
      u->set_migration_status("finished");
      u->set_event("compute_finish_resize");
    }
  } else if (in.has_build()) {
    const v1::ScheduleRequest& req = in.build().request();
    u->set_instance_uuid(req.spec().uuid());
    u->set_task_id(req.task_id());
    u->add_expected_task_states("scheduling");
    u->add_expected_task_states("spawning");
    u->set_event("compute_build_and_run_instance");
    bool fail = false;
    {
      absl::MutexLock l(&mu_);
      fail = fail_builds_;
    }
    if (fail) {
      u->set_vm_state("error");
      u->set_power_state(0);
      u->set_event_failed(true);
      u->mutable_fault()->set_code(500);
      u->mutable_fault()->set_message("Build of instance " + req.spec().uuid() +
                                      " aborted: disk full");
    } else {
      u->set_vm_state("active");
      u->set_power_state(1);
      u->set_node("node-" + host_);
      u->set_has_console_tail(true);
      u->set_console_tail("boot line 1\nboot line 2\nlogin:\n");
    }
  } else if (in.has_action()) {
    const v1::InstanceAction& a = in.action();
    u->set_instance_uuid(a.instance_uuid());
    u->set_task_id(a.task_id());
    struct Outcome {
      const char* task;
      const char* vm;
      int power;
      const char* event;
    };
    Outcome o{"", "", -1, ""};
    switch (a.kind()) {
      case v1::InstanceAction::START:
        o = {"powering-on", "active", 1, "compute_start_instance"};
        break;
      case v1::InstanceAction::STOP:
        o = {"powering-off", "stopped", 4, "compute_stop_instance"};
        break;
      case v1::InstanceAction::REBOOT_SOFT:
        o = {"rebooting", "active", 1, "compute_reboot_instance"};
        break;
      case v1::InstanceAction::REBOOT_HARD:
        o = {"rebooting_hard", "active", 1, "compute_reboot_instance"};
        break;
      case v1::InstanceAction::PAUSE:
        o = {"pausing", "paused", 3, "compute_pause_instance"};
        break;
      case v1::InstanceAction::UNPAUSE:
        o = {"unpausing", "active", 1, "compute_unpause_instance"};
        break;
      case v1::InstanceAction::SUSPEND:
        o = {"suspending", "suspended", 7, "compute_suspend_instance"};
        break;
      case v1::InstanceAction::RESUME:
        o = {"resuming", "active", 1, "compute_resume_instance"};
        break;
      case v1::InstanceAction::REBUILD:
        o = {"rebuilding", "active", 1, "compute_rebuild_instance"};
        break;
      case v1::InstanceAction::CONFIRM_RESIZE:
        o = {"resize_confirming", "active", 1, "compute_confirm_resize"};
        u->set_migration_status("confirmed");
        u->set_migration_id(a.migration_id());
        break;
      case v1::InstanceAction::REVERT_RESIZE:
        o = {"resize_reverting", "active", 1, "compute_revert_resize"};
        u->set_migration_status("reverted");
        u->set_migration_id(a.migration_id());
        break;
      case v1::InstanceAction::DELETE:
        u->set_deleted(true);
        break;
      default:
        return absl::OkStatus();
    }
    if (!u->deleted()) {
      u->add_expected_task_states(o.task);
      u->set_vm_state(o.vm);
      u->set_power_state(o.power);
      u->set_event(o.event);
    }
  } else {
    return absl::OkStatus();
  }
  amqp::Message msg;
  msg.body = out.SerializeAsString();
  return bus_.Cast(conductor_queue_, msg);
}

}  // namespace gureum::compute::testing
