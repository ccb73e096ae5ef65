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
#include "common/http/server.h"
#include "scheduler/placement_manager.h"

namespace gureum::scheduler {

class PlacementRest {
 public:
  using Authenticate = std::function<absl::StatusOr<Caller>(const std::string& token)>;
  PlacementRest(PlacementManager& manager, Authenticate authenticate)
      : manager_(manager), authenticate_(std::move(authenticate)) {}

  void Register(http::Server& server);

 private:
  // Runs `fn` with the authenticated caller, or answers 401.
  void WithCaller(http::Request& req, http::Response& res,
                  const std::function<void(const Caller&)>& fn);

  PlacementManager& manager_;
  Authenticate authenticate_;
};

}  // namespace gureum::scheduler
