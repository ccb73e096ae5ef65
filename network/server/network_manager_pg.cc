// NetworkManager over a connection pool: the manager with a PgNetworkStore of its own, for
// tests/bench/network_bench.cc, which builds it that way. It goes when the bench builds its
// store itself (the manager proper knows only NetworkStore).
#include "network/server/network_manager.h"
#include "network/server/pg_network_store.h"

namespace gureum::network {

NetworkManager::NetworkManager(db::ConnectionPool& pool, amqp::Bus* bus, const Clock& clock,
                               IdGenerator& ids, NetworkOptions options)
    : NetworkManager(*new PgNetworkStore(pool), bus, clock, ids, std::move(options)) {
  owned_store_.reset(&store_);
}

NetworkManager::~NetworkManager() = default;

}  // namespace gureum::network
