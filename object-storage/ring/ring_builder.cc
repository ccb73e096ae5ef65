#include "object-storage/ring/ring_builder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gureum::object::ring {
namespace {

using Tier = std::pair<int, int>;  // (region, zone)

Tier TierOf(const Device& d) { return {d.region, d.zone}; }

// Water-filling: splits `total` among items in proportion to `weights`, no item above
// `caps[i]`; what a capped item cannot take goes to the others by weight.
std::vector<double> Fill(const std::vector<double>& weights, const std::vector<double>& caps,
                         double total) {
  std::vector<double> share(weights.size(), 0);
  std::vector<bool> fixed(weights.size(), false);
  for (size_t round = 0; round <= weights.size(); ++round) {
    double left = total, weight = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (fixed[i])
        left -= share[i];
      else
        weight += weights[i];
    }
    if (weight <= 0) break;
    bool capped = false;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (fixed[i]) continue;
      share[i] = left * weights[i] / weight;
      if (share[i] > caps[i]) {
        share[i] = caps[i];
        fixed[i] = true;
        capped = true;
      }
    }
    if (!capped) break;
  }
  return share;
}

// Rounds shares that sum to an integer into integers with the same sum: floors, then one
// more to the largest remainders (ties to the lower index).
std::vector<int> Round(const std::vector<double>& shares) {
  std::vector<int> out(shares.size());
  double sum = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    out[i] = static_cast<int>(std::floor(shares[i] + 1e-9));
    sum += shares[i] - out[i];
  }
  std::vector<size_t> order(shares.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return shares[a] - out[a] > shares[b] - out[b]; });
  for (int k = 0, extra = static_cast<int>(std::lround(sum)); k < extra; ++k) ++out[order[k]];
  return out;
}

int TierLimit(int replicas, size_t tiers) {
  return static_cast<int>((replicas + tiers - 1) / tiers);  // ceil(replicas / tiers)
}

std::map<Tier, std::vector<const Device*>> ActiveByTier(const RingData& ring) {
  std::map<Tier, std::vector<const Device*>> out;
  for (const Device& d : ring.devices) {
    if (d.weight > 0) out[TierOf(d)].push_back(&d);
  }
  return out;
}

// One rebalance: keep what stays valid, shed what devices hold beyond their targets,
// then give every free partition replica to the device that wants it most among those
// that keep the partition's zones apart.
class Rebalancer {
 public:
  explicit Rebalancer(RingData& ring)
      : ring_(ring), parts_(1u << ring.part_power), replicas_(ring.replicas) {
    target_ = TargetCounts(ring);
    int tier_index = 0;
    for (const auto& [tier, devices] : ActiveByTier(ring)) {
      for (const Device* d : devices) {
        active_.push_back(d->id);
        tier_[d->id] = tier_index;
        count_[d->id] = 0;
      }
      ++tier_index;
    }
    limit_ = tier_index == 0 ? 0 : TierLimit(replicas_, tier_index);
    slot_.assign(replicas_, std::vector<int32_t>(parts_, -1));
  }

  absl::StatusOr<RebalanceResult> Run() {
    if (static_cast<int>(active_.size()) < replicas_) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the ring needs at least ", replicas_, " devices with weight, it has ", active_.size()));
    }
    Keep();
    MoveToWanting();
    Shed();
    Assign();
    return Finish();
  }

 private:
  bool Holds(uint32_t p, int id) const {
    for (int r = 0; r < replicas_; ++r) {
      if (slot_[r][p] == id) return true;
    }
    return false;
  }
  // Replicas of `p` in `tier`, not counting replica `skip`.
  int TierUse(uint32_t p, int tier, int skip) const {
    int n = 0;
    for (int r = 0; r < replicas_; ++r) {
      if (r != skip && slot_[r][p] >= 0 && tier_.at(slot_[r][p]) == tier) ++n;
    }
    return n;
  }
  bool Fits(uint32_t p, int r, int id) const {
    return !Holds(p, id) && TierUse(p, tier_.at(id), r) < limit_;
  }
  void Put(uint32_t p, int r, int id) {
    slot_[r][p] = id;
    ++count_[id];
  }

  void Keep() {
    const auto& old = ring_.assignment;
    if (old.size() != static_cast<size_t>(replicas_) || old[0].size() != parts_) return;
    for (uint32_t p = 0; p < parts_; ++p) {
      for (int r = 0; r < replicas_; ++r) {
        const int id = old[r][p];
        if (tier_.contains(id) && Fits(p, r, id)) Put(p, r, id);
      }
    }
  }

  // Moves replicas off devices above their targets straight to a device below its target
  // that may hold them (the most wanting one), as long as there is one.
  void MoveToWanting() {
    for (uint32_t p = 0; p < parts_; ++p) {
      for (int r = 0; r < replicas_; ++r) {
        const int id = slot_[r][p];
        if (id < 0 || count_[id] <= target_[id]) continue;
        const int to = Best(p, r, /*keep_zones_apart=*/true);
        if (to < 0 || count_[to] >= target_[to]) continue;
        --count_[id];
        Put(p, r, to);
      }
    }
  }
  // Frees what devices still hold beyond their targets, for Assign to place.
  void Shed() {
    for (uint32_t p = 0; p < parts_; ++p) {
      for (int r = 0; r < replicas_; ++r) {
        const int id = slot_[r][p];
        if (id < 0 || count_[id] <= target_[id]) continue;
        slot_[r][p] = -1;
        --count_[id];
      }
    }
  }

  void Assign() {
    for (uint32_t p = 0; p < parts_; ++p) {
      for (int r = 0; r < replicas_; ++r) {
        if (slot_[r][p] >= 0) continue;
        int best = Best(p, r, /*keep_zones_apart=*/true);
        if (best < 0) best = Best(p, r, false);
        Put(p, r, best);
      }
    }
  }
  int Best(uint32_t p, int r, bool keep_zones_apart) const {
    int best = -1;
    for (int id : active_) {
      if (keep_zones_apart ? !Fits(p, r, id) : Holds(p, id)) continue;
      if (best < 0 || target_.at(id) - count_.at(id) > target_.at(best) - count_.at(best)) {
        best = id;
      }
    }
    return best;
  }

  RebalanceResult Finish() {
    RebalanceResult result;
    const auto& old = ring_.assignment;
    const bool had = old.size() == static_cast<size_t>(replicas_) && old[0].size() == parts_;
    for (int r = 0; r < replicas_; ++r) {
      for (uint32_t p = 0; p < parts_; ++p) {
        if (!had || old[r][p] != slot_[r][p]) ++result.moved;
      }
    }
    for (int id : active_) {
      const double want = std::max(1, target_[id]);
      result.max_deviation =
          std::max(result.max_deviation, 100.0 * std::abs(count_[id] - target_[id]) / want);
    }
    ring_.assignment = std::move(slot_);
    ring_.devices.erase(std::remove_if(ring_.devices.begin(), ring_.devices.end(),
                                       [](const Device& d) { return d.weight <= 0; }),
                        ring_.devices.end());
    ++ring_.version;
    return result;
  }

  RingData& ring_;
  const uint32_t parts_;
  const int replicas_;
  int limit_ = 0;
  std::vector<int> active_;  // device ids with weight
  absl::flat_hash_map<int, int> tier_, count_, target_;
  std::vector<std::vector<int32_t>> slot_;
};

}  // namespace

absl::StatusOr<RingData> NewRing(int part_power, int replicas, std::string hash_prefix) {
  RingData ring;
  ring.part_power = part_power;
  ring.replicas = replicas;
  ring.hash_prefix = std::move(hash_prefix);
  absl::StatusOr<Ring> checked = Ring::Create(ring);
  if (!checked.ok()) return checked.status();
  return ring;
}

absl::StatusOr<int> AddDevice(RingData& ring, Device device) {
  if (device.weight < 0) return absl::InvalidArgumentError("the weight must not be negative");
  if (device.device.empty() || device.ip.empty() || device.port <= 0) {
    return absl::InvalidArgumentError("a device needs an ip, a port and a device name");
  }
  int next = 0;
  for (const Device& d : ring.devices) {
    if (d.ip == device.ip && d.port == device.port && d.device == device.device) {
      return absl::InvalidArgumentError(absl::StrCat("the ring already has ", d.ip, ":", d.port,
                                                     "/", d.device, " (id ", d.id, ")"));
    }
    next = std::max(next, d.id + 1);
  }
  device.id = next;
  ring.devices.push_back(std::move(device));
  return next;
}

absl::Status SetWeight(RingData& ring, int id, double weight) {
  if (weight < 0) return absl::InvalidArgumentError("the weight must not be negative");
  for (Device& d : ring.devices) {
    if (d.id == id) {
      d.weight = weight;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(absl::StrCat("no device ", id, " in the ring"));
}

absl::Status RemoveDevice(RingData& ring, int id) { return SetWeight(ring, id, 0); }

absl::flat_hash_map<int, int> TargetCounts(const RingData& ring) {
  const auto tiers = ActiveByTier(ring);
  const double parts = std::ldexp(1.0, ring.part_power);
  const int limit = tiers.empty() ? 0 : TierLimit(ring.replicas, tiers.size());
  std::vector<double> weights, caps;
  for (const auto& [tier, devices] : tiers) {
    double w = 0;
    for (const Device* d : devices) w += d->weight;
    weights.push_back(w);
    caps.push_back(parts * std::min<double>(limit, devices.size()));
  }
  std::vector<int> tier_counts = Round(Fill(weights, caps, parts * ring.replicas));
  absl::flat_hash_map<int, int> out;
  size_t t = 0;
  for (const auto& [tier, devices] : tiers) {
    std::vector<double> w, c(devices.size(), parts);
    for (const Device* d : devices) w.push_back(d->weight);
    std::vector<int> counts = Round(Fill(w, c, tier_counts[t++]));
    for (size_t i = 0; i < devices.size(); ++i) out[devices[i]->id] = counts[i];
  }
  return out;
}

}  // namespace gureum::object::ring

namespace gureum::object::ring {

absl::StatusOr<RebalanceResult> Rebalance(RingData& ring) { return Rebalancer(ring).Run(); }

}  // namespace gureum::object::ring
