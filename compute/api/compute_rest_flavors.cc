// /v2.1/flavors (+os-extra_specs, os-flavor-access).
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

// Nova's flavor sort keys (taken, not applied: flavors are listed by id, as before).
const std::vector<std::string> kFlavorSortKeys = {
    "created_at",  "description", "disabled",   "ephemeral_gb", "flavorid",
    "id",          "is_public",   "memory_mb",  "name",         "root_gb",
    "rxtx_factor", "swap",        "updated_at", "vcpu_weight",  "vcpus"};

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
  http::JsonReader r(f, "flavor", /*open=*/true);  // CheckKnownFields did the closing
  r.String("name", &out.name, {.required = true});
  if (f.contains("id") && f["id"].is_number_integer()) {
    r.Known({"id"});
    out.id = std::to_string(f["id"].get<int64_t>());
  } else {
    r.String("id", &out.id, kNullable);
  }
  std::optional<int64_t> ram, vcpus, disk, swap, ephemeral;
  OptionalInt(r, f, "ram", &ram, INT64_MIN, INT64_MAX);
  OptionalInt(r, f, "vcpus", &vcpus);
  OptionalInt(r, f, "disk", &disk, INT64_MIN, INT64_MAX);
  for (const auto& [field, v] : {std::pair{"ram", &ram}, {"vcpus", &vcpus}, {"disk", &disk}}) {
    if (!*v) r.Fail(field, "it is required");  // unless a wrong value said so first
  }
  if (f.contains("swap") && f["swap"] == "") {
    r.Known({"swap"});  // novaclient's "no swap"
  } else {
    OptionalInt(r, f, "swap", &swap, INT64_MIN, INT64_MAX);
  }
  OptionalInt(r, f, "OS-FLV-EXT-DATA:ephemeral", &ephemeral, INT64_MIN, INT64_MAX);
  // A number; anything else is ignored, as before.
  if (f.contains("rxtx_factor") && f["rxtx_factor"].is_number()) out.rxtx_factor = f["rxtx_factor"];
  std::optional<bool> is_public;
  OptionalBool(r, f, "os-flavor-access:is_public", &is_public);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  out.ram_mb = *ram;
  out.vcpus = static_cast<int>(*vcpus);
  out.disk_gb = *disk;
  out.swap_mb = swap.value_or(0);
  out.ephemeral_gb = ephemeral.value_or(0);
  out.is_public = is_public.value_or(true);
  return out;
}

absl::Status ListFlavors(Call& call, bool detail) {
  FlavorFilter filter;
  if (auto v = call.req.Query("is_public")) {
    if (*v != "None" && *v != "none") {
      GUREUM_ASSIGN_OR_RETURN(bool b, http::ParseBool(*v, "is_public"));
      filter.is_public = b;
    }
  } else {
    filter.is_public = true;  // Nova: public (and accessible) only unless asked, admins too
  }
  GUREUM_ASSIGN_OR_RETURN(auto min_ram,
                          http::QueryInteger(call.req, "minRam", INT32_MIN, INT32_MAX));
  GUREUM_ASSIGN_OR_RETURN(auto min_disk,
                          http::QueryInteger(call.req, "minDisk", INT32_MIN, INT32_MAX));
  if (min_ram) filter.min_ram = static_cast<int>(*min_ram);
  if (min_disk) filter.min_disk = static_cast<int>(*min_disk);
  GUREUM_ASSIGN_OR_RETURN(auto flavors, call.managers().flavors().ListFlavors(call.rc, filter));
  // Nova pages flavors by id marker. sort_key/sort_dir are checked and the order stays by id.
  GUREUM_ASSIGN_OR_RETURN(
      http::PageRequest page,
      http::ReadPage(call.req, {.max_limit = INT32_MAX, .sort_keys = kFlavorSortKeys}));
  const int64_t limit = page.limit;
  auto begin = flavors.begin();
  if (!page.marker.empty()) {
    begin = std::find_if(flavors.begin(), flavors.end(),
                         [&](const FlavorRecord& f) { return f.id == page.marker; });
    if (begin == flavors.end())
      return absl::InvalidArgumentError("marker [" + page.marker + "] not found");
    ++begin;
  }
  json list = json::array();
  for (auto it = begin;
       it != flavors.end() && (limit == 0 || static_cast<int64_t>(list.size()) < limit); ++it) {
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
  http::JsonReader r(specs, "extra_specs", /*open=*/true);
  for (const auto& [k, v] : specs.items()) r.String(k.c_str(), &m[k]);
  GUREUM_RETURN_IF_ERROR(r.Finish());
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
  std::string tenant;
  http::JsonReader r(arg, key, /*open=*/true);
  r.String("tenant", &tenant, kNullable);
  if (tenant.empty()) r.Fail("tenant", "it is required");
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_RETURN_IF_ERROR(add ? call.managers().flavors().AddFlavorAccess(call.rc, id, tenant)
                             : call.managers().flavors().RemoveFlavorAccess(call.rc, id, tenant));
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
