// A process's current ring (object servers and proxies): loaded from the ring file and
// loaded again when the file changes
// (its mtime, inode or size, checked at most once per `check_every`), so `gureum-manage
// object ring rebalance` and a copy of the file reach running servers without a restart.
// A file that does not load keeps the ring in use (logged).
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "object-storage/ring/ring.h"

namespace gureum::object::ring {

class RingHolder {
 public:
  // Loads the ring first; the error if it does not load.
  static absl::StatusOr<std::unique_ptr<RingHolder>> Create(
      std::string path, Clock& clock, absl::Duration check_every = absl::Seconds(5));

  std::shared_ptr<const Ring> Get();

 private:
  RingHolder(std::string path, Clock& clock, absl::Duration check_every)
      : path_(std::move(path)), clock_(clock), check_every_(check_every) {}
  absl::Status Load();

  const std::string path_;
  Clock& clock_;
  const absl::Duration check_every_;
  absl::Mutex mu_;
  std::shared_ptr<const Ring> ring_ ABSL_GUARDED_BY(mu_);
  std::string signature_ ABSL_GUARDED_BY(mu_);  // of the file loaded
  absl::Time checked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object::ring
