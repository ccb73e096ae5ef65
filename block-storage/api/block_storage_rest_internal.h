// What the files of the Cinder REST adapter share (block_storage_rest*.cc). Not a public
// interface.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "block-storage/api/block_storage_managers.h"
#include "common/http/json_reader.h"
#include "common/http/query.h"
#include "common/http/rest.h"

namespace gureum::block_storage {

using nlohmann::json;

// One request on a Cinder route: the kit's call, the managers, the context they take, the
// negotiated microversion (3.<minor>) and the path's project.
struct Call {
  http::RestCall& rest;
  BlockStorageManagers& managers;
  RequestContext rc;
  int minor = 0;
  http::Request& req = rest.req;
  http::Response& res = rest.res;

  const std::string& Param(const std::string& name) const { return rest.Param(name); }
  const std::string& project() const { return rest.Param("project_id"); }
  std::string Link(const std::string& path) const { return rest.Link("/v3/" + project() + path); }
  bool AtLeast(int m) const { return minor >= m; }
};

using CallHandler = std::function<absl::Status(Call&)>;

class Routes {
 public:
  Routes(http::RestApi& api, BlockStorageManagers& managers) : api_(api), managers_(managers) {}
  // `pattern` after /v3/{project_id} ("/volumes/{id}").
  void Add(const std::string& method, const std::string& pattern, CallHandler handler);

 private:
  http::RestApi& api_;
  BlockStorageManagers& managers_;
};

// The body's one entity ({"volume": {...}}): 400 if the body is not JSON or lacks it.
absl::StatusOr<json> Entity(const http::Request& req, const std::string& key);
// A string map ({"k": "v"}): 400 naming `what` for anything else.
absl::StatusOr<Metadata> StringMap(const json& value, const std::string& what);
std::string Time(absl::Time t);
// The body {"metadata": {"k": "v", ...}} of a metadata set or replace.
absl::StatusOr<Metadata> MetadataBody(const http::Request& req);
// The body {"meta": {"<key>": "v"}} of a metadata item's PUT, whose key must be the URL's.
absl::StatusOr<Metadata> MetaItemBody(const Call& call);
// {"meta": {key: value}} of one item of `metadata`; NotFound naming `owner` without it.
absl::StatusOr<json> MetaItem(const Metadata& metadata, const std::string& key,
                              const std::string& owner);

// `extended`: with the attributes Cinder's extensions add to show and detail
// (os-vol-tenant-attr, os-vol-mig-status-attr, os-vol-host-attr); create and update answers
// carry none of them.
json VolumeJson(const Call& call, const Volume& v, const std::vector<Attachment>& attachments,
                const std::string& type_name, bool extended = true);
json VolumeSummary(const Call& call, const Volume& v);
// `extended`: with os-extended-snapshot-attributes (show, detail), not on create.
json SnapshotJson(const Call& call, const Snapshot& s, bool extended = true);
// What each answer carries, as Cinder's views do: list/show everything, create no
// qos_specs_id, update neither that nor os-volume-type-access:is_public.
enum class TypeView { kShow, kCreate, kUpdate };
json TypeJson(const VolumeType& t, TypeView view = TypeView::kShow);
json AttachmentJson(const Attachment& a, bool with_connection);

void RegisterVolumeRoutes(Routes& routes);
void RegisterVolumeActionRoutes(Routes& routes);
void RegisterSnapshotRoutes(Routes& routes);
void RegisterTypeRoutes(Routes& routes);
void RegisterAttachmentRoutes(Routes& routes);
void RegisterQuotaRoutes(Routes& routes);
void RegisterServiceRoutes(Routes& routes);

}  // namespace gureum::block_storage
