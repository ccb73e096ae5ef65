#include "compute/api/external_event_manager.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

// Nova's event names (nova/api/openstack/compute/schemas/server_external_events.py).
constexpr const char* kNames[] = {
    "network-changed", "network-vif-plugged", "network-vif-unplugged",     "network-vif-deleted",
    "volume-extended", "power-update",        "accelerator-request-bound", "volume-reimaged"};
constexpr const char* kStatuses[] = {"failed", "completed", "in-progress"};

template <size_t N>
bool OneOf(const std::string& v, const char* const (&set)[N]) {
  for (const char* s : set) {
    if (v == s) return true;
  }
  return false;
}

absl::Status Check(const ExternalEvent& e) {
  if (!OneOf(e.name, kNames)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input for field/attribute name. Value: ", e.name,
                     ". It is not one of: ", absl::StrJoin(kNames, ", ")));
  }
  if (e.server_uuid.empty()) {
    return absl::InvalidArgumentError("Invalid input: an event needs a server_uuid");
  }
  if (!OneOf(e.status, kStatuses)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input for field/attribute status. Value: ", e.status,
                     ". It is not one of: failed, completed, in-progress"));
  }
  if (e.name == "volume-extended" && e.tag.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input: a volume-extended event needs the volume id "
        "as its tag");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ExternalEvent>> ExternalEventManager::Create(
    const RequestContext& ctx, std::vector<ExternalEvent> events) {
  GUREUM_RETURN_IF_ERROR(
      deps_.policy.Enforce(ctx, "os_compute_api:os-server-external-events:create", ""));
  if (events.empty()) return absl::InvalidArgumentError("Invalid input: no events");
  for (const ExternalEvent& e : events) GUREUM_RETURN_IF_ERROR(Check(e));
  bool any_found = false;
  for (ExternalEvent& e : events) {
    e.code = Apply(ctx, e);
    if (e.code != 200) e.status = "failed";
    any_found = any_found || e.code != 404;
  }
  if (!any_found) return absl::NotFoundError("No instances found for any event");
  return events;
}

int ExternalEventManager::Apply(const RequestContext& ctx, const ExternalEvent& e) {
  absl::StatusOr<Instance> i = deps_.store.GetInstance(e.server_uuid);
  if (!i.ok()) return 404;
  if (i->host.empty()) return 422;  // never built anywhere: nobody to tell
  if (e.name != "volume-extended") return 200;
  return VolumeExtended(ctx, *i, e.tag);
}

int ExternalEventManager::VolumeExtended(const RequestContext& ctx, const Instance& i,
                                         const std::string& volume_id) {
  absl::StatusOr<VolumeAttachment> a = deps_.store.GetVolumeAttachment(i.uuid, volume_id);
  if (!a.ok() || a->status != "attached" || deps_.block_storage_as_service == nullptr) return 422;
  absl::StatusOr<VolumeInfo> v = deps_.block_storage_as_service->GetVolume(kAsService, volume_id);
  if (!v.ok()) {
    spdlog::warn("volume-extended for {} on {}: {}", volume_id, i.uuid, v.status().ToString());
    return 422;
  }
  v1::Cast cast;
  v1::ExtendVolume* m = cast.mutable_extend_volume();
  m->set_instance_uuid(i.uuid);
  m->set_volume_id(volume_id);
  m->set_new_size_bytes(v->size_gb << 30);
  m->set_task_id(ctx.request_id);
  // Nova's instance action, which the agent's compute_extend_volume event finishes.
  if (absl::Status a = RecordAction(deps_.store, ctx, i, "extend_volume"); !a.ok()) {
    spdlog::warn("volume-extended for {} on {}: recording the action: {}", volume_id, i.uuid,
                 a.ToString());
  }
  absl::Status s = deps_.casts.CastToHost(ctx, i.host, cast);
  if (!s.ok()) {
    spdlog::warn("volume-extended for {} on {}: {}", volume_id, i.uuid, s.ToString());
    return 422;
  }
  return 200;
}

}  // namespace gureum::compute
