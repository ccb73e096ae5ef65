// /v2.1/flavors (+os-extra_specs, os-flavor-access).
#include "absl/strings/numbers.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

// Nova's flavor create schema (additionalProperties: false at both levels; description
// only from 2.55, past this API's microversions).
absl::StatusOr<FlavorRecord> DecodeFlavor(const http::Request& req) {
  GUREUM_ASSIGN_OR_RETURN(json body, req.JsonBody());
  GUREUM_RETURN_IF_ERROR(CheckKnownFields(body, "", {"flavor"}));
  GUREUM_ASSIGN_OR_RETURN(json f, BodyEntity(body, "flavor"));
  GUREUM_RETURN_IF_ERROR(
      CheckKnownFields(f, "flavor",
                       {"name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap",
                        "rxtx_factor", "os-flavor-access:is_public"}));
  FlavorRecord out;
  GUREUM_ASSIGN_OR_RETURN(auto name, OptString(f, "name"));
  if (!name)
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute flavor. 'name' is a required property");
  out.name = *name;
  GUREUM_ASSIGN_OR_RETURN(auto id, OptString(f, "id"));
  if (!id && f.contains("id") && f["id"].is_number_integer())
    id = std::to_string(f["id"].get<int64_t>());
  out.id = id.value_or("");
  GUREUM_ASSIGN_OR_RETURN(auto ram, OptInt(f, "ram"));
  GUREUM_ASSIGN_OR_RETURN(auto vcpus, OptInt(f, "vcpus"));
  GUREUM_ASSIGN_OR_RETURN(auto disk, OptInt(f, "disk"));
  for (const auto& [field, v] : {std::pair{"ram", ram}, {"vcpus", vcpus}, {"disk", disk}}) {
    if (!v)
      return absl::InvalidArgumentError(std::string("Invalid input for field/attribute flavor. '") +
                                        field + "' is a required property");
  }
  out.ram_mb = *ram;
  out.vcpus = static_cast<int>(*vcpus);
  out.disk_gb = *disk;
  if (f.contains("swap") && f["swap"].is_string() && f["swap"].get<std::string>().empty()) {
    out.swap_mb = 0;
  } else {
    GUREUM_ASSIGN_OR_RETURN(auto swap, OptInt(f, "swap"));
    out.swap_mb = swap.value_or(0);
  }
  GUREUM_ASSIGN_OR_RETURN(auto eph, OptInt(f, "OS-FLV-EXT-DATA:ephemeral"));
  out.ephemeral_gb = eph.value_or(0);
  if (f.contains("rxtx_factor") && f["rxtx_factor"].is_number()) out.rxtx_factor = f["rxtx_factor"];
  GUREUM_ASSIGN_OR_RETURN(auto pub, OptBool(f, "os-flavor-access:is_public"));
  out.is_public = pub.value_or(true);
  return out;
}

absl::Status ListFlavors(Call& call, bool detail) {
  FlavorFilter filter;
  if (auto v = call.req.Query("is_public")) {
    if (*v != "None" && *v != "none") {
      GUREUM_ASSIGN_OR_RETURN(bool b, ParseBool("is_public", *v));
      filter.is_public = b;
    }
  } else {
    filter.is_public = true;  // Nova: public only unless asked
    if (call.managers().policy().IsAdmin(call.rc)) filter.is_public.reset();
  }
  for (const char* q : {"minRam", "minDisk"}) {
    if (auto v = call.req.Query(q)) {
      int n = 0;
      if (!absl::SimpleAtoi(*v, &n))
        return absl::InvalidArgumentError(std::string("Invalid ") + q + " filter [" + *v + "]");
      (std::string(q) == "minRam" ? filter.min_ram : filter.min_disk) = n;
    }
  }
  GUREUM_ASSIGN_OR_RETURN(auto flavors, call.managers().flavors().ListFlavors(call.rc, filter));
  // Nova pages flavors by id marker.
  int limit = 0;
  if (auto v = call.req.Query("limit"); v && (!absl::SimpleAtoi(*v, &limit) || limit < 0)) {
    return absl::InvalidArgumentError("limit param must be an integer >= 0");
  }
  auto begin = flavors.begin();
  if (auto marker = call.req.Query("marker")) {
    begin = std::find_if(flavors.begin(), flavors.end(),
                         [&](const FlavorRecord& f) { return f.id == *marker; });
    if (begin == flavors.end())
      return absl::InvalidArgumentError("marker [" + *marker + "] not found");
    ++begin;
  }
  json list = json::array();
  for (auto it = begin;
       it != flavors.end() && (limit == 0 || static_cast<int>(list.size()) < limit); ++it) {
    json f = FlavorJson(call, *it);
    if (!detail) f = {{"id", f["id"]}, {"name", f["name"]}, {"links", f["links"]}};
    list.push_back(f);
  }
  call.res.Json(200, {{"flavors", list}});
  return absl::OkStatus();
}

json AccessJson(const std::string& flavor, const std::vector<std::string>& projects) {
  json out = json::array();
  for (const std::string& p : projects) out.push_back({{"flavor_id", flavor}, {"tenant_id", p}});
  return out;
}

// GET /v2.1/flavors/{id}
absl::Status ShowFlavor(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f,
                          call.managers().flavors().GetFlavor(call.rc, call.Param("id")));
  call.res.Json(200, {{"flavor", FlavorJson(call, f)}});
  return absl::OkStatus();
}

// POST /v2.1/flavors
absl::Status CreateFlavor(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord in, DecodeFlavor(call.req));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, call.managers().flavors().CreateFlavor(call.rc, in));
  call.res.Json(200, {{"flavor", FlavorJson(call, f)}});
  return absl::OkStatus();
}

// DELETE /v2.1/flavors/{id}
absl::Status DeleteFlavor(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers().flavors().DeleteFlavor(call.rc, call.Param("id")));
  call.res.Empty(202);
  return absl::OkStatus();
}

// GET /v2.1/flavors/{id}/os-extra_specs
absl::Status ListExtraSpecs(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f,
                          call.managers().flavors().GetFlavor(call.rc, call.Param("id")));
  call.res.Json(200, {{"extra_specs", f.extra_specs}});
  return absl::OkStatus();
}

// POST /v2.1/flavors/{id}/os-extra_specs
absl::Status CreateExtraSpecs(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json specs, BodyEntity(call.req, "extra_specs"));
  StringMap m;
  for (auto& [k, v] : specs.items()) {
    if (!v.is_string())
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute extra_specs: values must be strings");
    m[k] = v.get<std::string>();
  }
  GUREUM_ASSIGN_OR_RETURN(StringMap all,
                          call.managers().flavors().SetExtraSpecs(call.rc, call.Param("id"), m));
  call.res.Json(200, {{"extra_specs", m}});
  return absl::OkStatus();
}

// GET /v2.1/flavors/{id}/os-extra_specs/{key}
absl::Status ShowExtraSpec(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f,
                          call.managers().flavors().GetFlavor(call.rc, call.Param("id")));
  auto it = f.extra_specs.find(call.Param("key"));
  if (it == f.extra_specs.end()) {
    return absl::NotFoundError("Flavor " + f.id + " has no extra specs with key " +
                               call.Param("key") + ".");
  }
  call.res.Json(200, {{it->first, it->second}});
  return absl::OkStatus();
}

// PUT /v2.1/flavors/{id}/os-extra_specs/{key}
absl::Status UpdateExtraSpec(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  const std::string& key = call.Param("key");
  if (!body.is_object() || body.size() != 1 || !body.contains(key) || !body[key].is_string()) {
    return absl::InvalidArgumentError("Request body and URI mismatch");
  }
  GUREUM_RETURN_IF_ERROR(call.managers()
                             .flavors()
                             .SetExtraSpecs(call.rc, call.Param("id"), {{key, body[key]}})
                             .status());
  call.res.Json(200, body);
  return absl::OkStatus();
}

// DELETE /v2.1/flavors/{id}/os-extra_specs/{key}
absl::Status DeleteExtraSpec(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.managers().flavors().DeleteExtraSpec(call.rc, call.Param("id"), call.Param("key")));
  call.res.Empty(200);
  return absl::OkStatus();
}

// GET /v2.1/flavors/{id}/os-flavor-access
absl::Status ListFlavorAccess(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto projects,
                          call.managers().flavors().FlavorAccess(call.rc, call.Param("id")));
  call.res.Json(200, {{"flavor_access", AccessJson(call.Param("id"), projects)}});
  return absl::OkStatus();
}

// POST /v2.1/flavors/{id}/action
absl::Status FlavorAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  const std::string& id = call.Param("id");
  const bool add = body.contains("addTenantAccess");
  const char* key = add ? "addTenantAccess" : "removeTenantAccess";
  GUREUM_ASSIGN_OR_RETURN(json arg, BodyEntity(call.req, key));
  GUREUM_ASSIGN_OR_RETURN(auto tenant, OptString(arg, "tenant"));
  if (!tenant || tenant->empty())
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute tenant. 'tenant' is a required property");
  GUREUM_RETURN_IF_ERROR(add ? call.managers().flavors().AddFlavorAccess(call.rc, id, *tenant)
                             : call.managers().flavors().RemoveFlavorAccess(call.rc, id, *tenant));
  GUREUM_ASSIGN_OR_RETURN(auto projects, call.managers().flavors().FlavorAccess(call.rc, id));
  call.res.Json(200, {{"flavor_access", AccessJson(id, projects)}});
  return absl::OkStatus();
}

}  // namespace

void RegisterFlavorRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/flavors", [](Call& call) { return ListFlavors(call, false); });
  routes.Add("GET", "/v2.1/flavors/detail", [](Call& call) { return ListFlavors(call, true); });
  routes.Add("GET", "/v2.1/flavors/{id}", ShowFlavor);
  routes.Add("POST", "/v2.1/flavors", CreateFlavor);
  routes.Add("DELETE", "/v2.1/flavors/{id}", DeleteFlavor);
  routes.Add("GET", "/v2.1/flavors/{id}/os-extra_specs", ListExtraSpecs);
  routes.Add("POST", "/v2.1/flavors/{id}/os-extra_specs", CreateExtraSpecs);
  routes.Add("GET", "/v2.1/flavors/{id}/os-extra_specs/{key}", ShowExtraSpec);
  routes.Add("PUT", "/v2.1/flavors/{id}/os-extra_specs/{key}", UpdateExtraSpec);
  routes.Add("DELETE", "/v2.1/flavors/{id}/os-extra_specs/{key}", DeleteExtraSpec);
  routes.Add("GET", "/v2.1/flavors/{id}/os-flavor-access", ListFlavorAccess);
  routes.Add("POST", "/v2.1/flavors/{id}/action", FlavorAction);
}

}  // namespace gureum::compute
