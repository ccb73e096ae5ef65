// The consumer of queue "block-storage": applies the volume agents' AgentReports (results
// of the casts, and the backends' capacity heartbeats) to the store, and sweeps tasks no
// agent will answer (a volume "creating" on a backend that went down goes to error with the
// reason, so nothing stays in a transient status forever).
//
// Idempotent: a report is applied only while its object is still in the status the task
// set (a replayed "created" for a volume already available changes nothing).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "block-storage/api/backend_manager.h"
#include "block-storage/api/manager_deps.h"
#include "common/amqp/bus.h"

namespace gureum::block_storage {

inline constexpr char kReportQueue[] = "block-storage";

class ReportHandler {
 public:
  ReportHandler(const ManagerDeps& deps, BackendManager& backends)
      : deps_(deps), backends_(backends) {}

  // The amqp::Handler: OK for a report applied or one that no longer applies; an error
  // only for a transient failure (the store unreachable), so the consumer retries it.
  absl::Status Handle(const amqp::Message& message);

  // Volumes and snapshots whose task has not been answered within options.task_timeout
  // while their backend is down (or ten times that in any case) go to their error status
  // (a volume uploading to an image goes back to its previous status: it is intact).
  // Returns how many. Run periodically.
  absl::StatusOr<int> SweepStale();

 private:
  const ManagerDeps& deps_;
  BackendManager& backends_;
};

}  // namespace gureum::block_storage
