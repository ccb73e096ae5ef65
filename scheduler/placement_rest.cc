#include "scheduler/placement_rest.h"

#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "common/status/status.h"

namespace gureum::scheduler {
namespace {

using nlohmann::json;

json Links(const std::string& uuid) {
  std::string self = "/resource_providers/" + uuid;
  return json::array({{{"rel", "self"}, {"href", self}},
                      {{"rel", "inventories"}, {"href", self + "/inventories"}},
                      {{"rel", "usages"}, {"href", self + "/usages"}},
                      {{"rel", "traits"}, {"href", self + "/traits"}}});
}

json ProviderJson(const Provider& p) {
  return {{"uuid", p.uuid},
          {"name", p.name},
          {"generation", p.generation},
          {"parent_provider_uuid", nullptr},
          {"root_provider_uuid", p.uuid},
          {"links", Links(p.uuid)}};
}

json InventoriesJson(const Provider& p) {
  json inv = json::object();
  for (const auto& [rc, i] : p.inventories) {
    inv[rc] = {{"total", i.total},         {"reserved", i.reserved},
               {"min_unit", i.min_unit},   {"max_unit", i.max_unit},
               {"step_size", i.step_size}, {"allocation_ratio", i.allocation_ratio}};
  }
  return json{{"inventories", inv}, {"resource_provider_generation", p.generation}};
}

json UsagesJson(const Provider& p) {
  json usages = json::object();
  for (const auto& [rc, n] : p.usages) usages[rc] = n;
  return json{{"usages", usages}, {"resource_provider_generation", p.generation}};
}

json TraitsJson(const Provider& p) {
  return json{{"traits", p.traits}, {"resource_provider_generation", p.generation}};
}

json AllocationsJson(const ConsumerAllocations& a) {
  json allocations = json::object();
  for (const ProviderAllocation& pa : a.allocations) {
    json resources = json::object();
    for (const auto& [rc, n] : pa.resources) resources[rc] = n;
    allocations[pa.provider_uuid] = {{"resources", resources}};
  }
  json out = {{"allocations", allocations}};
  if (a.generation > 0) {
    out["project_id"] = a.project_id;
    out["user_id"] = a.user_id;
    out["consumer_generation"] = a.generation;
  }
  return out;
}

}  // namespace

void PlacementRest::Register(http::Server& server) {
  http::RestApi api(server, {.verify = authenticate_});
  api.Public("GET", "/", [](http::Request&, http::Response& res) {
    res.Json(200, {{"versions", json::array({{{"id", "v1.0"},
                                              {"min_version", "1.0"},
                                              {"max_version", "1.0"},
                                              {"status", "CURRENT"},
                                              {"links", json::array()}}})}});
    return absl::OkStatus();
  });
  RegisterProviderRoutes(api);
  api.Authed("GET", "/allocations/{consumer}", [this](http::RestCall& call) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(ConsumerAllocations a,
                            manager_.GetAllocations(call.caller, call.Param("consumer")));
    call.res.Json(200, AllocationsJson(a));
    return absl::OkStatus();
  });
  RegisterWriteRefusals(server);
}

void PlacementRest::RegisterProviderRoutes(http::RestApi& api) {
  api.Authed("GET", "/resource_providers", [this](http::RestCall& call) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Provider> list,
        manager_.ListProviders(call.caller, call.req.Query("name").value_or("")));
    json out = json::array();
    for (const Provider& p : list) out.push_back(ProviderJson(p));
    call.res.Json(200, {{"resource_providers", out}});
    return absl::OkStatus();
  });
  auto get = [this](json (*encode)(const Provider&)) {
    return [this, encode](http::RestCall& call) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(Provider p,
                              manager_.GetProvider(call.caller, call.Param("uuid"), ""));
      call.res.Json(200, encode(p));
      return absl::OkStatus();
    };
  };
  api.Authed("GET", "/resource_providers/{uuid}", get(ProviderJson));
  api.Authed("GET", "/resource_providers/{uuid}/inventories", get(InventoriesJson));
  api.Authed("GET", "/resource_providers/{uuid}/usages", get(UsagesJson));
  api.Authed("GET", "/resource_providers/{uuid}/traits", get(TraitsJson));
}

// The API is read-only, but the write methods get routes of their own that answer 405:
// a method without a route is answered by the server only after it has drained the
// body, so a POST declaring a huge Content-Length and sending nothing waited out the
// body deadline; through a route, an over-limit Content-Length is a 413 at once (as on
// every other service) and a body within the limit is read and then refused.
void PlacementRest::RegisterWriteRefusals(http::Server& server) {
  for (const char* pattern :
       {"/", "/resource_providers", "/resource_providers/{uuid}",
        "/resource_providers/{uuid}/inventories", "/resource_providers/{uuid}/usages",
        "/resource_providers/{uuid}/traits", "/allocations/{consumer}"}) {
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
      server.Route(method, pattern, [](http::Request&, http::Response& res) {
        res.Error(WithHttpStatus(absl::UnimplementedError("Method not allowed."), 405));
        res.SetHeader("Allow", "GET, HEAD");
      });
    }
  }
}

}  // namespace gureum::scheduler
