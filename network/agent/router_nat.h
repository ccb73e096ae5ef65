// A router namespace's NAT as nftables text (`table ip gureum_nat` inside
// qrouter-<id>): DNAT floating -> fixed for traffic arriving for a floating IP, SNAT
// fixed -> floating for what that VM sends out of the gateway leg, and with enable_snat
// SNAT to the gateway address for the rest of the internal subnets leaving by qg-.
#pragma once

#include <string>
#include <vector>

#include "network.pb.h"

namespace gureum::network_agent {

namespace pb = ::gureum::network::v1;

inline constexpr char kNatTable[] = "gureum_nat";

// "" when the router has nothing to translate. `qg` is the gateway leg's name ("" none),
// `gateway_address` its IPv4 address, `internal_cidrs` the IPv4 subnets of its qr- legs.
std::string RouterNatRules(const pb::HostRouter& router, const std::string& qg,
                           const std::string& gateway_address,
                           const std::vector<std::string>& internal_cidrs);
// The `nft -f` input that replaces the table in one transaction (deletes it when empty).
std::string RouterNatTransaction(const std::string& rules);

}  // namespace gureum::network_agent
