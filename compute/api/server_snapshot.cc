// ServerActionManager::CreateImage: Nova's createImage (a snapshot of a server's root disk).
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/validate/validate.h"
#include "compute/api/server_access.h"
#include "compute/api/server_action_manager.h"

namespace gureum::compute {
namespace {

// The states Nova snapshots from (check_instance_state of its snapshot API), on a host and
// in no task: 409 otherwise.
absl::Status CheckSnapshottable(const Instance& x) {
  const bool state_ok = x.vm_state == vm::kActive || x.vm_state == vm::kStopped ||
                        x.vm_state == vm::kPaused || x.vm_state == vm::kSuspended;
  if (x.task_state.empty() && state_ok && !x.host.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "Cannot 'createImage' instance ", x.uuid, " while it is in vm_state ", x.vm_state,
      x.task_state.empty() ? "" : absl::StrCat(" and task_state ", x.task_state), "."));
}

// The image record: private, qcow2, the base image's properties (a kernel_id and
// ramdisk_id keep it bootable), then Nova's snapshot properties, then the caller's.
NewImage SnapshotImage(const Instance& i, const std::string& name, const StringMap& metadata) {
  NewImage image{.name = name,
                 .disk_format = "qcow2",
                 .container_format = "bare",
                 .visibility = "private",
                 .min_disk_gb = i.flavor.disk_gb,
                 .min_ram_mb = i.image.min_ram_mb,
                 .properties = i.image.properties};
  image.properties["instance_uuid"] = i.uuid;
  image.properties["image_type"] = "snapshot";
  image.properties["base_image_ref"] = i.image_ref;
  image.properties["user_id"] = i.user_id;
  for (const auto& [k, v] : metadata) image.properties[k] = v;
  return image;
}

}  // namespace

absl::StatusOr<std::string> ServerActionManager::CreateImage(const RequestContext& ctx,
                                                             const std::string& id,
                                                             const std::string& name,
                                                             const StringMap& metadata) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:servers:create_image", current.project_id));
  if (name.empty()) {
    return absl::InvalidArgumentError("Invalid input for field/attribute name: it is required");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", name));
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(current.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(ValidateMetadata(metadata, limits.metadata_items));
  GUREUM_RETURN_IF_ERROR(CheckNotVolumeBacked(store_, current, "createImage"));
  GUREUM_RETURN_IF_ERROR(CheckSnapshottable(current));  // before an image is made for nothing
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image,
                          images_.CreateImage(ctx.token, SnapshotImage(current, name, metadata)));
  const std::string task_id = ids_.NewUuid();
  absl::StatusOr<Instance> i = store_.MutateInstance(id, [&](Instance& x) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(CheckSnapshottable(x));  // again, under the row's lock
    x.task_state = task::kImageSnapshot;
    x.task_id = task_id;
    return absl::OkStatus();
  });
  absl::Status s = i.status();
  if (s.ok()) {
    events_.Updated(*i);
    s = RecordAction(store_, ctx, *i, "createImage");
  }
  if (s.ok()) s = casts_.CastAction(ctx, *i, v1::InstanceAction::SNAPSHOT, task_id, "", image.id);
  if (!s.ok()) {
    // Nothing will fill the image: it goes, and the server leaves the task it did not start.
    (void)images_.DeleteImage(ctx.token, image.id);
    if (i.ok()) {
      (void)store_.MutateInstance(id, [&](Instance& x) {
        if (x.task_id == task_id) x.task_state.clear();
        return absl::OkStatus();
      });
    }
    return s;
  }
  return image.id;
}

}  // namespace gureum::compute
