// The conductor: the consumer of the `conductor` queue inside gureum-compute-api.
//
// - InstanceUpdate (agents, scheduler): applied only when the instance's task_state is
//   one of `expected_task_states` (if given), so a stale or repeated update never moves
//   an instance backwards; faults and instance-action events are recorded; a `deleted`
//   update removes the instance, deletes its volumes' attachments at block storage and
//   drops its allocations. An update for an instance
//   that no longer exists (deleted while it was being scheduled) sends a DELETE back to
//   the host that built it, so nothing is left running.
// - VolumeAttachmentUpdate (agents): the outcome of an attach or detach, applied by the
//   VolumeAttachmentManager.
// - ServiceHeartbeat (agents): registers the host on its first beat, refreshes
//   last_seen_at, and syncs power states as Nova's _sync_power_states does: a VM found
//   shut down or crashed while `active` becomes `stopped`. Domains compute-api does not
//   know are logged, never destroyed.
//
// Idempotent (delivery is at least once). Handle is thread-safe.
#pragma once

#include "absl/status/status.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "compute/api/compute_store.h"
#include "compute/api/instance_notifier.h"
#include "compute/api/volume_attachment_manager.h"
#include "compute/clients/placement_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute {

class Conductor {
 public:
  // `volumes` takes the agents' volume reports and releases a deleted server's volumes;
  // null (tests of other things): those reports are dropped.
  // `events` announces each change it applies (InstanceNotifier; off when built on a null
  // amqp::Notifier).
  Conductor(ComputeStore& store, amqp::Bus& bus, PlacementClient& placement, const Clock& clock,
            VolumeAttachmentManager* volumes = nullptr,
            const InstanceNotifier& events = InstanceNotifier(nullptr))
      : store_(store),
        bus_(bus),
        placement_(placement),
        clock_(clock),
        volumes_(volumes),
        events_(events) {}

  // The AMQP handler: a body that is not a Cast is dropped (logged) and acked, since
  // retrying it cannot help.
  absl::Status Handle(const amqp::Message& message);

  absl::Status ApplyInstanceUpdate(const v1::InstanceUpdate& update);
  absl::Status ApplyHeartbeat(const v1::ServiceHeartbeat& heartbeat);

 private:
  absl::Status FinishDelete(const v1::InstanceUpdate& update);
  // Casts DELETE to the host that reported an instance compute-api no longer has.
  absl::Status SendBackForDeletion(const v1::InstanceUpdate& update);
  absl::Status SyncPowerStates(const v1::ServiceHeartbeat& heartbeat);

  ComputeStore& store_;
  amqp::Bus& bus_;
  PlacementClient& placement_;
  const Clock& clock_;
  VolumeAttachmentManager* volumes_;
  const InstanceNotifier events_;  // a copy: it only holds a pointer
};

}  // namespace gureum::compute
