#include "common/base/process.h"

#include "absl/synchronization/mutex.h"

namespace gureum {

void InitProcess() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

}  // namespace gureum
