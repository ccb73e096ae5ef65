// /v3/{project_id}/snapshots: list (+detail), create, show, update, delete, metadata,
// action os-reset_status.
#include "absl/strings/str_cat.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

const http::PageRules kSnapshotPage = {
    .sort_keys = {"created_at", "id", "name", "display_name", "size", "status", "updated_at"},
    .default_sort_dir = "desc"};

absl::Status ListSnapshots(Call& call, bool detail) {
  SnapshotQuery q;
  for (auto [param, field] : {std::pair{"name", &q.name},
                              {"status", &q.status},
                              {"volume_id", &q.volume_id},
                              {"project_id", &q.project_id}}) {
    if (auto v = call.req.Query(param)) *field = *v;
  }
  bool all = false;
  if (auto v = call.req.Query("all_tenants")) {
    all = true;
    if (!v->empty()) {
      GUREUM_ASSIGN_OR_RETURN(all, http::ParseBool(*v, "all_tenants"));
    }
  }
  GUREUM_ASSIGN_OR_RETURN(http::PageRequest page, http::ReadPage(call.req, kSnapshotPage));
  q.marker = page.marker;
  GUREUM_ASSIGN_OR_RETURN(std::optional<int64_t> offset,
                          http::QueryInteger(call.req, "offset", 0, 1 << 30));
  q.limit = page.limit > 0 ? page.limit + offset.value_or(0) : -1;
  if (!page.sort.empty()) {
    q.sort_key = page.sort[0].key == "display_name" ? "name" : page.sort[0].key;
    q.sort_desc = page.sort[0].descending;
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<Snapshot> snaps,
                          call.managers.snapshots().List(call.rc, q, all));
  if (call.req.Query("limit") == "0") snaps.clear();  // Cinder: limit=0 is an empty page
  snaps.erase(snaps.begin(), snaps.begin() + std::min<int64_t>(offset.value_or(0), snaps.size()));
  json list = json::array();
  for (const Snapshot& s : snaps) {
    list.push_back(SnapshotJson(call, s, detail));
  }
  json body = {{"snapshots", list}};
  if (page.limit > 0 && static_cast<int64_t>(snaps.size()) == page.limit) {
    body["snapshots_links"] = json::array(
        {{{"rel", "next"},
          {"href", http::NextLink(call.Link(detail ? "/snapshots/detail" : "/snapshots"), call.req,
                                  snaps.back().id)}}});
  }
  call.res.Json(200, body);
  return absl::OkStatus();
}

absl::Status CreateSnapshot(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json s, Entity(call.req, "snapshot"));
  SnapshotCreate c;
  http::JsonReader r(s, "snapshot", /*open=*/true);
  const http::StringRule text{.nullable = true, .max_length = 255};
  r.String("volume_id", &c.volume_id, {.nullable = true});
  r.String("name", &c.name, text);
  r.String("display_name", &c.name, text);
  r.String("description", &c.description, text);
  r.String("display_description", &c.description, text);
  r.Bool("force", &c.force, /*allow_string=*/true);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (s.contains("metadata")) {
    GUREUM_ASSIGN_OR_RETURN(c.metadata, StringMap(s["metadata"], "metadata"));
  }
  GUREUM_ASSIGN_OR_RETURN(Snapshot snap, call.managers.snapshots().Create(call.rc, c));
  call.res.Json(202, {{"snapshot", SnapshotJson(call, snap, /*extended=*/false)}});
  return absl::OkStatus();
}

absl::Status UpdateSnapshot(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json s, Entity(call.req, "snapshot"));
  SnapshotUpdate u;
  http::JsonReader r(s, "snapshot", /*open=*/true);
  const http::StringRule text{.nullable = true, .max_length = 255};
  r.OptionalString("name", &u.name, text);
  r.OptionalString("display_name", &u.name, text);
  r.OptionalString("description", &u.description, text);
  r.OptionalString("display_description", &u.description, text);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Snapshot snap,
                          call.managers.snapshots().Update(call.rc, call.Param("id"), u));
  call.res.Json(200, {{"snapshot", SnapshotJson(call, snap, /*extended=*/false)}});
  return absl::OkStatus();
}

absl::Status SetSnapshotMetadata(Call& call, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(Metadata m, MetadataBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(
      Metadata all, call.managers.snapshots().SetMetadata(call.rc, call.Param("id"), m, replace));
  call.res.Json(200, {{"metadata", all}});
  return absl::OkStatus();
}

absl::Status SnapshotAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  if (body.is_object() && body.contains("os-force_delete")) {
    GUREUM_RETURN_IF_ERROR(call.managers.snapshots().Delete(call.rc, call.Param("id"), true));
    call.res.Empty(202);
    return absl::OkStatus();
  }
  // os-update_snapshot_status (a driver's progress report in Cinder) sets the status as
  // os-reset_status does, for admins.
  const char* action = body.is_object() && body.contains("os-update_snapshot_status")
                           ? "os-update_snapshot_status"
                           : "os-reset_status";
  if (!body.is_object() || !body.contains(action) || !body[action].is_object()) {
    return absl::InvalidArgumentError(
        "Invalid input received: the snapshot actions are os-reset_status, "
        "os-update_snapshot_status and os-force_delete.");
  }
  std::string status;
  http::JsonReader r(body[action], action, /*open=*/true);
  r.String("status", &status, {.required = true, .allow_empty = false, .max_length = 255});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_RETURN_IF_ERROR(call.managers.snapshots().ResetStatus(call.rc, call.Param("id"), status));
  call.res.Empty(202);
  return absl::OkStatus();
}

}  // namespace

void RegisterSnapshotRoutes(Routes& routes) {
  routes.Add("GET", "/snapshots", [](Call& c) { return ListSnapshots(c, false); });
  routes.Add("GET", "/snapshots/detail", [](Call& c) { return ListSnapshots(c, true); });
  routes.Add("POST", "/snapshots", CreateSnapshot);
  routes.Add("GET", "/snapshots/{id}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Snapshot s, c.managers.snapshots().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"snapshot", SnapshotJson(c, s)}});
    return absl::OkStatus();
  });
  routes.Add("PUT", "/snapshots/{id}", UpdateSnapshot);
  routes.Add("DELETE", "/snapshots/{id}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.snapshots().Delete(c.rc, c.Param("id")));
    c.res.Empty(202);
    return absl::OkStatus();
  });
  routes.Add("POST", "/snapshots/{id}/action", SnapshotAction);
  routes.Add("GET", "/snapshots/{id}/metadata", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Snapshot s, c.managers.snapshots().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"metadata", s.metadata}});
    return absl::OkStatus();
  });
  routes.Add("POST", "/snapshots/{id}/metadata",
             [](Call& c) { return SetSnapshotMetadata(c, false); });
  routes.Add("PUT", "/snapshots/{id}/metadata",
             [](Call& c) { return SetSnapshotMetadata(c, true); });
  routes.Add("PUT", "/snapshots/{id}/metadata/{key}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Metadata m, MetaItemBody(c));
    GUREUM_RETURN_IF_ERROR(
        c.managers.snapshots().SetMetadata(c.rc, c.Param("id"), m, false).status());
    c.res.Json(200, {{"meta", m}});
    return absl::OkStatus();
  });
  routes.Add("GET", "/snapshots/{id}/metadata/{key}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Snapshot s, c.managers.snapshots().Get(c.rc, c.Param("id")));
    GUREUM_ASSIGN_OR_RETURN(json item, MetaItem(s.metadata, c.Param("key"), "Snapshot " + s.id));
    c.res.Json(200, item);
    return absl::OkStatus();
  });
  routes.Add("DELETE", "/snapshots/{id}/metadata/{key}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(
        c.managers.snapshots().DeleteMetadata(c.rc, c.Param("id"), c.Param("key")));
    c.res.Empty(200);
    return absl::OkStatus();
  });
}

}  // namespace gureum::block_storage
