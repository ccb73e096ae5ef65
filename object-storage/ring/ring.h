// The ring: where object storage keeps each account, container and object. The name's MD5
// (with the cluster's hash prefix) picks one of 2^part_power partitions; the ring says which
// devices hold each partition's replicas (the primaries) and, when one of those is down,
// where the data goes instead (the handoffs). Built and rebalanced by ring_builder.h,
// stored by ring_file.h, read by every proxy and object server.
//
// Ring is immutable once created and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gureum::object::ring {

// One storage device: a directory `<root>/<device>` on the object server at ip:port.
struct Device {
  int id = -1;
  int region = 1;
  int zone = 1;
  std::string ip;
  int port = 0;
  std::string device;  // the directory name under the server's root
  double weight = 0;   // 0: being drained, gets no partitions at the next rebalance
};

// The ring as stored: what the builder changes and the file keeps.
struct RingData {
  uint64_t version = 0;  // counts rebalances; a reader reloads when it grows
  int part_power = 10;
  int replicas = 3;
  std::string hash_prefix;  // the cluster's secret salt; changing it moves everything
  std::vector<Device> devices;
  // assignment[replica][partition] = device id; empty until the first rebalance.
  std::vector<std::vector<int32_t>> assignment;
};

class Ring {
 public:
  // Checks that every assignment names a known device, that no partition has one device
  // twice and that the sizes match part_power and replicas; InvalidArgument otherwise.
  static absl::StatusOr<Ring> Create(RingData data);

  const RingData& data() const { return data_; }
  uint32_t partition_count() const { return 1u << data_.part_power; }

  // The partition of /account[/container[/object]]: the top part_power bits of
  // md5(hash_prefix + path).
  uint32_t Partition(absl::string_view account, absl::string_view container = "",
                     absl::string_view object = "") const;

  // The devices that hold `part`, replica 0 first. `part` must be < partition_count().
  std::vector<const Device*> Primaries(uint32_t part) const;

  // Every other device with weight, in the order a writer falls back to them: first those
  // in a region none of the devices chosen so far is in, then a new zone, then a new
  // server (ip:port), then the rest; ties in a stable order that differs per partition,
  // so the load of a failed device spreads.
  std::vector<const Device*> Handoffs(uint32_t part) const;

  const Device* FindDevice(int id) const;

 private:
  explicit Ring(RingData data);
  RingData data_;
  absl::flat_hash_map<int, size_t> index_;  // device id -> position in data_.devices
};

// The path hashed for a name, "/a", "/a/c" or "/a/c/o".
std::string RingPath(absl::string_view account, absl::string_view container,
                     absl::string_view object);

}  // namespace gureum::object::ring
