// Test-only: a stand-in scheduler (every ScheduleRequest on `scheduler_queue` becomes a
// BuildInstance for `host`) and a simulated agent consuming `compute.<host>` that answers
// each cast with the InstanceUpdates a real agent sends, to `conductor_queue`. Real
// RabbitMQ; no libvirt. Used by the integration tests and the benchmark.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"

namespace gureum::compute::testing {

class SimulatedHost {
 public:
  // Starts the consumers (the scheduler's only when `scheduler_queue` is non-empty).
  static absl::StatusOr<std::unique_ptr<SimulatedHost>> Start(const amqp::ConnectionOptions& amqp,
                                                              amqp::Bus& bus, std::string host,
                                                              std::string conductor_queue,
                                                              const std::string& scheduler_queue);
  ~SimulatedHost();

  // When set, builds fail with a fault.
  void FailBuilds(bool fail) {
    absl::MutexLock l(&mu_);
    fail_builds_ = fail;
  }
  const std::string& host() const { return host_; }

 private:
  SimulatedHost(amqp::Bus& bus, std::string host, std::string conductor_queue)
      : bus_(bus), host_(std::move(host)), conductor_queue_(std::move(conductor_queue)) {}
  absl::Status AgentHandle(const amqp::Message& m);
  absl::Status SchedulerHandle(const amqp::Message& m);

  amqp::Bus& bus_;
  std::string host_;
  std::string conductor_queue_;
  std::unique_ptr<amqp::Consumer> scheduler_;
  std::unique_ptr<amqp::Consumer> agent_;
  absl::Mutex mu_;
  bool fail_builds_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gureum::compute::testing
