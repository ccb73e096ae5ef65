// /v3/{project_id}/volumes: list (+detail), create, show, update, delete, metadata.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

const http::PageRules kVolumePage = {
    .sort_keys = {"created_at", "id", "name", "display_name", "size", "status", "updated_at"},
    .default_sort_dir = "desc"};

absl::StatusOr<bool> AllProjects(const Call& call) {
  auto v = call.req.Query("all_tenants");
  if (!v) return false;
  if (v->empty()) return true;
  return http::ParseBool(*v, "all_tenants");
}

absl::StatusOr<VolumeQuery> ReadVolumeQuery(const Call& call) {
  VolumeQuery q;
  for (auto [param, field] : {std::pair{"name", &q.name},
                              {"status", &q.status},
                              {"availability_zone", &q.availability_zone},
                              {"project_id", &q.project_id}}) {
    if (auto v = call.req.Query(param)) *field = *v;
  }
  if (auto v = call.req.Query("bootable")) {
    GUREUM_ASSIGN_OR_RETURN(bool b, http::ParseBool(*v, "bootable"));
    q.bootable = b ? "true" : "false";
  }
  if (auto v = call.req.Query("metadata")) {
    // cinderclient sends a Python dict literal: {'k': 'v'}.
    json m = json::parse(absl::StrReplaceAll(*v, {{"'", "\""}}), nullptr, false);
    if (m.is_discarded()) {
      return absl::InvalidArgumentError("Invalid input received: metadata is not a dictionary.");
    }
    GUREUM_ASSIGN_OR_RETURN(q.metadata, StringMap(m, "metadata"));
  }
  GUREUM_ASSIGN_OR_RETURN(http::PageRequest page, http::ReadPage(call.req, kVolumePage));
  q.marker = page.marker;
  q.limit = page.limit > 0 ? page.limit : -1;
  if (!page.sort.empty()) {
    q.sort_key = page.sort[0].key == "display_name" ? "name" : page.sort[0].key;
    q.sort_desc = page.sort[0].descending;
  }
  return q;
}

absl::Status ListVolumes(Call& call, bool detail) {
  // The router takes "/volumes/" for "/volumes"; Cinder answers a show without an id 404.
  if (!detail && !call.req.path.empty() && call.req.path.back() == '/') {
    return absl::NotFoundError("Volume could not be found: the URL names no volume id.");
  }
  GUREUM_ASSIGN_OR_RETURN(bool all, AllProjects(call));
  GUREUM_ASSIGN_OR_RETURN(VolumeQuery query, ReadVolumeQuery(call));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Volume> volumes,
                          call.managers.volumes().List(call.rc, query, all));
  if (call.req.Query("limit") == "0") volumes.clear();  // Cinder: limit=0 is an empty page
  json list = json::array();
  std::map<std::string, std::vector<Attachment>> attached;
  std::map<std::string, std::string> names;
  if (detail) {
    GUREUM_ASSIGN_OR_RETURN(names, call.managers.types().Names());
    GUREUM_ASSIGN_OR_RETURN(std::vector<Attachment> atts,
                            call.managers.attachments().List(call.rc, "", "", all));
    for (Attachment& a : atts) attached[a.volume_id].push_back(std::move(a));
  }
  for (const Volume& v : volumes) {
    list.push_back(detail ? VolumeJson(call, v, attached[v.id], names[v.volume_type_id])
                          : VolumeSummary(call, v));
  }
  json body = {{"volumes", list}};
  if (query.limit > 0 && static_cast<int64_t>(volumes.size()) == query.limit) {
    body["volumes_links"] =
        json::array({{{"rel", "next"},
                      {"href", http::NextLink(call.Link(detail ? "/volumes/detail" : "/volumes"),
                                              call.req, volumes.back().id)}}});
  }
  if (call.AtLeast(45) && call.req.Query("with_count")) body["count"] = volumes.size();
  call.res.Json(200, body);
  return absl::OkStatus();
}

// `status` 200 from show, 202 from create, 200 from update (`extended` false for the last
// two: Cinder's create and update views carry no extension attributes).
absl::Status ShowVolume(Call& call, const Volume& v, int status, bool extended = true) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Attachment> atts,
                          call.managers.attachments().List(call.rc, v.id, "", true));
  GUREUM_ASSIGN_OR_RETURN(auto names, call.managers.types().Names());
  call.res.Json(status, {{"volume", VolumeJson(call, v, atts, names[v.volume_type_id], extended)}});
  return absl::OkStatus();
}

absl::StatusOr<VolumeCreate> DecodeCreate(const Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json v, Entity(call.req, "volume"));
  VolumeCreate c;
  http::JsonReader r(v, "volume", /*open=*/true);  // Cinder ignores fields it does not know
  std::optional<int64_t> size;
  r.OptionalInt("size", &size, INT64_MIN, INT64_MAX, /*allow_string=*/true);
  c.size_gb = size;
  const http::StringRule text{.nullable = true, .max_length = 255};
  r.String("name", &c.name, text);
  r.String("display_name", &c.name, text);
  r.String("description", &c.description, text);
  r.String("display_description", &c.description, text);
  r.String("volume_type", &c.volume_type, text);
  r.String("availability_zone", &c.availability_zone, text);
  r.String("snapshot_id", &c.snapshot_id, text);
  r.String("source_volid", &c.source_volume_id, text);
  r.String("imageRef", &c.image_id, text);
  r.Bool("multiattach", &c.multiattach, /*allow_string=*/true);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (v.contains("metadata")) {
    GUREUM_ASSIGN_OR_RETURN(c.metadata, StringMap(v["metadata"], "metadata"));
  }
  if (v.contains("backup_id") && !v["backup_id"].is_null()) {
    return absl::InvalidArgumentError("Invalid input received: backups are not supported.");
  }
  return c;
}

absl::Status CreateVolume(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(VolumeCreate create, DecodeCreate(call));
  GUREUM_ASSIGN_OR_RETURN(Volume v, call.managers.volumes().Create(call.rc, create));
  return ShowVolume(call, v, 202, /*extended=*/false);
}

absl::Status UpdateVolume(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json v, Entity(call.req, "volume"));
  VolumeUpdate u;
  http::JsonReader r(v, "volume", /*open=*/true);
  const http::StringRule text{.nullable = true, .max_length = 255};
  r.OptionalString("name", &u.name, text);
  r.OptionalString("display_name", &u.name, text);
  r.OptionalString("description", &u.description, text);
  r.OptionalString("display_description", &u.description, text);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (v.contains("metadata")) {
    GUREUM_ASSIGN_OR_RETURN(u.metadata, StringMap(v["metadata"], "metadata"));
  }
  if (!u.name && !u.description && !u.metadata) {
    return absl::InvalidArgumentError(
        "Invalid input received: name, description or metadata must be given.");
  }
  GUREUM_ASSIGN_OR_RETURN(Volume updated,
                          call.managers.volumes().Update(call.rc, call.Param("id"), u));
  return ShowVolume(call, updated, 200, /*extended=*/false);
}

absl::Status SetVolumeMetadata(Call& call, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(Metadata m, MetadataBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(
      Metadata all, call.managers.volumes().SetMetadata(call.rc, call.Param("id"), m, replace));
  call.res.Json(200, {{"metadata", all}});
  return absl::OkStatus();
}

absl::Status PutMetadataItem(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Metadata m, MetaItemBody(call));
  GUREUM_RETURN_IF_ERROR(
      call.managers.volumes().SetMetadata(call.rc, call.Param("id"), m, false).status());
  call.res.Json(200, {{"meta", m}});
  return absl::OkStatus();
}

// GET /volumes/summary (3.12; metadata from 3.36).
absl::Status ShowVolumeSummary(Call& call) {
  if (!call.AtLeast(12)) {
    return absl::NotFoundError(
        "The volume summary needs microversion 3.12 or later (OpenStack-API-Version: volume "
        "3.12).");
  }
  GUREUM_ASSIGN_OR_RETURN(bool all, AllProjects(call));
  GUREUM_ASSIGN_OR_RETURN(VolumeManager::Summary sum,
                          call.managers.volumes().Summarize(call.rc, all));
  json body = {{"total_size", sum.total_gb}, {"total_count", sum.count}};
  if (call.AtLeast(36)) {
    json metadata = json::object();
    for (const auto& [key, values] : sum.metadata) metadata[key] = values;
    body["metadata"] = metadata;
  }
  call.res.Json(200, {{"volume-summary", body}});
  return absl::OkStatus();
}

}  // namespace

void RegisterVolumeRoutes(Routes& routes) {
  routes.Add("GET", "/volumes/summary", ShowVolumeSummary);
  routes.Add("GET", "/volumes", [](Call& c) { return ListVolumes(c, false); });
  routes.Add("GET", "/volumes/detail", [](Call& c) { return ListVolumes(c, true); });
  routes.Add("POST", "/volumes", CreateVolume);
  routes.Add("GET", "/volumes/{id}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Volume v, c.managers.volumes().Get(c.rc, c.Param("id")));
    return ShowVolume(c, v, 200);
  });
  routes.Add("PUT", "/volumes/{id}", UpdateVolume);
  for (const char* method : {"PUT", "DELETE"}) {  // no id ("/volumes/" is "/volumes"): 404
    routes.Add(method, "/volumes", [](Call&) -> absl::Status {
      return absl::NotFoundError("Volume could not be found: the URL names no volume id.");
    });
  }
  routes.Add("DELETE", "/volumes/{id}", [](Call& c) -> absl::Status {
    bool cascade = false;
    if (auto q = c.req.Query("cascade")) {
      GUREUM_ASSIGN_OR_RETURN(cascade, http::ParseBool(*q, "cascade"));
    }
    GUREUM_RETURN_IF_ERROR(c.managers.volumes().Delete(c.rc, c.Param("id"), false, cascade));
    c.res.Empty(202);
    return absl::OkStatus();
  });
  routes.Add("GET", "/volumes/{id}/metadata", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Volume v, c.managers.volumes().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"metadata", v.metadata}});
    return absl::OkStatus();
  });
  routes.Add("POST", "/volumes/{id}/metadata", [](Call& c) { return SetVolumeMetadata(c, false); });
  routes.Add("PUT", "/volumes/{id}/metadata", [](Call& c) { return SetVolumeMetadata(c, true); });
  routes.Add("GET", "/volumes/{id}/metadata/{key}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Volume v, c.managers.volumes().Get(c.rc, c.Param("id")));
    GUREUM_ASSIGN_OR_RETURN(json item, MetaItem(v.metadata, c.Param("key"), "Volume " + v.id));
    c.res.Json(200, item);
    return absl::OkStatus();
  });
  routes.Add("PUT", "/volumes/{id}/metadata/{key}", PutMetadataItem);
  routes.Add("DELETE", "/volumes/{id}/metadata/{key}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(
        c.managers.volumes().DeleteMetadata(c.rc, c.Param("id"), c.Param("key")));
    c.res.Empty(200);
    return absl::OkStatus();
  });
}

}  // namespace gureum::block_storage
