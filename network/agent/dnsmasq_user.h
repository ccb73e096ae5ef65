// Which user dnsmasq runs as. dnsmasq binds its DHCP socket and opens its lease, pid and
// log files as root, then drops to [network_agent] dnsmasq_user (Neutron's dnsmasq drops
// to nobody too), keeping only the capabilities DHCP needs. After the drop it still
// re-reads the hosts and options files on every SIGHUP, so it must be able to reach
// them: every folder on the way to state_path has to be searchable by that user. When
// one is not (a 0700 home or temporary folder), dnsmasq stays root and the agent says
// why, once, at start; a DHCP server that stops answering after its first port change
// would be worse.
#pragma once

#include <string>

#include "network/agent/agent_options.h"

namespace gureum::network_agent {

struct DnsmasqUser {
  std::string user = "root";
  std::string group = "root";
  std::string warning;  // why the configured user is not used; "" when it is
};

// `configured` is the option's value ("root" or "" keeps root). `umask_bits` is the
// process's umask: folders and files the agent creates must stay readable to the user.
DnsmasqUser ResolveDnsmasqUser(const std::string& configured, const std::string& state_path,
                               unsigned umask_bits);

// Resolves options.dnsmasq_user against the filesystem and this process's umask, and
// stores the result in options (dnsmasq_user, dnsmasq_group); returns the warning.
std::string ApplyDnsmasqUser(AgentOptions& options);

}  // namespace gureum::network_agent
