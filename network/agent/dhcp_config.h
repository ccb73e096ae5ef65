// dnsmasq for one network: the command line (static allocation only, one dhcp-range per
// IPv4 subnet with DHCP enabled), the hosts file (MAC -> address and name, from the
// ports) and the options file (router, DNS servers, MTU = option 26, host routes as
// classless routes = option 121). dnsmasq re-reads both files on SIGHUP, so a port change
// costs a signal, not a restart; a new subnet changes the command line and restarts it.
#pragma once

#include <string>
#include <vector>

#include "network.pb.h"

namespace gureum::network_agent {

namespace pb = ::gureum::network::v1;

struct DhcpPaths {
  std::string dir;  // <state_path>/dhcp/<network_id>
  std::string pid() const { return dir + "/pid"; }
  std::string hosts() const { return dir + "/host"; }
  std::string opts() const { return dir + "/opts"; }
  std::string leases() const { return dir + "/leases"; }
  std::string log() const { return dir + "/dnsmasq.log"; }
};

std::string DhcpHostsFile(const pb::DhcpNetwork& dhcp);
std::string DhcpOptsFile(const pb::DhcpNetwork& dhcp, int mtu);
// dnsmasq's argv (without the `ip netns exec` in front); `interface` is the ns- leg;
// dnsmasq drops to `user`:`group` once its socket and files are open (dnsmasq_user.h).
std::vector<std::string> DnsmasqArgs(const pb::DhcpNetwork& dhcp, const DhcpPaths& paths,
                                     const std::string& interface, int lease_seconds,
                                     const std::string& binary, const std::string& user = "root",
                                     const std::string& group = "root");
// "255.255.255.0" for "10.0.0.0/24"; "" when `cidr` is not an IPv4 prefix.
std::string Ipv4Netmask(const std::string& cidr);

}  // namespace gureum::network_agent
