#include "object-storage/server/auditor.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "object-storage/server/replicator.h"

namespace gureum::object {

AuditStats Auditor::RunOnce() {
  absl::MutexLock lock(&run_mu_);
  AuditStats stats;
  const absl::Time start = clock_.Now();
  for (const std::string& device : LocalDevices(files_.root())) {
    for (uint32_t part : LocalPartitions(files_.DeviceDir(device))) {
      std::error_code ec;
      for (const auto& entry :
           std::filesystem::directory_iterator(files_.PartitionDir(device, part), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() != 32 || !entry.is_directory(ec)) continue;
        if (Check(device, part, name, stats)) ++stats.quarantined;
        if (rate_ <= 0) continue;
        // At most `rate_` bytes a second since the pass began.
        const absl::Duration due = absl::Seconds(static_cast<double>(stats.bytes) / rate_);
        const absl::Duration spent = clock_.Now() - start;
        if (due > spent) clock_.SleepFor(due - spent);
      }
    }
  }
  return stats;
}

bool Auditor::Check(const std::string& device, uint32_t part, const std::string& hash_dir,
                    AuditStats& stats) {
  const std::string dir = absl::StrCat(files_.PartitionDir(device, part), "/", hash_dir);
  absl::StatusOr<ObjectState> state = files_.OpenHashDir(dir);
  absl::Status good = state.status();
  if (state.ok() && state->reader) {
    int64_t read = 0;
    good = CheckObject(*state->reader, &read);
    stats.bytes += read;
    ++stats.checked;
  }
  if (!absl::IsDataLoss(good)) return false;
  spdlog::warn("auditor: {}; quarantined", good.ToString());
  if (absl::Status s = files_.Quarantine(device, part, hash_dir); !s.ok()) {
    spdlog::error("auditor: {}", s.ToString());
    return false;
  }
  return true;
}

}  // namespace gureum::object
