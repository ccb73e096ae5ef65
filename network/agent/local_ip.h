// The default VXLAN endpoint address: the source address this host uses toward the
// network server (a UDP "connect", no packet sent), as [network_agent] local_ip's
// fallback.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gureum::network_agent {

// `target` is "host:port" (a name or an IPv4 address). NotFound when no route leads there.
absl::StatusOr<std::string> LocalAddressToward(const std::string& target);

}  // namespace gureum::network_agent
