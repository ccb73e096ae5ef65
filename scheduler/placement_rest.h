// A small read-only Placement-style REST API (port 8778) over PlacementManager, in the
// JSON shapes of OpenStack Placement, for operators and tools:
//
//   GET /                                        version document (1.0)
//   GET /resource_providers[?name=]              {"resource_providers": [...]}
//   GET /resource_providers/{uuid}               one provider
//   GET /resource_providers/{uuid}/inventories   {"inventories": {...}, generation}
//   GET /resource_providers/{uuid}/usages        {"usages": {...}, generation}
//   GET /resource_providers/{uuid}/traits        {"traits": [...], generation}
//   GET /allocations/{consumer_uuid}             {"allocations": {rp: {...}}, ...}
//
// X-Auth-Token is verified by `authenticate` (ServiceAuth in main) and the placement
// policy applies (admin or service). Writes stay on the gRPC API.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "scheduler/placement_manager.h"

namespace gureum::scheduler {

class PlacementRest {
 public:
  using Authenticate = http::TokenVerifier;
  PlacementRest(PlacementManager& manager, Authenticate authenticate)
      : manager_(manager), authenticate_(std::move(authenticate)) {}

  void Register(http::Server& server);

 private:
  // GET of resource providers and their inventories, usages and traits.
  void RegisterProviderRoutes(http::RestApi& api);
  // 405 to every write method on the routes above.
  static void RegisterWriteRefusals(http::Server& server);

  PlacementManager& manager_;
  Authenticate authenticate_;
};

}  // namespace gureum::scheduler
