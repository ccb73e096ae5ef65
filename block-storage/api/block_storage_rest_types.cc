// /v3/{project_id}/types: list, show, create, update, delete, default, extra_specs,
// os-volume-type-access and the addProjectAccess/removeProjectAccess actions.
#include "absl/strings/str_cat.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

absl::Status CreateType(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json t, Entity(call.req, "volume_type"));
  TypeCreate c;
  http::JsonReader r(t, "volume_type", /*open=*/true);
  r.String("name", &c.name, {.required = true, .allow_empty = false, .max_length = 255});
  r.String("description", &c.description, {.nullable = true, .max_length = 255});
  r.Bool("os-volume-type-access:is_public", &c.is_public, /*allow_string=*/true);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (t.contains("extra_specs")) {
    GUREUM_ASSIGN_OR_RETURN(c.extra_specs, StringMap(t["extra_specs"], "extra_specs"));
  }
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, call.managers.types().Create(call.rc, c));
  call.res.Json(200, {{"volume_type", TypeJson(type, TypeView::kCreate)}});
  return absl::OkStatus();
}

absl::Status UpdateType(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json t, Entity(call.req, "volume_type"));
  TypeUpdate u;
  http::JsonReader r(t, "volume_type", /*open=*/true);
  r.OptionalString("name", &u.name, {.allow_empty = false, .max_length = 255});
  r.OptionalString("description", &u.description, {.nullable = true, .max_length = 255});
  r.OptionalBool("is_public", &u.is_public, /*allow_string=*/true);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(VolumeType type,
                          call.managers.types().Update(call.rc, call.Param("id"), u));
  call.res.Json(200, {{"volume_type", TypeJson(type, TypeView::kUpdate)}});
  return absl::OkStatus();
}

absl::Status SetSpecs(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  if (!body.is_object() || !body.contains("extra_specs") || !body["extra_specs"].is_object()) {
    return absl::InvalidArgumentError("Malformed request body: extra_specs is required.");
  }
  GUREUM_ASSIGN_OR_RETURN(Metadata specs, StringMap(body["extra_specs"], "extra_specs"));
  GUREUM_ASSIGN_OR_RETURN(Metadata all,
                          call.managers.types().SetExtraSpecs(call.rc, call.Param("id"), specs));
  json shown;
  for (const auto& [k, v] : specs) shown[k] = all[k];
  call.res.Json(200, {{"extra_specs", shown}});
  return absl::OkStatus();
}

absl::Status TypeAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  for (const char* action : {"addProjectAccess", "removeProjectAccess"}) {
    if (!body.is_object() || !body.contains(action)) continue;
    std::string project;
    http::JsonReader r(body[action], action, /*open=*/true);
    r.String("project", &project, {.required = true, .allow_empty = false, .max_length = 255});
    GUREUM_RETURN_IF_ERROR(r.Finish());
    TypeManager& types = call.managers.types();
    GUREUM_RETURN_IF_ERROR(std::string(action) == "addProjectAccess"
                               ? types.AddAccess(call.rc, call.Param("id"), project)
                               : types.RemoveAccess(call.rc, call.Param("id"), project));
    call.res.Empty(202);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "Invalid input received: the type actions are addProjectAccess and removeProjectAccess.");
}

}  // namespace

void RegisterTypeRoutes(Routes& routes) {
  routes.Add("GET", "/types", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeType> types, c.managers.types().List(c.rc));
    json list = json::array();
    for (const VolumeType& t : types) list.push_back(TypeJson(t));
    c.res.Json(200, {{"volume_types", list}});
    return absl::OkStatus();
  });
  routes.Add("GET", "/types/default", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(VolumeType t, c.managers.types().Default());
    c.res.Json(200, {{"volume_type", TypeJson(t)}});
    return absl::OkStatus();
  });
  routes.Add("GET", "/types/{id}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(VolumeType t, c.managers.types().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"volume_type", TypeJson(t)}});
    return absl::OkStatus();
  });
  routes.Add("POST", "/types", CreateType);
  routes.Add("PUT", "/types/{id}", UpdateType);
  routes.Add("DELETE", "/types/{id}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.types().Delete(c.rc, c.Param("id")));
    c.res.Empty(202);
    return absl::OkStatus();
  });
  routes.Add("GET", "/types/{id}/extra_specs", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(VolumeType t, c.managers.types().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"extra_specs", t.extra_specs}});
    return absl::OkStatus();
  });
  routes.Add("POST", "/types/{id}/extra_specs", SetSpecs);
  routes.Add("GET", "/types/{id}/extra_specs/{key}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(VolumeType t, c.managers.types().Get(c.rc, c.Param("id")));
    auto it = t.extra_specs.find(c.Param("key"));
    if (it == t.extra_specs.end()) {
      return absl::NotFoundError(
          absl::StrCat("Volume Type ", t.id, " has no extra specs with key ", c.Param("key"), "."));
    }
    c.res.Json(200, {{it->first, it->second}});
    return absl::OkStatus();
  });
  routes.Add("PUT", "/types/{id}/extra_specs/{key}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(json body, c.req.JsonBody());
    GUREUM_ASSIGN_OR_RETURN(Metadata spec, StringMap(body, "extra spec"));
    if (spec.size() != 1 || spec.begin()->first != c.Param("key")) {
      return absl::InvalidArgumentError("Request body and URI mismatch");
    }
    GUREUM_RETURN_IF_ERROR(c.managers.types().SetExtraSpecs(c.rc, c.Param("id"), spec).status());
    c.res.Json(200, body);
    return absl::OkStatus();
  });
  routes.Add("DELETE", "/types/{id}/extra_specs/{key}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.types().UnsetExtraSpec(c.rc, c.Param("id"), c.Param("key")));
    c.res.Empty(202);
    return absl::OkStatus();
  });
  routes.Add("GET", "/types/{id}/os-volume-type-access", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> projects,
                            c.managers.types().ListAccess(c.rc, c.Param("id")));
    json list = json::array();
    for (const std::string& p : projects) {
      list.push_back({{"volume_type_id", c.Param("id")}, {"project_id", p}});
    }
    c.res.Json(200, {{"volume_type_access", list}});
    return absl::OkStatus();
  });
  routes.Add("POST", "/types/{id}/action", TypeAction);
}

}  // namespace gureum::block_storage
