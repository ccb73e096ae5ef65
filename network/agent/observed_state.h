// What is on the host now, as far as the agent's names go: links of the host namespace
// (kind, master, MTU, up, MAC, VXLAN/VLAN details), the static forwarding entries of the
// VXLAN devices, the network namespaces, the links/addresses/routes inside the qdhcp-
// and qrouter- namespaces, and the nftables tables. Read with ip/bridge/nft in JSON
// form through HostSystem, so tests feed it canned outputs.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "network/agent/host_system.h"

namespace gureum::network_agent {

struct Link {
  std::string name;
  std::string kind;    // bridge, vxlan, veth, vlan, "" (physical)
  std::string master;  // bridge it is enslaved to
  int mtu = 0;
  bool up = false;  // administratively (IFF_UP)
  std::string mac;
  // vxlan
  int vxlan_id = -1;
  std::string vxlan_local;
  int vxlan_port = 0;
  bool vxlan_learning = false;
  // vlan
  int vlan_id = -1;
  std::string parent;                  // vlan: the link it sits on
  std::vector<std::string> addresses;  // "ip/len", global scope only
};

struct Route {
  std::string destination;  // "default" or CIDR
  std::string gateway;
  std::string device;
};

struct NamespaceState {
  std::map<std::string, Link> links;
  std::vector<Route> routes;
};

struct FdbEntry {
  std::string mac;
  std::string dst;
  bool operator<(const FdbEntry& o) const { return mac != o.mac ? mac < o.mac : dst < o.dst; }
  bool operator==(const FdbEntry& o) const { return mac == o.mac && dst == o.dst; }
};

struct ObservedState {
  std::map<std::string, Link> links;              // host namespace
  std::map<std::string, std::set<FdbEntry>> fdb;  // vxlan device -> entries with dst
  std::set<std::string> namespaces;
  std::map<std::string, NamespaceState> inside;  // qdhcp-/qrouter- namespaces read
  std::set<std::string> nft_tables;              // the firewall's: "bridge gureum", "inet gureum"
};

// Parsers of the tools' JSON (exposed for tests). InvalidArgument on malformed output.
absl::StatusOr<std::map<std::string, Link>> ParseLinks(const std::string& ip_json);
absl::StatusOr<std::map<std::string, std::set<FdbEntry>>> ParseFdb(const std::string& bridge_json);
absl::StatusOr<std::vector<Route>> ParseRoutes(const std::string& ip_json);
std::set<std::string> ParseNamespaces(const std::string& ip_json);

// Reads the host namespace, then the inside of every existing namespace in `namespaces`
// (qdhcp-/qrouter- names the caller cares about).
absl::StatusOr<ObservedState> Observe(HostSystem& host, const std::set<std::string>& namespaces);

}  // namespace gureum::network_agent
