// gRPC implementations of compute-api's outbound interfaces.
#pragma once

#include <memory>
#include <string>

#include "compute/api/network_lookup.h"

namespace gureum::compute {

// gureum-network's gRPC API at `target`, called with the user's token.
std::unique_ptr<NetworkLookup> NewGrpcNetworkLookup(const std::string& target);

}  // namespace gureum::compute
