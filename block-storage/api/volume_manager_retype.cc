// VolumeManager::Retype (Cinder's os-retype) without migration: the volume keeps its data
// and its backend; only its type changes, which is allowed when the new type does not ask
// for another backend (volume_backend_name). A retype that needs a migration is refused
// (400) with migration_policy "never", as Cinder does, and also with "on-demand": moving
// a volume between backends is not built.
#include "absl/strings/str_cat.h"
#include "block-storage/api/volume_manager.h"
#include "block-storage/api/volume_states.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace vs = volume_status;

}  // namespace

absl::StatusOr<Volume> VolumeManager::Retype(const RequestContext& ctx, const std::string& id,
                                             const std::string& new_type,
                                             const std::string& migration_policy) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:retype"));
  if (migration_policy != "never" && migration_policy != "on-demand") {
    return absl::InvalidArgumentError(
        "Invalid input received: migration_policy must be never or on-demand.");
  }
  if (volume.status != vs::kAvailable && volume.status != vs::kInUse) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", id,
                                                   " status must be available or in-use to "
                                                   "retype, but current status is: ",
                                                   volume.status, "."));
  }
  absl::StatusOr<VolumeType> type = types_.Get(ctx, new_type);
  if (absl::IsNotFound(type.status())) {
    return absl::NotFoundError(absl::StrCat("Volume type ", new_type, " could not be found."));
  }
  GUREUM_RETURN_IF_ERROR(type.status());
  if (type->id == volume.volume_type_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: Retype cannot change the volume type to its "
                     "current one (",
                     type->name, ")."));
  }
  auto wanted = type->extra_specs.find("volume_backend_name");
  if (wanted != type->extra_specs.end() && !volume.backend_key.empty() &&
      wanted->second != BackendName(volume.backend_key)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid volume: Retype to ", type->name, " needs a migration to backend ", wanted->second,
        migration_policy == "never" ? ", which migration_policy never does not allow."
                                    : "; moving volumes between backends is not supported here."));
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, quotas_.Effective(volume.project_id));
  VolumeChange change{.from = {volume.status}, .volume_type_id = type->id, .quota = limits};
  absl::StatusOr<Volume> retyped = deps_.store.ChangeVolume(id, change, deps_.clock.Now());
  if (absl::IsResourceExhausted(retyped.status())) {
    return QuotaExceeded(retyped.status(), limits, volume.size_gb);
  }
  if (absl::IsFailedPrecondition(retyped.status())) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", id,
                                                   " changed status meanwhile (",
                                                   retyped.status().message(), ")."));
  }
  GUREUM_RETURN_IF_ERROR(retyped.status());
  NotifyVolume(deps_, "volume.retype", *retyped);
  return retyped;
}

}  // namespace gureum::block_storage
