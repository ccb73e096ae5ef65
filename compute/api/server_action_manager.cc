// The server actions: power (start, stop, reboot, pause, suspend and their reverses),
// lock, rebuild, and the moves (resize with confirm/revert, migrate, evacuate).
#include "compute/api/server_action_manager.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/cast_codec.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

// The agent cast that carries out a host-side action.
int CastKindFor(Action a) {
  switch (a) {
    case Action::kStart:
      return v1::InstanceAction::START;
    case Action::kStop:
      return v1::InstanceAction::STOP;
    case Action::kRebootSoft:
      return v1::InstanceAction::REBOOT_SOFT;
    case Action::kRebootHard:
      return v1::InstanceAction::REBOOT_HARD;
    case Action::kPause:
      return v1::InstanceAction::PAUSE;
    case Action::kUnpause:
      return v1::InstanceAction::UNPAUSE;
    case Action::kSuspend:
      return v1::InstanceAction::SUSPEND;
    case Action::kResume:
      return v1::InstanceAction::RESUME;
    case Action::kRebuild:
      return v1::InstanceAction::REBUILD;
    case Action::kConfirmResize:
      return v1::InstanceAction::CONFIRM_RESIZE;
    case Action::kRevertResize:
      return v1::InstanceAction::REVERT_RESIZE;
    default:
      return v1::InstanceAction::UNKNOWN;
  }
}

}  // namespace

ServerActionManager::ServerActionManager(const ServerActionManagerDeps& deps,
                                         ComputeOptions options)
    : store_(deps.store),
      casts_(deps.casts),
      images_(deps.images),
      policy_(deps.policy),
      flavors_(deps.flavors),
      hosts_(deps.hosts),
      ids_(deps.ids),
      events_(deps.events != nullptr ? *deps.events : InstanceNotifier(nullptr)),
      options_(std::move(options)) {}

absl::StatusOr<Instance> ServerActionManager::ServerAction(const RequestContext& ctx,
                                                           const std::string& id,
                                                           const ActionRequest& req) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  const Action action = req.action;
  std::string rule = "os_compute_api:servers:" + ActionName(action);
  if (action == Action::kConfirmResize) rule = "os_compute_api:servers:confirm_resize";
  if (action == Action::kRevertResize) rule = "os_compute_api:servers:revert_resize";
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, rule, current.project_id));
  GUREUM_RETURN_IF_ERROR(CheckLocked(policy_, ctx, current, action));
  if (action == Action::kRebuild || action == Action::kResize || action == Action::kMigrate ||
      action == Action::kEvacuate) {
    GUREUM_RETURN_IF_ERROR(CheckNotVolumeBacked(store_, current, ActionName(action)));
  }

  if (action == Action::kLock || action == Action::kUnlock) {
    return LockOrUnlock(ctx, id, action, req.locked_reason);
  }
  if (action == Action::kResize || action == Action::kMigrate || action == Action::kEvacuate) {
    return StartMove(ctx, std::move(current), req);
  }

  ImageInfo new_image;
  if (action == Action::kRebuild) {
    if (req.metadata) {
      GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                              store_.GetQuotaLimits(current.project_id, options_.default_quotas));
      GUREUM_RETURN_IF_ERROR(ValidateMetadata(*req.metadata, limits.metadata_items));
    }
    if (req.access_ip_v4)
      GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv4", *req.access_ip_v4, 4));
    if (req.access_ip_v6)
      GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv6", *req.access_ip_v6, 6));
    absl::StatusOr<ImageInfo> image = ImageForCaller(images_, ctx, req.image_ref);
    if (!image.ok()) {
      return image.status().code() == absl::StatusCode::kNotFound
                 ? absl::InvalidArgumentError(image.status().message())
                 : image.status();
    }
    new_image = *image;
    if (new_image.min_ram_mb > current.flavor.ram_mb) {
      return absl::InvalidArgumentError("Flavor's memory is too small for requested image.");
    }
    GUREUM_RETURN_IF_ERROR(CheckImageFitsFlavor(new_image, current.flavor));
    if (req.auto_disk_config) {
      GUREUM_RETURN_IF_ERROR(DiskConfigFor(new_image, req.auto_disk_config).status());
    }
  }
  const std::string task_id = ids_.NewUuid();
  GUREUM_ASSIGN_OR_RETURN(Instance i, store_.MutateInstance(id, [&](Instance& x) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(CheckTransition(x, action));
    if (x.host.empty())
      return absl::FailedPreconditionError("Instance " + x.uuid + " is not ready");
    x.task_state = TaskStateFor(action);
    x.task_id = task_id;
    if (action == Action::kRebuild) {
      x.image_ref = new_image.id;
      x.image = new_image;
      if (req.name) x.name = *req.name;
      if (req.metadata) x.metadata = *req.metadata;
      if (req.access_ip_v4) x.access_ip_v4 = CanonicalIp(*req.access_ip_v4);
      if (req.access_ip_v6) x.access_ip_v6 = CanonicalIp(*req.access_ip_v6);
      if (req.auto_disk_config) x.auto_disk_config = *req.auto_disk_config;
    }
    return absl::OkStatus();
  }));
  events_.Updated(i);
  GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, i, ActionName(action)));

  std::string migration_id;
  Instance target = i;
  target.admin_pass = req.admin_pass;  // to the agent with the rebuild, never stored
  if (action == Action::kConfirmResize || action == Action::kRevertResize) {
    GUREUM_RETURN_IF_ERROR(FinishMigration(id, action, target, migration_id));
  }
  GUREUM_RETURN_IF_ERROR(
      casts_.CastAction(ctx, target, CastKindFor(action), task_id, migration_id));
  return i;
}

absl::StatusOr<Instance> ServerActionManager::ResetState(const RequestContext& ctx,
                                                         const std::string& id,
                                                         const std::string& state) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-admin-actions:reset_state"));
  if (state != vm::kActive && state != vm::kError) {
    return absl::InvalidArgumentError("Invalid input for field/attribute state. Value: " + state +
                                      ". '" + state + "' is not one of ['active', 'error']");
  }
  GUREUM_RETURN_IF_ERROR(GetOwnInstance(store_, policy_, ctx, id).status());  // 404
  GUREUM_ASSIGN_OR_RETURN(Instance i, store_.MutateInstance(id, [&](Instance& x) {
    x.vm_state = state;
    x.task_state.clear();
    x.task_id.clear();
    return absl::OkStatus();
  }));
  events_.Updated(i);
  return i;
}

absl::StatusOr<Instance> ServerActionManager::LockOrUnlock(const RequestContext& ctx,
                                                           const std::string& id, Action action,
                                                           const std::string& reason) {
  const bool admin = policy_.IsAdmin(ctx);
  return store_.MutateInstance(id, [&](Instance& i) -> absl::Status {
    if (action == Action::kLock) {
      i.locked = true;
      i.locked_by = admin ? "admin" : "owner";
      i.locked_reason = reason;
    } else {
      if (i.locked && i.locked_by == "admin" && !admin) {
        return absl::PermissionDeniedError(
            "Policy doesn't allow os_compute_api:servers:unlock:unlock_override to be "
            "performed.");
      }
      i.locked = false;
      i.locked_by.clear();
      i.locked_reason.clear();
    }
    return absl::OkStatus();
  });
}

absl::Status ServerActionManager::FinishMigration(const std::string& id, Action action,
                                                  Instance& target, std::string& migration_id) {
  GUREUM_ASSIGN_OR_RETURN(auto migrations, store_.ListMigrations(id));
  for (const MigrationRecord& m : migrations) {
    if (m.status == "finished" || m.status == "post-migrating") {
      migration_id = m.uuid;
      // Confirm drops the old copy on the source; revert undoes on the destination.
      if (action == Action::kConfirmResize) target.host = m.source_host;
      return store_.SetMigrationStatus(
          m.uuid, action == Action::kConfirmResize ? "confirming" : "reverting");
    }
  }
  return absl::FailedPreconditionError("Instance " + id + " has no finished migration to " +
                                       (action == Action::kConfirmResize ? "confirm" : "revert"));
}

absl::StatusOr<Instance> ServerActionManager::StartMove(const RequestContext& ctx, Instance current,
                                                        const ActionRequest& req) {
  const Action action = req.action;
  std::optional<FlavorRecord> new_flavor;
  std::string type = action == Action::kResize    ? "resize"
                     : action == Action::kMigrate ? "migration"
                                                  : "evacuation";
  if (action == Action::kResize) {
    absl::StatusOr<FlavorRecord> f = flavors_.FlavorForCaller(ctx, req.flavor_ref);
    if (!f.ok()) {
      return f.status().code() == absl::StatusCode::kNotFound
                 ? absl::InvalidArgumentError(f.status().message())
                 : f.status();
    }
    if (f->id == current.flavor.id) {
      return absl::InvalidArgumentError("When resizing, instances must change flavor!");
    }
    if (f->disk_gb < current.flavor.disk_gb) {
      return absl::InvalidArgumentError("Resize to zero disk flavor is not allowed.");
    }
    // The quota must hold the larger flavor while the resize is unconfirmed.
    GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                            store_.GetQuotaLimits(current.project_id, options_.default_quotas));
    GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, store_.GetQuotaUsage(current.project_id, ""));
    const int64_t dc = f->vcpus - current.flavor.vcpus;
    const int64_t dr = f->ram_mb - current.flavor.ram_mb;
    if (dc > 0 && limits.cores >= 0 && usage.cores + dc > limits.cores) {
      return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                                "Quota exceeded for cores: Requested ", dc, ", but already used ",
                                usage.cores, " of ", limits.cores, " cores")),
                            403);
    }
    if (dr > 0 && limits.ram >= 0 && usage.ram + dr > limits.ram) {
      return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                                "Quota exceeded for ram: Requested ", dr, ", but already used ",
                                usage.ram, " of ", limits.ram, " ram")),
                            403);
    }
    new_flavor = *f;
    if (req.auto_disk_config) {
      GUREUM_RETURN_IF_ERROR(DiskConfigFor(current.image, req.auto_disk_config).status());
    }
  }
  if (action == Action::kEvacuate) {
    GUREUM_ASSIGN_OR_RETURN(bool host_up, hosts_.IsHostUp(current.host));
    if (host_up) {
      return absl::InvalidArgumentError("Compute service of " + current.host + " is still in use.");
    }
    if (!req.host.empty() && req.host == current.host) {
      return absl::InvalidArgumentError("The target host can't be the same one.");
    }
  }
  const std::string task_id = ids_.NewUuid();
  const std::string migration_id = ids_.NewUuid();
  GUREUM_ASSIGN_OR_RETURN(
      Instance i, store_.MutateInstance(current.uuid, [&](Instance& x) -> absl::Status {
        GUREUM_RETURN_IF_ERROR(CheckTransition(x, action));
        if (x.host.empty())
          return absl::FailedPreconditionError("Instance " + x.uuid + " is not ready");
        x.task_state = TaskStateFor(action);
        x.task_id = task_id;
        x.new_flavor = new_flavor;
        if (req.auto_disk_config) x.auto_disk_config = *req.auto_disk_config;
        return absl::OkStatus();
      }));
  events_.Updated(i);
  GUREUM_RETURN_IF_ERROR(
      store_.CreateMigration({.uuid = migration_id,
                              .instance_uuid = i.uuid,
                              .migration_type = type,
                              .status = action == Action::kEvacuate ? "accepted" : "pre-migrating",
                              .source_host = i.host,
                              .dest_host = req.host,
                              .old_flavor_id = i.flavor.id,
                              .new_flavor_id = new_flavor ? new_flavor->id : i.flavor.id}));
  GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, i, ActionName(action)));
  int op = action == Action::kResize    ? v1::ScheduleRequest::RESIZE
           : action == Action::kMigrate ? v1::ScheduleRequest::MIGRATE
                                        : v1::ScheduleRequest::EVACUATE;
  GUREUM_RETURN_IF_ERROR(casts_.CastSchedule(ctx, i, op, task_id, req.host, migration_id));
  return i;
}

}  // namespace gureum::compute
