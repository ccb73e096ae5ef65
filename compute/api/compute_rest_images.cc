// Nova's image proxy: /v2.1/images (+detail), show, delete and the image metadata routes,
// over ImageManager (the image service with the caller's token). Deprecated in Nova at
// microversion 2.36 (2.39 for the metadata): 404 from there on, as Nova.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/http/query.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"
#include "compute/api/image_manager.h"

namespace gureum::compute {
namespace {

// The proxy is gone at 2.36 (the metadata at 2.39): Nova answers 404 for the route.
absl::Status CheckServed(const Call& call, int gone_at) {
  if (call.version.AtLeast(gone_at)) {
    return absl::NotFoundError("The resource could not be found.");
  }
  return absl::OkStatus();
}

// An image service date ("2026-01-01T12:00:00Z", with or without fraction) as Nova shows it
// (seconds, Z); as given when it does not parse.
std::string NovaDate(const std::string& rfc3339) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) return rfc3339;
  return IsoTime(t);
}

json ImageJson(const Call& call, const ImageInfo& i, bool detail) {
  json image = {{"id", i.id}, {"name", i.name}, {"links", Links(call, "images", i.id)}};
  if (!detail) return image;
  image["minRam"] = i.min_ram_mb;
  image["minDisk"] = i.min_disk_gb;
  image["metadata"] = i.properties;
  image["created"] = NovaDate(i.created_at);
  image["updated"] = NovaDate(i.updated_at);
  image["status"] = NovaImageStatus(i.status);
  image["progress"] = NovaImageProgress(i.status);
  image["OS-EXT-IMG-SIZE:size"] = i.size;
  auto server = i.properties.find("instance_uuid");
  if (server != i.properties.end()) {
    image["server"] = {{"id", server->second}, {"links", Links(call, "servers", server->second)}};
  }
  auto disk_config = i.properties.find("auto_disk_config");
  if (disk_config != i.properties.end()) {
    absl::StatusOr<bool> automatic = http::ParseBool(disk_config->second, "auto_disk_config");
    image["OS-DCF:diskConfig"] = automatic.ok() && *automatic ? "AUTO" : "MANUAL";
  }
  return image;
}

absl::StatusOr<std::optional<int64_t>> QueryInt(const http::Request& req, const char* name) {
  return http::QueryInteger(req, name, 0, INT32_MAX);
}

// Nova's SUPPORTED_FILTERS, property-<key>, limit and marker.
absl::StatusOr<ImageFilter> DecodeImageFilter(const http::Request& req) {
  ImageFilter f;
  if (auto v = req.Query("name")) f.name = *v;
  if (auto v = req.Query("status")) f.status = *v;
  if (auto v = req.Query("server")) f.server = *v;
  if (auto v = req.Query("type")) f.type = *v;
  if (auto v = req.Query("changes-since")) {
    absl::Time t;
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, *v, &t, &err) &&
        !absl::ParseTime("%Y-%m-%dT%H:%M:%S", *v, &t, &err)) {
      return absl::InvalidArgumentError("Invalid filter field: changes-since.");
    }
    f.changes_since = t;
  }
  GUREUM_ASSIGN_OR_RETURN(f.min_ram, QueryInt(req, "minRam"));
  GUREUM_ASSIGN_OR_RETURN(f.min_disk, QueryInt(req, "minDisk"));
  for (const auto& [k, v] : req.query) {
    if (absl::StartsWith(k, "property-")) f.properties[k.substr(9)] = v;
  }
  GUREUM_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(req, "limit"));
  f.limit = limit.value_or(0);
  if (auto v = req.Query("marker")) f.marker = *v;
  return f;
}

absl::Status ListImages(Call& call, bool detail) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 36));
  GUREUM_ASSIGN_OR_RETURN(ImageFilter f, DecodeImageFilter(call.req));
  GUREUM_ASSIGN_OR_RETURN(std::vector<ImageInfo> images,
                          call.managers().images().ListImages(call.rc, f));
  json list = json::array();
  for (const ImageInfo& i : images) list.push_back(ImageJson(call, i, detail));
  json body = {{"images", list}};
  if (f.limit > 0 && static_cast<int64_t>(images.size()) == f.limit) {
    const std::string path = call.Link(detail ? "/images/detail" : "/images");
    body["images_links"] = json::array(
        {{{"rel", "next"}, {"href", http::NextLink(path, call.req, images.back().id)}}});
  }
  call.res.Json(200, body);
  return absl::OkStatus();
}

absl::Status ShowImage(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 36));
  GUREUM_ASSIGN_OR_RETURN(ImageInfo i,
                          call.managers().images().GetImage(call.rc, call.Param("id")));
  call.res.Json(200, {{"image", ImageJson(call, i, true)}});
  return absl::OkStatus();
}

absl::Status DeleteImage(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 36));
  GUREUM_RETURN_IF_ERROR(call.managers().images().DeleteImage(call.rc, call.Param("id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// {"metadata": {key: string, ...}}: 400 for another shape.
absl::StatusOr<StringMap> DecodeMetadata(const http::Request& req) {
  GUREUM_ASSIGN_OR_RETURN(json metadata, BodyEntity(req, "metadata"));
  StringMap out;
  for (const auto& [k, v] : metadata.items()) {
    if (!v.is_string()) {
      return absl::InvalidArgumentError("Invalid input for field/attribute metadata. Value: " + k +
                                        " is not of type 'string'");
    }
    out[k] = v.get<std::string>();
  }
  return out;
}

absl::Status ListMetadata(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 39));
  GUREUM_ASSIGN_OR_RETURN(StringMap m,
                          call.managers().images().GetMetadata(call.rc, call.Param("id")));
  call.res.Json(200, {{"metadata", m}});
  return absl::OkStatus();
}

absl::Status SetMetadata(Call& call, bool replace) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 39));
  GUREUM_ASSIGN_OR_RETURN(StringMap in, DecodeMetadata(call.req));
  GUREUM_ASSIGN_OR_RETURN(
      StringMap m, call.managers().images().SetMetadata(call.rc, call.Param("id"), in, replace));
  call.res.Json(200, {{"metadata", m}});
  return absl::OkStatus();
}

absl::Status ShowMetadataItem(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 39));
  const std::string& key = call.Param("key");
  GUREUM_ASSIGN_OR_RETURN(std::string value,
                          call.managers().images().GetMetadataItem(call.rc, call.Param("id"), key));
  call.res.Json(200, {{"meta", {{key, value}}}});
  return absl::OkStatus();
}

absl::Status SetMetadataItem(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 39));
  GUREUM_ASSIGN_OR_RETURN(json meta, BodyEntity(call.req, "meta"));
  const std::string& key = call.Param("key");
  if (meta.size() > 1) {
    return absl::InvalidArgumentError("Request body contains too many items");
  }
  if (!meta.contains(key) || !meta[key].is_string()) {
    return absl::InvalidArgumentError("Request body and URI mismatch");
  }
  GUREUM_RETURN_IF_ERROR(call.managers().images().SetMetadataItem(call.rc, call.Param("id"), key,
                                                                  meta[key].get<std::string>()));
  call.res.Json(200, {{"meta", meta}});
  return absl::OkStatus();
}

absl::Status DeleteMetadataItem(Call& call) {
  GUREUM_RETURN_IF_ERROR(CheckServed(call, 39));
  GUREUM_RETURN_IF_ERROR(
      call.managers().images().DeleteMetadataItem(call.rc, call.Param("id"), call.Param("key")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterImageRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/images", [](Call& call) { return ListImages(call, false); });
  routes.Add("GET", "/v2.1/images/detail", [](Call& call) { return ListImages(call, true); });
  routes.Add("GET", "/v2.1/images/{id}", ShowImage);
  routes.Add("DELETE", "/v2.1/images/{id}", DeleteImage);
  // DELETE /images/ (a blank id) is Nova's 404, not a 405 of the collection.
  routes.Add("DELETE", "/v2.1/images", DeleteImage);
  routes.Add("GET", "/v2.1/images/{id}/metadata", ListMetadata);
  routes.Add("PUT", "/v2.1/images/{id}/metadata",
             [](Call& call) { return SetMetadata(call, true); });
  routes.Add("POST", "/v2.1/images/{id}/metadata",
             [](Call& call) { return SetMetadata(call, false); });
  routes.Add("GET", "/v2.1/images/{id}/metadata/{key}", ShowMetadataItem);
  routes.Add("PUT", "/v2.1/images/{id}/metadata/{key}", SetMetadataItem);
  routes.Add("DELETE", "/v2.1/images/{id}/metadata/{key}", DeleteMetadataItem);
}

}  // namespace gureum::compute
