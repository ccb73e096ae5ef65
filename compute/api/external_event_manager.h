// Nova's server external events (POST /os-server-external-events): how other services tell
// compute that something changed under a server. Block storage sends `volume-extended`
// (tag: the volume id) once it grew an attached volume; compute then casts extend_volume to
// the server's host, whose agent makes the running guest see the new size.
//
// Every name Nova knows is accepted (network-changed, network-vif-plugged, ...,
// power-update); only volume-extended acts here, the others are answered as Nova does
// (completed, 200) with nothing else happening: no agent of this cloud waits for them.
// Per event: 404 when the server does not exist, 422 when it has no host or the volume
// is not attached to it; the call itself is 404 when no event found its server (Nova's).
//
// Policy: os_compute_api:os-server-external-events:create (cloud admins and the service
// role: block storage's service user). Thread-safe; blocking (SQL, gRPC, AMQP).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/server_casts.h"
#include "compute/clients/block_storage_client.h"

namespace gureum::compute {

struct ExternalEvent {
  std::string name;
  std::string server_uuid;
  std::string tag;                   // volume-extended: the volume id
  std::string status = "completed";  // completed | failed | in-progress
  int code = 200;                    // the answer's, per event
};

// Every collaborator must outlive the manager.
struct ExternalEventManagerDeps {
  ComputeStore& store;
  ServerCasts& casts;
  const ComputePolicy& policy;
  // Block storage as compute's service user (the volume's new size); null when [compute]
  // block_storage_grpc is not set (a volume-extended event is then 422).
  BlockStorageClient* block_storage_as_service = nullptr;
};

class ExternalEventManager {
 public:
  explicit ExternalEventManager(const ExternalEventManagerDeps& deps) : deps_(deps) {}

  // The events with their code and status. InvalidArgument (400) for an unknown name, an
  // empty server_uuid, a bad status, or a volume-extended event without a tag.
  absl::StatusOr<std::vector<ExternalEvent>> Create(const RequestContext& ctx,
                                                    std::vector<ExternalEvent> events);

 private:
  // The code of one event (200, 404 or 422), having acted on it.
  int Apply(const RequestContext& ctx, const ExternalEvent& e);
  int VolumeExtended(const RequestContext& ctx, const Instance& i, const std::string& volume_id);

  ExternalEventManagerDeps deps_;
};

}  // namespace gureum::compute
