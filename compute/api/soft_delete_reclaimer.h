// The periodic reclaim of soft-deleted servers (Nova's _reclaim_queued_deletes): a thread
// that calls ServerManager::ReclaimSoftDeleted every reclaim_instance_interval, waiting
// on the injected Clock. Nothing runs when the interval is zero.
#pragma once

#include <atomic>
#include <thread>

#include "absl/time/time.h"
#include "common/base/clock.h"
#include "compute/api/server_manager.h"

namespace gureum::compute {

class SoftDeleteReclaimer {
 public:
  // Every collaborator must outlive the reclaimer.
  SoftDeleteReclaimer(ServerManager& servers, const Clock& clock, absl::Duration interval);
  ~SoftDeleteReclaimer();  // stops the thread (within a second)
  SoftDeleteReclaimer(const SoftDeleteReclaimer&) = delete;
  SoftDeleteReclaimer& operator=(const SoftDeleteReclaimer&) = delete;

 private:
  void Run();

  ServerManager& servers_;
  const Clock& clock_;
  const absl::Duration interval_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace gureum::compute
