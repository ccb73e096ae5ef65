#include "block-storage/api/backend_manager.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::block_storage {

int64_t BackendManager::CapacityGb(const Backend& backend) const {
  return static_cast<int64_t>(static_cast<double>(backend.total_gb) *
                              deps_.options.max_over_subscription_ratio);
}

bool BackendManager::IsUp(const Backend& backend) const {
  return deps_.clock.Now() - backend.updated_at <= deps_.options.service_down_time;
}

absl::StatusOr<bool> BackendManager::IsUp(const std::string& backend_key) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends, deps_.store.ListBackends());
  for (const Backend& b : backends) {
    if (b.key == backend_key) return IsUp(b) && !b.disabled;
  }
  return false;
}

absl::StatusOr<std::string> BackendManager::Place(const Volume& volume, const VolumeType& type) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends, deps_.store.ListBackends());
  auto wanted = type.extra_specs.find("volume_backend_name");
  std::vector<Backend> fit;
  std::string why = "no volume agent has reported a backend";
  for (const Backend& b : backends) {
    if (!IsUp(b) || b.disabled) {
      why = "every volume agent that could take it is down or disabled";
      continue;
    }
    if (wanted != type.extra_specs.end() && wanted->second != b.backend) {
      why = absl::StrCat("no backend named '", wanted->second, "' is up");
      continue;
    }
    if (!volume.availability_zone.empty() && b.availability_zone != volume.availability_zone) {
      why = absl::StrCat("no backend in availability zone '", volume.availability_zone, "'");
      continue;
    }
    fit.push_back(b);
  }
  std::sort(fit.begin(), fit.end(), [&](const Backend& a, const Backend& b) {
    return CapacityGb(a) - a.allocated_gb > CapacityGb(b) - b.allocated_gb;
  });
  for (const Backend& b : fit) {
    absl::Status claimed =
        deps_.store.ClaimBackend(volume.id, b.key, CapacityGb(b), deps_.clock.Now());
    if (claimed.ok()) return b.key;
    if (!absl::IsResourceExhausted(claimed)) return claimed;
    why = absl::StrCat("not enough free capacity for ", volume.size_gb, " GiB");
  }
  return absl::ResourceExhaustedError(absl::StrCat("No valid backend was found: ", why, "."));
}

absl::Status BackendManager::PlaceOn(const Volume& volume, const std::string& backend_key) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends, deps_.store.ListBackends());
  for (const Backend& b : backends) {
    if (b.key != backend_key) continue;
    if (!IsUp(b)) {
      return absl::FailedPreconditionError(
          absl::StrCat("No valid backend was found: the volume agent of ", b.host, " is down."));
    }
    absl::Status claimed =
        deps_.store.ClaimBackend(volume.id, b.key, CapacityGb(b), deps_.clock.Now());
    if (absl::IsResourceExhausted(claimed)) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "No valid backend was found: not enough free capacity for ", volume.size_gb, " GiB."));
    }
    return claimed;
  }
  return absl::FailedPreconditionError("No valid backend was found: the source's backend is gone.");
}

absl::StatusOr<std::vector<Backend>> BackendManager::ListServices(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:services:index"));
  return deps_.store.ListBackends();
}

absl::Status BackendManager::SetServiceDisabled(const RequestContext& ctx, const std::string& host,
                                                bool disabled, const std::string& reason) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:services:update"));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends, deps_.store.ListBackends());
  bool found = false;
  for (const Backend& b : backends) {
    if (b.host != host && b.key != host) continue;
    found = true;
    GUREUM_RETURN_IF_ERROR(deps_.store.SetBackendDisabled(b.key, disabled, reason));
  }
  if (!found) return absl::NotFoundError(absl::StrCat("Host ", host, " could not be found."));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, bool>>> BackendManager::AvailabilityZones(
    const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:availability_zone_list"));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends, deps_.store.ListBackends());
  std::map<std::string, bool> zones;
  for (const Backend& b : backends) {
    zones[b.availability_zone] = zones[b.availability_zone] || (IsUp(b) && !b.disabled);
  }
  if (zones.empty()) zones[deps_.options.default_availability_zone] = false;
  return std::vector<std::pair<std::string, bool>>(zones.begin(), zones.end());
}

}  // namespace gureum::block_storage
