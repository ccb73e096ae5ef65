#include "object-storage/server/expirer.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "object-storage/server/replicator.h"

namespace gureum::object {
namespace {

// Every replica of the container's listing.
std::vector<ListingTarget> ContainerReplicas(const ring::Ring& ring, const std::string& name) {
  std::vector<ListingTarget> out;
  std::optional<ObjectName> n = SplitObjectName(name);
  if (!n) return out;
  const uint32_t part = ring.Partition(n->account, n->container);
  for (const ring::Device* d : ring.Primaries(part)) {
    out.push_back({absl::StrCat(d->ip, ":", d->port), d->device, std::to_string(part)});
  }
  return out;
}

}  // namespace

ExpiryStats Expirer::RunOnce() {
  absl::MutexLock lock(&run_mu_);
  ExpiryStats stats;
  const int64_t now = absl::ToUnixSeconds(clock_.Now());
  std::shared_ptr<const ring::Ring> ring = rings_.Get();
  for (const std::string& device : LocalDevices(files_.root())) {
    for (const ExpiringEntry& e : files_.Expiring(device)) {
      if (e.delete_at > now) break;  // oldest first
      absl::StatusOr<ObjectState> state = files_.OpenHashDir(
          absl::StrCat(files_.PartitionDir(device, e.partition), "/", e.hash_dir));
      if (!state.ok() || !state->reader || state->reader->meta().delete_at != e.delete_at) {
        files_.RemoveExpiring(device, e);
        ++stats.dropped;
        continue;
      }
      const ObjectMeta& meta = state->reader->meta();
      // The tombstone at X-Delete-At, or just after the data if that came later.
      const absl::Time data_time = absl::FromUnixMicros(meta.timestamp.ticks() * 10);
      const Timestamp ts = Timestamp::FromTime(
          std::max(absl::FromUnixSeconds(e.delete_at), data_time + absl::Microseconds(10)));
      const ObjectLocation where{device, e.partition, meta.name};
      absl::Status s = objects_.Expire(where, ts, ContainerReplicas(*ring, meta.name));
      if (!s.ok() && !absl::IsFailedPrecondition(s)) {
        spdlog::error("expirer: {}: {}", meta.name, s.ToString());
        continue;
      }
      files_.RemoveExpiring(device, e);
      ++stats.expired;
    }
  }
  return stats;
}

}  // namespace gureum::object
