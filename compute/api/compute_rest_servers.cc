// /v2.1/servers: create, list (+detail), show, update, delete; instance actions.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

// The sort keys the stores take (Nova's names; display_name is name).
const std::vector<std::string> kServerSortKeys = {
    "created_at", "updated_at",  "name",          "uuid",        "vm_state",
    "task_state", "power_state", "host",          "launched_at", "availability_zone",
    "image_ref",  "key_name",    "project_id",    "user_id",     "display_name",
    "hostname",   "node",        "terminated_at", "launch_index"};

// One entry of `networks`: {uuid[, fixed_ip]} or {port}.
absl::StatusOr<RequestedNetwork> DecodeNetwork(const json& n) {
  RequestedNetwork r;
  http::JsonReader e(n, "networks", /*open=*/true);
  e.String("uuid", &r.network_id, kNullable);
  e.String("port", &r.port_id, kNullable);
  e.String("fixed_ip", &r.fixed_ip, kNullable);
  GUREUM_RETURN_IF_ERROR(e.Finish());
  if (r.network_id.empty() && r.port_id.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute networks: each entry needs a network 'uuid' or a "
        "'port'");
  }
  if (!r.port_id.empty() && !r.fixed_ip.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute networks: give a port or a fixed_ip, not both");
  }
  if (!r.port_id.empty()) r.network_id.clear();  // the port's network counts
  return r;
}

// The create body's `networks` and `security_groups`.
absl::Status DecodeNetworks(const json& s, CreateServerRequest& out) {
  // Nova before 2.37: a list of {uuid[, fixed_ip]} or {port}; an empty list is as no key.
  if (s.contains("networks") && !s["networks"].is_null()) {
    if (!s["networks"].is_array()) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute networks: must be a list of {\"uuid\": ...} or "
          "{\"port\": ...} (\"auto\" and \"none\" need microversion 2.37)");
    }
    for (const json& n : s["networks"]) {
      GUREUM_ASSIGN_OR_RETURN(RequestedNetwork r, DecodeNetwork(n));
      out.networks.push_back(std::move(r));
    }
    out.networks_given = !out.networks.empty();
  }
  if (s.contains("security_groups") && s["security_groups"].is_array()) {
    for (const json& g : s["security_groups"]) {
      http::JsonReader e(g, "security_groups", /*open=*/true);
      std::string name;
      e.String("name", &name, {.required = true});
      GUREUM_RETURN_IF_ERROR(e.Finish());
      out.security_groups.push_back(std::move(name));
    }
  }
  return absl::OkStatus();
}

// One entry of block_device_mapping_v2 (Nova's schema: strings for the ids and types,
// boot_index and volume_size as integers or their strings, delete_on_termination a
// boolean or Nova's boolean strings).
absl::StatusOr<BlockDeviceMapping> DecodeBlockDevice(const json& m) {
  http::JsonReader r(m, "block_device_mapping_v2", /*open=*/true);
  BlockDeviceMapping out;
  r.String("source_type", &out.source_type, {.required = true});
  r.String("destination_type", &out.destination_type, kNullable);
  if (out.destination_type.empty()) out.destination_type = "volume";
  r.String("uuid", &out.uuid, kNullable);
  std::optional<int64_t> size, boot_index;
  OptionalInt(r, m, "volume_size", &size, 0, INT32_MAX);
  OptionalInt(r, m, "boot_index", &boot_index, INT32_MIN, INT32_MAX);
  std::optional<bool> delete_on_termination;
  OptionalBool(r, m, "delete_on_termination", &delete_on_termination);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  out.volume_size = size;
  if (boot_index) out.boot_index = static_cast<int>(*boot_index);
  out.delete_on_termination = delete_on_termination.value_or(false);
  return out;
}

absl::Status DecodeBlockDevices(const json& s, CreateServerRequest& out) {
  if (!s.contains("block_device_mapping_v2") || s["block_device_mapping_v2"].is_null()) {
    return absl::OkStatus();
  }
  if (!s["block_device_mapping_v2"].is_array()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute block_device_mapping_v2: must be a list");
  }
  for (const json& m : s["block_device_mapping_v2"]) {
    if (!m.is_object()) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute block_device_mapping_v2: each entry must be an "
          "object");
    }
    GUREUM_ASSIGN_OR_RETURN(BlockDeviceMapping b, DecodeBlockDevice(m));
    out.block_devices.push_back(std::move(b));
  }
  return absl::OkStatus();
}

// A ref (imageRef, flavorRef): a string, or an integer id as Nova takes; a link's last
// path segment is the id. Empty when absent.
std::string ReadRef(http::JsonReader& r, const json& obj, const char* field) {
  std::string ref;
  if (obj.is_object() && obj.contains(field) && obj[field].is_number_integer()) {
    r.Known({field});
    ref = std::to_string(obj[field].get<int64_t>());
  } else {
    r.String(field, &ref, kNullable);
  }
  if (auto slash = ref.rfind('/'); slash != std::string::npos) ref = ref.substr(slash + 1);
  return ref;
}

// The string-valued map `field` (metadata): each value checked as a string field.
void ReadStringMap(http::JsonReader& r, const json& obj, const char* field, StringMap* out) {
  const json* m = nullptr;
  if (!r.Object(field, &m, /*nullable=*/true) || m == nullptr) return;
  http::JsonReader values(*m, field, /*open=*/true);
  for (const auto& [k, v] : m->items()) values.String(k.c_str(), &(*out)[k]);
  if (absl::Status s = values.Finish(); !s.ok()) r.Fail(field, "values must be strings");
}

// The create body; `reservation_only`: answer with the reservation id alone.
absl::StatusOr<CreateServerRequest> DecodeCreate(const json& body, bool* reservation_only) {
  GUREUM_ASSIGN_OR_RETURN(json s, BodyEntity(body, "server"));
  CreateServerRequest out;
  http::JsonReader r(s, "server", /*open=*/true);
  r.String("name", &out.name, {.required = true});
  std::optional<bool> reservation;
  OptionalBool(r, s, "return_reservation_id", &reservation);
  out.image_ref = ReadRef(r, s, "imageRef");
  out.flavor_ref = ReadRef(r, s, "flavorRef");
  if (out.flavor_ref.empty()) r.Fail("flavorRef", "it is required");
  r.String("key_name", &out.key_name, kNullable);
  r.String("user_data", &out.user_data, kNullable);
  r.String("availability_zone", &out.availability_zone, kNullable);
  r.String("description", &out.description, kNullable);
  r.String("accessIPv4", &out.access_ip_v4, kNullable);
  r.String("accessIPv6", &out.access_ip_v6, kNullable);
  r.String("adminPass", &out.admin_pass, kNullable);
  if (out.admin_pass.empty()) out.admin_pass = NewAdminPass();  // Nova makes one up
  ReadDiskConfig(r, &out.auto_disk_config);
  ReadStringMap(r, s, "metadata", &out.metadata);
  std::optional<int64_t> min_count, max_count;
  OptionalInt(r, s, "min_count", &min_count, 1, INT32_MAX);
  OptionalInt(r, s, "max_count", &max_count, 1, 1000);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  *reservation_only = reservation.value_or(false);
  out.min_count = static_cast<int>(min_count.value_or(1));
  out.max_count = static_cast<int>(max_count.value_or(out.min_count));
  GUREUM_RETURN_IF_ERROR(DecodeNetworks(s, out));
  GUREUM_RETURN_IF_ERROR(DecodeBlockDevices(s, out));
  for (const char* hints : {"OS-SCH-HNT:scheduler_hints", "os:scheduler_hints"}) {
    if (body.contains(hints) && body[hints].is_object() && body[hints].contains("group") &&
        body[hints]["group"].is_string()) {
      out.server_group = body[hints]["group"];
    }
  }
  return out;
}

absl::StatusOr<InstanceFilter> DecodeFilter(Call& call) {
  InstanceFilter f;
  const http::Request& req = call.req;
  if (auto v = req.Query("name")) f.name_regex = *v;
  if (auto v = req.Query("status")) {
    auto states = VmStatesForStatus(*v);
    f.vm_state = states.empty() ? "no-such-state" : states.front();
  }
  if (auto v = req.Query("host")) f.host = *v;
  if (auto v = req.Query("image")) f.image_ref = *v;
  if (auto v = req.Query("flavor")) f.flavor_id = *v;
  if (auto v = req.Query("reservation_id")) f.reservation_id = *v;
  if (auto v = req.Query("ip")) f.ip_regex = *v;
  if (auto v = req.Query("ip6")) f.ip6_regex = *v;
  if (auto v = req.Query("all_tenants")) {
    GUREUM_ASSIGN_OR_RETURN(f.all_projects,
                            http::ParseBool(v->empty() ? "true" : *v, "all_tenants"));
  }
  if (call.managers().policy().IsAdmin(call.rc)) {
    // Nova: a project filter counts only with all_tenants (else the admin's own project).
    if (f.all_projects) {
      if (auto v = req.Query("project_id")) f.project_id = *v;
      if (auto v = req.Query("tenant_id")) f.project_id = *v;
    }
    if (auto v = req.Query("user_id")) f.user_id = *v;
  }
  if (auto v = req.Query("changes-since")) {
    absl::Time t;
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, *v, &t, &err) &&
        !absl::ParseTime("%Y-%m-%dT%H:%M:%S", *v, &t, &err)) {
      return absl::InvalidArgumentError("Invalid filter field: changes-since.");
    }
    f.changes_since = t;
  }
  GUREUM_ASSIGN_OR_RETURN(
      http::PageRequest page,
      http::ReadPage(
          req, {.max_limit = INT32_MAX, .sort_keys = kServerSortKeys, .default_sort_dir = "desc"}));
  f.limit = static_cast<int>(page.limit);
  f.marker = page.marker;
  if (!page.sort.empty()) {
    f.sort_key = page.sort.front().key;
    f.sort_desc = page.sort.front().descending;
  } else if (auto dir = req.Query("sort_dir")) {  // for the default key (checked by ReadPage)
    f.sort_desc = *dir == "desc";
  }
  return f;
}

absl::Status ListServers(Call& call, bool detail) {
  GUREUM_ASSIGN_OR_RETURN(InstanceFilter f, DecodeFilter(call));
  if (call.req.Query("limit") == std::optional<std::string>("0")) {
    call.res.Json(200, {{"servers", json::array()}});  // Nova: limit=0 lists nothing
    return absl::OkStatus();
  }
  const int asked = f.limit;
  GUREUM_ASSIGN_OR_RETURN(auto servers, call.managers().servers().ListServers(call.rc, f));
  if (detail)
    call.managers().servers().AddFloatingIps(call.rc, servers);  // the summary has no addresses
  json list = json::array();
  for (const Instance& i : servers) list.push_back(ServerJson(call, i, detail));
  json body = {{"servers", list}};
  if (asked > 0 && static_cast<int>(servers.size()) == asked) {
    const std::string path = call.Link(detail ? "/servers/detail" : "/servers");
    body["servers_links"] = json::array(
        {{{"rel", "next"}, {"href", http::NextLink(path, call.req, servers.back().uuid)}}});
  }
  call.res.Json(200, body);
  return absl::OkStatus();
}

json SecurityGroupsJson(const Instance& i) {
  json out = json::array();
  for (const std::string& g : i.security_groups) out.push_back({{"name", g}});
  if (out.empty()) out.push_back({{"name", "default"}});
  return out;
}

json ActionJson(const InstanceActionRecord& a, bool with_events) {
  json j = {{"action", a.action},
            {"instance_uuid", a.instance_uuid},
            {"message", a.message.empty() ? json(nullptr) : json(a.message)},
            {"project_id", a.project_id},
            {"request_id", a.request_id},
            {"start_time", IsoMicros(a.start_time)},
            {"user_id", a.user_id}};
  if (with_events) {
    json events = json::array();
    for (const ActionEvent& e : a.events) {
      events.push_back({{"event", e.event},
                        {"start_time", IsoMicros(e.start_time)},
                        {"finish_time", TimeOrNull(e.finish_time, true)},
                        {"result", e.result.empty() ? json(nullptr) : json(e.result)},
                        {"traceback", e.details.empty() ? json(nullptr) : json(e.details)}});
    }
    j["events"] = events;
  }
  return j;
}

// POST /v2.1/servers
absl::Status CreateServer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  bool reservation_only = false;
  GUREUM_ASSIGN_OR_RETURN(CreateServerRequest req, DecodeCreate(body, &reservation_only));
  GUREUM_ASSIGN_OR_RETURN(CreateServerResult created,
                          call.managers().servers().CreateServers(call.rc, req));
  if (reservation_only) {
    call.res.Json(202, {{"reservation_id", created.reservation_id}});
    return absl::OkStatus();
  }
  const Instance& first = created.instances.front();
  call.res.Json(202, {{"server",
                       {{"id", first.uuid},
                        {"links", Links(call, "servers", first.uuid)},
                        {"OS-DCF:diskConfig", DiskConfigName(first.auto_disk_config)},
                        {"security_groups", SecurityGroupsJson(first)},
                        {"adminPass", first.admin_pass}}}});
  call.res.SetHeader("Location", call.Link("/servers/" + first.uuid));
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}
absl::Status ShowServer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Instance found,
                          call.managers().servers().GetServer(call.rc, call.Param("id")));
  std::vector<Instance> one{std::move(found)};
  call.managers().servers().AddFloatingIps(call.rc, one);
  const Instance& i = one.front();
  json s = ServerJson(call, i, true);
  s["security_groups"] = SecurityGroupsJson(i);
  call.res.Json(200, {{"server", s}});
  return absl::OkStatus();
}

// PUT /v2.1/servers/{id}
absl::Status UpdateServer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json s, BodyEntity(call.req, "server"));
  ServerUpdate u;
  http::JsonReader r(s, "server", /*open=*/true);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  r.OptionalString("accessIPv4", &u.access_ip_v4, kNullable);
  r.OptionalString("accessIPv6", &u.access_ip_v6, kNullable);
  ReadDiskConfig(r, &u.auto_disk_config);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Instance i,
                          call.managers().servers().UpdateServer(call.rc, call.Param("id"), u));
  call.res.Json(200, {{"server", ServerBasicJson(call, i)}});
  return absl::OkStatus();
}

// DELETE /v2.1/servers/{id}
absl::Status DeleteServer(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers().servers().DeleteServer(call.rc, call.Param("id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}/metadata
absl::Status ListMetadata(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Instance i,
                          call.managers().servers().GetServer(call.rc, call.Param("id")));
  call.res.Json(200, {{"metadata", i.metadata}});
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}/metadata/{key}
absl::Status ShowMetadataItem(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Instance i,
                          call.managers().servers().GetServer(call.rc, call.Param("id")));
  auto it = i.metadata.find(call.Param("key"));
  if (it == i.metadata.end()) return absl::NotFoundError("Metadata item was not found");
  call.res.Json(200, {{"meta", {{it->first, it->second}}}});
  return absl::OkStatus();
}

// PUT /v2.1/servers/{id}/metadata/{key}
absl::Status SetMetadataItem(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json meta, BodyEntity(call.req, "meta"));
  const std::string& key = call.Param("key");
  if (meta.size() != 1 || !meta.contains(key) || !meta[key].is_string()) {
    return absl::InvalidArgumentError("Request body and URI mismatch");
  }
  GUREUM_RETURN_IF_ERROR(call.managers()
                             .servers()
                             .UpdateServerMetadata(call.rc, call.Param("id"),
                                                   {{key, meta[key].get<std::string>()}}, false)
                             .status());
  call.res.Json(200, {{"meta", meta}});
  return absl::OkStatus();
}

// DELETE /v2.1/servers/{id}/metadata/{key}
absl::Status DeleteMetadataItem(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers()
                             .servers()
                             .UpdateServerMetadata(call.rc, call.Param("id"),
                                                   {{call.Param("key"), std::nullopt}}, false)
                             .status());
  call.res.Empty(204);
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}/os-instance-actions
absl::Status ListInstanceActions(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto actions,
                          call.managers().servers().ListInstanceActions(call.rc, call.Param("id")));
  json list = json::array();
  for (const InstanceActionRecord& a : actions) list.push_back(ActionJson(a, false));
  call.res.Json(200, {{"instanceActions", list}});
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}/os-instance-actions/{request_id}
absl::Status ShowInstanceAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto a, call.managers().servers().GetInstanceAction(
                                      call.rc, call.Param("id"), call.Param("request_id")));
  call.res.Json(200, {{"instanceAction", ActionJson(a, true)}});
  return absl::OkStatus();
}

// POST (merge) and PUT (replace) /v2.1/servers/{id}/metadata.
absl::Status UpdateMetadata(Call& call, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(json m, BodyEntity(call.req, "metadata"));
  std::map<std::string, std::optional<std::string>> changes;
  http::JsonReader r(m, "metadata", /*open=*/true);
  for (const auto& [k, v] : m.items()) {
    std::string value;
    if (r.String(k.c_str(), &value)) changes[k] = std::move(value);
  }
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Instance i, call.managers().servers().UpdateServerMetadata(
                                          call.rc, call.Param("id"), changes, replace));
  call.res.Json(200, {{"metadata", i.metadata}});
  return absl::OkStatus();
}

}  // namespace

void RegisterServerRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/servers", [](Call& call) { return ListServers(call, false); });
  routes.Add("GET", "/v2.1/servers/detail", [](Call& call) { return ListServers(call, true); });

  routes.Add("POST", "/v2.1/servers", CreateServer);

  routes.Add("GET", "/v2.1/servers/{id}", ShowServer);

  routes.Add("PUT", "/v2.1/servers/{id}", UpdateServer);

  routes.Add("DELETE", "/v2.1/servers/{id}", DeleteServer);

  // ---- metadata ----
  routes.Add("GET", "/v2.1/servers/{id}/metadata", ListMetadata);
  routes.Add("POST", "/v2.1/servers/{id}/metadata",
             [](Call& call) { return UpdateMetadata(call, /*replace=*/false); });
  routes.Add("PUT", "/v2.1/servers/{id}/metadata",
             [](Call& call) { return UpdateMetadata(call, /*replace=*/true); });
  routes.Add("GET", "/v2.1/servers/{id}/metadata/{key}", ShowMetadataItem);
  routes.Add("PUT", "/v2.1/servers/{id}/metadata/{key}", SetMetadataItem);
  routes.Add("DELETE", "/v2.1/servers/{id}/metadata/{key}", DeleteMetadataItem);

  routes.Add("GET", "/v2.1/servers/{id}/os-instance-actions", ListInstanceActions);

  routes.Add("GET", "/v2.1/servers/{id}/os-instance-actions/{request_id}", ShowInstanceAction);
}

}  // namespace gureum::compute
