// Where volumes go, and what the volume agents look like from the API: scheduling onto the
// reported backends (cinder-scheduler's capacity and type filters, the most free capacity
// first, claimed atomically by the store so concurrent creates cannot overcommit a
// backend), the services list, availability zones and pools.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block-storage/api/manager_deps.h"

namespace gureum::block_storage {

class BackendManager {
 public:
  explicit BackendManager(const ManagerDeps& deps) : deps_(deps) {}

  // Claims room for `volume` (stored, with no backend yet) on an up, enabled backend whose
  // name matches the type's volume_backend_name (if it has one) and whose zone is the
  // volume's; returns the backend's key. ResourceExhausted "No valid backend was found."
  // with the reason when none fits.
  absl::StatusOr<std::string> Place(const Volume& volume, const VolumeType& type);
  // The same on one given backend (a clone or a volume from a snapshot stays with its
  // source): FailedPrecondition when that backend is down.
  absl::Status PlaceOn(const Volume& volume, const std::string& backend_key);

  bool IsUp(const Backend& backend) const;
  absl::StatusOr<bool> IsUp(const std::string& backend_key);

  // Admin: every backend with its state ("up"/"down") and status.
  absl::StatusOr<std::vector<Backend>> ListServices(const RequestContext& ctx);
  absl::Status SetServiceDisabled(const RequestContext& ctx, const std::string& host, bool disabled,
                                  const std::string& reason);
  // The zones volumes can be created in (those of up backends, and the default zone).
  absl::StatusOr<std::vector<std::pair<std::string, bool>>> AvailabilityZones(
      const RequestContext& ctx);

  int64_t CapacityGb(const Backend& backend) const;

 private:
  const ManagerDeps& deps_;
};

}  // namespace gureum::block_storage
