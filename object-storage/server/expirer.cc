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
  const int64_t now = absl::ToUnixSeconds(d_.clock.Now());
  std::shared_ptr<const ring::Ring> ring = d_.rings.Get();
  const bool in_ring = InRing(*ring, d_.ip, d_.port);
  for (const std::string& device : LocalDevices(d_.files.root())) {
    for (const ExpiringEntry& e : d_.files.Expiring(device)) {
      if (e.delete_at > now) break;  // oldest first
      absl::StatusOr<ObjectState> state = d_.files.OpenHashDir(
          absl::StrCat(d_.files.PartitionDir(device, e.partition), "/", e.hash_dir));
      if (!state.ok() || !state->reader || state->reader->meta().delete_at != e.delete_at) {
        d_.files.RemoveExpiring(device, e);
        ++stats.dropped;
        continue;
      }
      const ObjectMeta& meta = state->reader->meta();
      // The tombstone at X-Delete-At, or just after the data if that came later.
      const absl::Time data_time = absl::FromUnixMicros(meta.timestamp.ticks() * 10);
      const Timestamp ts = Timestamp::FromTime(
          std::max(absl::FromUnixSeconds(e.delete_at), data_time + absl::Microseconds(10)));
      const ObjectLocation where{device, e.partition, meta.name};
      if (!in_ring) spdlog::warn("expirer: not in the ring; {}'s listing not updated", meta.name);
      absl::Status s = d_.objects.Expire(
          where, ts, in_ring ? ContainerReplicas(*ring, meta.name) : std::vector<ListingTarget>());
      if (!s.ok() && !absl::IsFailedPrecondition(s)) {
        spdlog::error("expirer: {}: {}", meta.name, s.ToString());
        continue;
      }
      d_.files.RemoveExpiring(device, e);
      ++stats.expired;
    }
  }
  return stats;
}

}  // namespace gureum::object
