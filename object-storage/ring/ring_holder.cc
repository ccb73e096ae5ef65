#include "object-storage/ring/ring_holder.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "object-storage/ring/ring_file.h"

namespace gureum::object::ring {
namespace {

// What tells a changed file: its mtime, inode (a file renamed into place) and size.
std::string Signature(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_ino) + "/" + std::to_string(st.st_size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RingHolder>> RingHolder::Create(std::string path, Clock& clock,
                                                               absl::Duration check_every) {
  std::unique_ptr<RingHolder> holder(new RingHolder(std::move(path), clock, check_every));
  absl::MutexLock lock(&holder->mu_);
  if (absl::Status s = holder->Load(); !s.ok()) return s;
  return holder;
}

absl::Status RingHolder::Load() {
  const std::string signature = Signature(path_);
  absl::StatusOr<RingData> data = ReadRingFile(path_);
  if (!data.ok()) return data.status();
  absl::StatusOr<Ring> loaded = Ring::Create(*std::move(data));
  if (!loaded.ok()) return loaded.status();
  if (loaded->data().assignment.empty()) {
    return absl::FailedPreconditionError(path_ + ": the ring was never rebalanced");
  }
  ring_ = std::make_shared<const Ring>(*std::move(loaded));
  signature_ = signature;
  checked_ = clock_.Now();
  return absl::OkStatus();
}

std::shared_ptr<const Ring> RingHolder::Get() {
  absl::MutexLock lock(&mu_);
  if (clock_.Now() - checked_ >= check_every_) {
    checked_ = clock_.Now();
    if (Signature(path_) != signature_) {
      if (absl::Status s = Load(); !s.ok()) {
        spdlog::error("ring {} not reloaded: {}", path_, s.ToString());
      } else {
        spdlog::info("ring {} reloaded (version {})", path_, ring_->data().version);
      }
    }
  }
  return ring_;
}

}  // namespace gureum::object::ring
