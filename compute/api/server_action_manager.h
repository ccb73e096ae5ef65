// Server actions of compute-api: the power actions (start, stop, reboot soft and hard,
// pause, unpause, suspend, resume) and rebuild, each checked against Nova's state machine
// (instance_states.h) on the locked row and cast to the server's host; lock and unlock;
// the moves (resize within the quota, migrate, evacuate of a server whose host is down)
// with a migration record and a ScheduleRequest; confirm and revert of a resize.
//
// Errors: NotFound (another project's server), InvalidArgument (400), PermissionDenied
// (403; quota via WithHttpStatus), FailedPrecondition (409: state conflicts, locks).
// Thread-safe; blocking (SQL, AMQP, gRPC).
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/ids.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/flavor_manager.h"
#include "compute/api/host_manager.h"
#include "compute/api/instance_notifier.h"
#include "compute/api/instance_states.h"
#include "compute/api/server_casts.h"

namespace gureum::compute {

struct ActionRequest {
  Action action;
  std::string image_ref;            // rebuild
  std::string flavor_ref;           // resize
  std::string host;                 // migrate/evacuate target (admin)
  std::string locked_reason;        // lock
  std::optional<std::string> name;  // rebuild
  // rebuild: replaces the metadata if given; access addresses; the guest's new password
  std::optional<std::map<std::string, std::string>> metadata;
  std::optional<std::string> access_ip_v4, access_ip_v6;
  std::string admin_pass;
  std::optional<bool> auto_disk_config;  // rebuild, resize: OS-DCF:diskConfig
};

// Every collaborator must outlive the manager.
struct ServerActionManagerDeps {
  ComputeStore& store;
  ServerCasts& casts;
  ImageClient& images;  // rebuild's image, with the user's own token
  const ComputePolicy& policy;
  FlavorManager& flavors;  // resize's flavor
  HostManager& hosts;      // evacuate: whether the host is down
  IdGenerator& ids;
  // Announces the task each action starts; may be null: none.
  const InstanceNotifier* events = nullptr;
};

class ServerActionManager {
 public:
  ServerActionManager(const ServerActionManagerDeps& deps, ComputeOptions options);

  // createImage (server_snapshot.cc): a snapshot of the server's root disk as a new image
  // of the caller's project, created with the caller's token (private, qcow2, the base
  // image's properties, instance_uuid, image_type snapshot, `metadata`) and filled by the
  // agent; the server is in task image_snapshot meanwhile. Returns the image's id. 409 for
  // a server in a task, in another state than active/stopped/paused/suspended, or with
  // volumes; the image service's refusals as it words them.
  absl::StatusOr<std::string> CreateImage(const RequestContext& ctx, const std::string& id,
                                          const std::string& name, const StringMap& metadata);

  // os-resetState (admin): the server's vm_state set to `state` ("active" or "error", else
  // 400) and its task cleared, whatever it was doing; nothing is cast (Nova's).
  absl::StatusOr<Instance> ResetState(const RequestContext& ctx, const std::string& id,
                                      const std::string& state);
  absl::StatusOr<Instance> ServerAction(const RequestContext& ctx, const std::string& id,
                                        const ActionRequest& req);

 private:
  absl::StatusOr<Instance> LockOrUnlock(const RequestContext& ctx, const std::string& id,
                                        Action action, const std::string& reason);
  // The finished migration a confirm or revert ends (its status set), and the host the
  // action goes to; FailedPrecondition when there is none.
  absl::Status FinishMigration(const std::string& id, Action action, Instance& target,
                               std::string& migration_id);
  absl::StatusOr<Instance> StartMove(const RequestContext& ctx, Instance current,
                                     const ActionRequest& req);

  ComputeStore& store_;
  ServerCasts& casts_;
  ImageClient& images_;
  const ComputePolicy& policy_;
  FlavorManager& flavors_;
  HostManager& hosts_;
  IdGenerator& ids_;
  const InstanceNotifier events_;  // a copy: it only holds a pointer
  const ComputeOptions options_;
};

}  // namespace gureum::compute
