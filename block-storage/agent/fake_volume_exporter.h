// An in-memory VolumeExporter for tests of the agent's logic: exports in a map (port 10809
// and up, export name "export-<attachment>"), Live for an exported volume records the calls
// made through it, FailNext injects a fault. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "block-storage/agent/volume_exporter.h"

namespace gureum::volume_agent {

class FakeVolumeExporter final : public VolumeExporter {
 public:
  absl::StatusOr<ExportInfo> Export(const ExportRequest& request) override;
  absl::Status Unexport(const std::string& attachment_id) override;
  std::unique_ptr<LiveImage> Live(const std::string& volume_id) override;
  std::vector<ExportInfo> List() override;

  // The next Export or Unexport returns `status` and changes nothing.
  void FailNext(absl::Status status);
  // What went through Live images: "snapshot <name>", "delete-snapshot <name>", "resize <bytes>".
  std::vector<std::string> live_calls() const;
  // The requests exported so far, by attachment.
  std::map<std::string, ExportRequest> requests() const;

 private:
  friend class FakeLiveImage;
  void Record(std::string call);

  mutable absl::Mutex mu_;
  std::map<std::string, ExportInfo> exports_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ExportRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> live_calls_ ABSL_GUARDED_BY(mu_);
  int next_port_ ABSL_GUARDED_BY(mu_) = 10809;
};

}  // namespace gureum::volume_agent
