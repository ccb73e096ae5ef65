// The casts of server operations over the bus (amqp::Bus; tests use amqp::FakeBus): a
// ScheduleRequest to the scheduler's queue for a build or a move, an InstanceAction to
// `compute.<host>` for what the host does. Thread-safe when the bus is.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/amqp/bus.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

#include "compute_casts.pb.h"

namespace gureum::compute {

class ServerCasts {
 public:
  // `bus` and `store` (the server group of a schedule request) must outlive the casts.
  ServerCasts(amqp::Bus& bus, ComputeStore& store, ComputeOptions options);

  // The scheduler's request for `i` (a v1::Cast with a ScheduleRequest of operation `op`).
  amqp::Message Schedule(const RequestContext& ctx, const Instance& i, int op,
                         const std::string& task_id, const std::string& requested_host,
                         const std::string& migration_id);
  absl::Status CastSchedule(const RequestContext& ctx, const Instance& i, int op,
                            const std::string& task_id, const std::string& requested_host,
                            const std::string& migration_id);
  // Requests made with Schedule, in one batch (one confirm round trip).
  absl::Status CastScheduleBatch(const std::vector<amqp::Message>& requests);
  // An InstanceAction of `kind` to the queue of `i.host`.
  absl::Status CastAction(const RequestContext& ctx, const Instance& i, int kind,
                          const std::string& task_id, const std::string& migration_id = "",
                          const std::string& image_id = "");
  // Any other cast to the queue of `host` (the volume casts).
  absl::Status CastToHost(const RequestContext& ctx, const std::string& host, const v1::Cast& cast);

 private:
  absl::Status Cast(const std::string& queue, const std::string& body,
                    const std::string& request_id);

  amqp::Bus& bus_;
  ComputeStore& store_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
