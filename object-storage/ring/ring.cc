#include "object-storage/ring/ring.h"

#include <algorithm>
#include <tuple>

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"

namespace gureum::object::ring {
namespace {

std::string Md5(absl::string_view in) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(in.data(), in.size(), out, &size, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

uint32_t TopBits(const std::string& digest) {
  const auto* b = reinterpret_cast<const unsigned char*>(digest.data());
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// A stable per-(partition, device) order: a mix of both, so the handoffs of different
// partitions start at different devices.
uint64_t Mix(uint32_t part, int id) {
  uint64_t x = (uint64_t{part} << 32) ^ static_cast<uint32_t>(id);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

struct Used {
  std::vector<int> regions;
  std::vector<std::pair<int, int>> zones;
  std::vector<std::pair<std::string, int>> servers;

  void Add(const Device& d) {
    regions.push_back(d.region);
    zones.emplace_back(d.region, d.zone);
    servers.emplace_back(d.ip, d.port);
  }
  // 0: new region, 1: new zone, 2: new server, 3: none of these.
  int Level(const Device& d) const {
    auto has = [](const auto& v, const auto& x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };
    if (!has(regions, d.region)) return 0;
    if (!has(zones, std::make_pair(d.region, d.zone))) return 1;
    if (!has(servers, std::make_pair(d.ip, d.port))) return 2;
    return 3;
  }
};

}  // namespace

std::string RingPath(absl::string_view account, absl::string_view container,
                     absl::string_view object) {
  std::string path = absl::StrCat("/", account);
  if (!container.empty()) absl::StrAppend(&path, "/", container);
  if (!object.empty()) absl::StrAppend(&path, "/", object);
  return path;
}

Ring::Ring(RingData data) : data_(std::move(data)) {
  for (size_t i = 0; i < data_.devices.size(); ++i) index_[data_.devices[i].id] = i;
}

absl::StatusOr<Ring> Ring::Create(RingData data) {
  if (data.part_power < 0 || data.part_power > 24) {
    return absl::InvalidArgumentError("part_power must be between 0 and 24");
  }
  if (data.replicas < 1) return absl::InvalidArgumentError("replicas must be at least 1");
  Ring ring(std::move(data));
  const RingData& d = ring.data_;
  if (ring.index_.size() != d.devices.size()) {
    return absl::InvalidArgumentError("two devices have the same id");
  }
  if (d.assignment.empty()) return ring;
  if (d.assignment.size() != static_cast<size_t>(d.replicas)) {
    return absl::InvalidArgumentError("the assignment does not have one row per replica");
  }
  for (const auto& row : d.assignment) {
    if (row.size() != ring.partition_count()) {
      return absl::InvalidArgumentError("an assignment row does not have 2^part_power entries");
    }
    for (int32_t id : row) {
      if (!ring.index_.contains(id)) {
        return absl::InvalidArgumentError(
            absl::StrCat("the assignment names device ", id, ", which the ring does not have"));
      }
    }
  }
  for (uint32_t p = 0; p < ring.partition_count(); ++p) {
    for (int r = 0; r < d.replicas; ++r) {
      for (int s = 0; s < r; ++s) {
        if (d.assignment[r][p] == d.assignment[s][p]) {
          return absl::InvalidArgumentError(
              absl::StrCat("partition ", p, " has two replicas on one device"));
        }
      }
    }
  }
  return ring;
}

uint32_t Ring::Partition(absl::string_view account, absl::string_view container,
                         absl::string_view object) const {
  if (data_.part_power == 0) return 0;
  const std::string digest =
      Md5(absl::StrCat(data_.hash_prefix, RingPath(account, container, object)));
  return TopBits(digest) >> (32 - data_.part_power);
}

const Device* Ring::FindDevice(int id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &data_.devices[it->second];
}

std::vector<const Device*> Ring::Primaries(uint32_t part) const {
  std::vector<const Device*> out;
  for (const auto& row : data_.assignment) out.push_back(FindDevice(row.at(part)));
  return out;
}

std::vector<const Device*> Ring::Handoffs(uint32_t part) const {
  const std::vector<const Device*> primaries = Primaries(part);
  Used used;
  for (const Device* d : primaries) used.Add(*d);
  std::vector<const Device*> left;
  for (const Device& d : data_.devices) {
    if (d.weight <= 0) continue;
    if (std::find(primaries.begin(), primaries.end(), &d) != primaries.end()) continue;
    left.push_back(&d);
  }
  std::vector<const Device*> out;
  while (!left.empty()) {
    auto best = std::min_element(left.begin(), left.end(), [&](const Device* a, const Device* b) {
      return std::make_tuple(used.Level(*a), Mix(part, a->id)) <
             std::make_tuple(used.Level(*b), Mix(part, b->id));
    });
    used.Add(**best);
    out.push_back(*best);
    left.erase(best);
  }
  return out;
}

}  // namespace gureum::object::ring
