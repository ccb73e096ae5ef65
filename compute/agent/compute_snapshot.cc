// ComputeManager::Snapshot: Nova's createImage on this host. The root disk (a qcow2 overlay
// on a cached base) is flattened with `qemu-img convert` into a temporary qcow2 beside it,
// the guest paused meanwhile so that the copy is consistent (resumed at once after), and
// the file is uploaded into the image compute-api created, as this host's service user.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/process/command.h"
#include "common/status/macros.h"
#include "compute/agent/compute_manager.h"

namespace gureum::compute_agent {
namespace {

constexpr size_t kPiece = 1 << 20;

}  // namespace

absl::Status ComputeManager::UploadSnapshot(const std::string& uuid, const std::string& image_id) {
  if (deps_.image_client == nullptr) {
    return absl::FailedPreconditionError("this host has no image service to upload to");
  }
  const InstancePaths paths = deps_.files.Paths(uuid);
  const std::string tmp = absl::StrCat(paths.dir, "/snapshot-", image_id, ".qcow2");
  auto cleanup = std::shared_ptr<void>(nullptr, [&](void*) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
  });
  GUREUM_ASSIGN_OR_RETURN(DomainInfo info, deps_.hypervisor.Get(uuid));
  const bool running = info.power_state == PowerState::kRunning;
  if (running) GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Pause(uuid));
  absl::StatusOr<process::CommandResult> copied = process::RunCommand(
      {"qemu-img", "convert", "-U", "-f", "qcow2", "-O", "qcow2", paths.disk, tmp},
      absl::Minutes(30));
  absl::Status resumed = running ? deps_.hypervisor.Resume(uuid) : absl::OkStatus();
  GUREUM_RETURN_IF_ERROR(copied.status());
  if (copied->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("qemu-img convert of ", uuid, "'s disk failed: ", copied->output));
  }
  if (!resumed.ok())
    spdlog::error("snapshot of {}: resuming the guest failed: {}", uuid, resumed.ToString());
  std::ifstream in(tmp, std::ios::binary);
  if (!in) return absl::InternalError("cannot read the snapshot " + tmp);
  absl::StatusOr<compute::ImageInfo> uploaded =
      deps_.image_client->Upload(image_id, [&]() -> absl::StatusOr<std::string> {
        std::string piece(kPiece, '\0');
        in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
        if (in.bad()) return absl::InternalError("reading the snapshot " + tmp + " failed");
        piece.resize(static_cast<size_t>(in.gcount()));
        return piece;
      });
  GUREUM_RETURN_IF_ERROR(uploaded.status());
  spdlog::info("snapshot of {} uploaded as image {} ({} bytes)", uuid, image_id, uploaded->size);
  return absl::OkStatus();
}

absl::Status ComputeManager::Snapshot(const pb::InstanceAction& action) {
  const std::string& uuid = action.instance_uuid();
  absl::Status s = action.image_id().empty()
                       ? absl::InvalidArgumentError("a snapshot cast without an image id")
                       : UploadSnapshot(uuid, action.image_id());
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.add_expected_task_states("image_snapshot");
  u.set_event("compute_snapshot_instance");
  if (auto info = deps_.hypervisor.Get(uuid); info.ok())
    u.set_power_state(PowerNumber(info->power_state));
  if (!s.ok()) {
    // Nova's snapshot failure: the server stays as it was, the image is left killed (or
    // queued) at the image service, the action's event says why.
    spdlog::error("snapshot of {} into image {} failed: {}", uuid, action.image_id(), s.ToString());
    u.set_event_failed(true);
    u.mutable_fault()->set_message(
        absl::StrCat("The snapshot failed on host ", options_.host, ": ", s.message()));
  }
  return CastToConductor(u);
}

}  // namespace gureum::compute_agent
