// NetworkManagers: the managers wired to each other (network_managers.h).
#include "network/server/network_managers.h"

#include <utility>

namespace gureum::network {

NetworkManagers::NetworkManagers(NetworkStore& store, amqp::Bus* bus, const Clock& clock,
                                 IdGenerator& ids, NetworkOptions options, amqp::Notifier* notifier)
    : options_(std::move(options)),
      access_(options_.enforcer),
      deps_{store, bus, clock, ids, options_, access_, notifier},
      core_(deps_),
      quotas_(deps_),
      security_groups_(deps_, core_),
      ports_(deps_, core_, security_groups_),
      routers_(deps_, core_, ports_),
      agents_(deps_, core_, ports_, routers_),
      networks_(deps_, core_, agents_),
      floating_ips_(deps_, core_, ports_),
      compute_ports_(deps_, core_, ports_, security_groups_) {}

}  // namespace gureum::network
