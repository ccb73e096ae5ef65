// Pure address arithmetic for gureum-network's IPAM: parsing and formatting IPv4/IPv6
// addresses and CIDRs, containment and overlap, a subnet's default gateway and allocation
// pools, the n-th address of a set of pools, and MAC addresses. No I/O, no state: the
// store decides which candidate is free (a UNIQUE (subnet_id, ip_address) constraint), this
// file only says what the candidates are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gureum::network {

using u128 = unsigned __int128;

struct Ip {
  int version = 4;  // 4 or 6
  u128 value = 0;
  bool operator==(const Ip& o) const { return version == o.version && value == o.value; }
  bool operator<(const Ip& o) const {
    return version != o.version ? version < o.version : value < o.value;
  }
};

struct Cidr {
  Ip network;      // host bits zero
  int prefix = 0;  // 0..32 or 0..128
  int bits() const { return network.version == 4 ? 32 : 128; }
  Ip first() const { return network; }
  Ip last() const;  // the broadcast address for IPv4
};

struct IpRange {
  Ip start;
  Ip end;  // inclusive
};

// "10.0.0.5" / "fd00::1". InvalidArgument naming the text otherwise.
absl::StatusOr<Ip> ParseIp(const std::string& text);
std::string FormatIp(const Ip& ip);

// "10.0.0.0/24". Host bits set ("10.0.0.5/24") are refused, as Neutron does, with the
// CIDR that was probably meant in the message.
absl::StatusOr<Cidr> ParseCidr(const std::string& text);
// Accepts an address ("10.0.0.5" = /32) or a CIDR with host bits (normalized): for
// remote_ip_prefix and allowed address pairs.
absl::StatusOr<Cidr> ParsePrefix(const std::string& text);
std::string FormatCidr(const Cidr& cidr);

bool Contains(const Cidr& cidr, const Ip& ip);
bool Overlaps(const Cidr& a, const Cidr& b);

// The first usable address (network + 1).
Ip DefaultGateway(const Cidr& cidr);

// The whole CIDR minus the network address, the IPv4 broadcast address and `gateway`
// (if inside). Empty when nothing is left (e.g. a /31 or /32).
std::vector<IpRange> DefaultPools(const Cidr& cidr, const Ip* gateway);

// Checks user-given pools: inside the CIDR, start <= end, same version, not overlapping
// each other, not holding the gateway or (IPv4) the network/broadcast address.
absl::Status ValidatePools(const Cidr& cidr, const std::vector<IpRange>& pools, const Ip* gateway);

// Number of addresses in `pools` (saturating at 2^64 - 1, enough for picking offsets).
uint64_t PoolSize(const std::vector<IpRange>& pools);
// The address at `offset` (0-based, < PoolSize) counting through the pools in order.
Ip NthAddress(const std::vector<IpRange>& pools, uint64_t offset);
bool InPools(const std::vector<IpRange>& pools, const Ip& ip);

// "fa:16:3e:" + three random bytes (Neutron's base_mac), from the given 24 bits.
std::string MacFromBits(uint32_t bits24);
// Accepts "aa:bb:cc:dd:ee:ff" (any case) that is unicast; returns it lower-cased.
absl::StatusOr<std::string> NormalizeMac(const std::string& text);

}  // namespace gureum::network
