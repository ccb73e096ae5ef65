// Security groups as nftables rules, generated as text for one atomic `nft -f`.
//
// Bridged traffic has no connection tracking in the bridge family on kernels without
// nf_conntrack_bridge, so the work is split in two tables of the host's namespace:
//
//  - `table bridge gureum`: per secured port, keyed on the tap's name (the rule exists
//    before the tap does): anti-spoofing on what the VM sends (source MAC, ARP sender,
//    IPv4/IPv6 source must be the port's or an allowed address pair's; DHCP client
//    requests allowed, DHCP server replies from the VM dropped), and a packet mark naming
//    the input port (low 16 bits) and the output port (high 16 bits). Admin-down ports
//    drop everything.
//  - `table inet gureum`: the stateful security group rules, on the IPv4/IPv6 hooks that
//    bridged packets pass through br_netfilter (net.bridge.bridge-nf-call-iptables = 1):
//    conntrack zone per network (overlapping tenant addresses stay apart), then for each
//    marked port an egress chain (from the VM) and an ingress chain (to the VM), shared
//    by the ports with the same security groups (rules are written once per set):
//    established/related pass, invalid drop, DHCP and IPv6 neighbour discovery pass, the
//    group rules (protocol, port range or ICMP type/code, remote prefix, remote group as
//    a named set of member addresses) pass, everything else drops.
//
// Ports with port security off get no chains: everything passes. The text is
// deterministic (sorted), so comparing it with what was applied last tells whether to
// apply again.
#pragma once

#include <string>
#include <vector>

#include "network.pb.h"

namespace gureum::network_agent {

namespace pb = ::gureum::network::v1;

inline constexpr char kFirewallTable[] = "gureum";

// The two table definitions for `state` ("" when no port needs filtering and no network
// needs a zone). `warnings` gets one line per rule that cannot be expressed (skipped).
std::string FirewallRules(const pb::HostState& state, std::vector<std::string>* warnings);

// The whole `nft -f` input that replaces both tables in one transaction (or deletes them
// when `rules` is empty).
std::string FirewallTransaction(const std::string& rules);

// Conntrack zone of a network (stable across restarts and other networks coming and
// going, so tracked connections survive a re-apply).
int ConntrackZone(const std::string& network_id);

// Drops addresses and prefixes contained in another element, so nftables interval sets
// get no overlapping elements. Elements that are not an address or CIDR are dropped.
std::vector<std::string> MergePrefixes(const std::vector<std::string>& addresses);
// 4, 6, or 0 when `address` (optionally /len) is neither.
int AddressFamily(const std::string& address);

}  // namespace gureum::network_agent
