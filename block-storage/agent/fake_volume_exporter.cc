#include "block-storage/agent/fake_volume_exporter.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::volume_agent {

class FakeLiveImage final : public LiveImage {
 public:
  explicit FakeLiveImage(FakeVolumeExporter& exporter) : exporter_(exporter) {}
  absl::Status CreateInternalSnapshot(const std::string& name) override {
    exporter_.Record("snapshot " + name);
    return absl::OkStatus();
  }
  absl::Status DeleteInternalSnapshot(const std::string& name) override {
    exporter_.Record("delete-snapshot " + name);
    return absl::OkStatus();
  }
  absl::Status Resize(int64_t bytes) override {
    exporter_.Record(absl::StrCat("resize ", bytes));
    return absl::OkStatus();
  }

 private:
  FakeVolumeExporter& exporter_;
};

absl::StatusOr<ExportInfo> FakeVolumeExporter::Export(const ExportRequest& request) {
  GUREUM_RETURN_IF_ERROR(CheckId("attachment", request.attachment_id));
  absl::MutexLock lock(&mu_);
  if (!failures_.empty()) {
    absl::Status s = failures_.front();
    failures_.pop_front();
    return s;
  }
  auto it = exports_.find(request.attachment_id);
  if (it != exports_.end()) {
    if (it->second.volume_id != request.volume_id) {
      return absl::FailedPreconditionError("the attachment is exported for another volume");
    }
    return it->second;
  }
  ExportInfo info{.attachment_id = request.attachment_id,
                  .volume_id = request.volume_id,
                  .host = "127.0.0.1",
                  .port = next_port_++,
                  .export_name = "export-" + request.attachment_id,
                  .read_only = request.read_only};
  exports_[request.attachment_id] = info;
  requests_[request.attachment_id] = request;
  return info;
}

absl::Status FakeVolumeExporter::Unexport(const std::string& attachment_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("attachment", attachment_id));
  absl::MutexLock lock(&mu_);
  if (!failures_.empty()) {
    absl::Status s = failures_.front();
    failures_.pop_front();
    return s;
  }
  exports_.erase(attachment_id);
  return absl::OkStatus();
}

std::unique_ptr<LiveImage> FakeVolumeExporter::Live(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, e] : exports_) {
    if (e.volume_id == volume_id) return std::make_unique<FakeLiveImage>(*this);
  }
  return nullptr;
}

std::vector<ExportInfo> FakeVolumeExporter::List() {
  absl::MutexLock lock(&mu_);
  std::vector<ExportInfo> out;
  for (const auto& [id, e] : exports_) out.push_back(e);
  return out;
}

void FakeVolumeExporter::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

std::vector<std::string> FakeVolumeExporter::live_calls() const {
  absl::MutexLock lock(&mu_);
  return live_calls_;
}

std::map<std::string, ExportRequest> FakeVolumeExporter::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void FakeVolumeExporter::Record(std::string call) {
  absl::MutexLock lock(&mu_);
  live_calls_.push_back(std::move(call));
}

}  // namespace gureum::volume_agent
