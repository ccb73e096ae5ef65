// /v2.1/servers: create, list (+detail), show, update, delete; instance actions.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

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
      if (!n.is_object()) {
        return absl::InvalidArgumentError(
            "Invalid input for field/attribute networks: each entry must be an object");
      }
      RequestedNetwork r;
      for (const char* key : {"uuid", "port", "fixed_ip"}) {
        if (n.contains(key) && !n[key].is_null() && !n[key].is_string()) {
          return absl::InvalidArgumentError(std::string("Invalid input for field/attribute ") +
                                            key + ": must be a string");
        }
      }
      if (n.contains("uuid") && n["uuid"].is_string()) r.network_id = n["uuid"];
      if (n.contains("port") && n["port"].is_string()) r.port_id = n["port"];
      if (n.contains("fixed_ip") && n["fixed_ip"].is_string()) r.fixed_ip = n["fixed_ip"];
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
      out.networks.push_back(std::move(r));
    }
    out.networks_given = !out.networks.empty();
  }
  if (s.contains("security_groups") && s["security_groups"].is_array()) {
    for (const json& g : s["security_groups"]) {
      if (g.is_object() && g.contains("name") && g["name"].is_string()) {
        out.security_groups.push_back(g["name"]);
      } else {
        return absl::InvalidArgumentError(
            "Invalid input for field/attribute security_groups: entries are {\"name\": ...}");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CreateServerRequest> DecodeCreate(const http::Request& req) {
  GUREUM_ASSIGN_OR_RETURN(json s, BodyEntity(req, "server"));
  CreateServerRequest out;
  GUREUM_ASSIGN_OR_RETURN(auto name, OptString(s, "name"));
  if (!name)
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute server. 'name' is a required property");
  out.name = *name;
  GUREUM_ASSIGN_OR_RETURN(auto image, OptString(s, "imageRef"));
  out.image_ref = image.value_or("");
  GUREUM_ASSIGN_OR_RETURN(auto flavor, OptString(s, "flavorRef"));
  if (!flavor) {
    if (s.contains("flavorRef") && s["flavorRef"].is_number_integer()) {
      flavor = std::to_string(s["flavorRef"].get<int64_t>());
    } else {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute server. 'flavorRef' is a required property");
    }
  }
  out.flavor_ref = *flavor;
  // Links are accepted for both refs, as Nova does: the last path segment is the id.
  for (std::string* ref : {&out.image_ref, &out.flavor_ref}) {
    if (auto slash = ref->rfind('/'); slash != std::string::npos) *ref = ref->substr(slash + 1);
  }
  GUREUM_ASSIGN_OR_RETURN(auto key, OptString(s, "key_name"));
  out.key_name = key.value_or("");
  GUREUM_ASSIGN_OR_RETURN(auto user_data, OptString(s, "user_data"));
  out.user_data = user_data.value_or("");
  GUREUM_ASSIGN_OR_RETURN(auto zone, OptString(s, "availability_zone"));
  out.availability_zone = zone.value_or("");
  GUREUM_ASSIGN_OR_RETURN(auto description, OptString(s, "description"));
  out.description = description.value_or("");
  if (s.contains("metadata") && !s["metadata"].is_null()) {
    if (!s["metadata"].is_object())
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute metadata: not an object");
    for (auto& [k, v] : s["metadata"].items()) {
      if (!v.is_string())
        return absl::InvalidArgumentError(
            "Invalid input for field/attribute metadata: values must be strings");
      out.metadata[k] = v.get<std::string>();
    }
  }
  GUREUM_ASSIGN_OR_RETURN(auto min_count, OptInt(s, "min_count"));
  GUREUM_ASSIGN_OR_RETURN(auto max_count, OptInt(s, "max_count"));
  out.min_count = static_cast<int>(min_count.value_or(1));
  out.max_count = static_cast<int>(max_count.value_or(out.min_count));
  if (out.max_count > 1000) return absl::InvalidArgumentError("max_count must be <= 1000");
  GUREUM_RETURN_IF_ERROR(DecodeNetworks(s, out));
  absl::StatusOr<json> body = req.JsonBody();
  for (const char* hints : {"OS-SCH-HNT:scheduler_hints", "os:scheduler_hints"}) {
    if (body->contains(hints) && (*body)[hints].is_object() && (*body)[hints].contains("group") &&
        (*body)[hints]["group"].is_string()) {
      out.server_group = (*body)[hints]["group"];
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
  if (auto v = req.Query("all_tenants")) {
    GUREUM_ASSIGN_OR_RETURN(f.all_projects, ParseBool("all_tenants", v->empty() ? "true" : *v));
  }
  if (call.managers().policy().IsAdmin(call.rc)) {
    if (auto v = req.Query("project_id")) f.project_id = *v;
    if (auto v = req.Query("tenant_id")) f.project_id = *v;
    if (!f.project_id.empty()) f.all_projects = true;
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
  if (auto v = req.Query("sort_key")) f.sort_key = *v;
  if (auto v = req.Query("sort_dir")) {
    if (*v != "asc" && *v != "desc") return absl::InvalidArgumentError("Invalid sort_dir " + *v);
    f.sort_desc = *v == "desc";
  }
  if (auto v = req.Query("marker")) f.marker = *v;
  f.limit = 0;
  if (auto v = req.Query("limit")) {
    if (!absl::SimpleAtoi(*v, &f.limit) || f.limit < 0) {
      return absl::InvalidArgumentError("limit param must be an integer >= 0");
    }
  }
  return f;
}

absl::Status ListServers(Call& call, bool detail) {
  GUREUM_ASSIGN_OR_RETURN(InstanceFilter f, DecodeFilter(call));
  const int asked = f.limit;
  GUREUM_ASSIGN_OR_RETURN(auto servers, call.managers().servers().ListServers(call.rc, f));
  if (detail)
    call.managers().servers().AddFloatingIps(call.rc, servers);  // the summary has no addresses
  json list = json::array();
  for (const Instance& i : servers) list.push_back(ServerJson(call, i, detail));
  json body = {{"servers", list}};
  if (asked > 0 && static_cast<int>(servers.size()) == asked) {
    body["servers_links"] = json::array(
        {{{"rel", "next"},
          {"href", call.Link(std::string("/servers") + (detail ? "/detail" : "") + "?limit=" +
                             std::to_string(asked) + "&marker=" + servers.back().uuid)}}});
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
  GUREUM_ASSIGN_OR_RETURN(CreateServerRequest req, DecodeCreate(call.req));
  GUREUM_ASSIGN_OR_RETURN(CreateServerResult created,
                          call.managers().servers().CreateServers(call.rc, req));
  absl::StatusOr<json> body = call.req.JsonBody();
  if ((*body)["server"].value("return_reservation_id", false)) {
    call.res.Json(202, {{"reservation_id", created.reservation_id}});
    return absl::OkStatus();
  }
  const Instance& first = created.instances.front();
  call.res.Json(202, {{"server",
                       {{"id", first.uuid},
                        {"links", Links(call, "servers", first.uuid)},
                        {"OS-DCF:diskConfig", "MANUAL"},
                        {"security_groups", SecurityGroupsJson(first)},
                        {"adminPass", ""}}}});
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
  GUREUM_ASSIGN_OR_RETURN(u.name, OptString(s, "name"));
  GUREUM_ASSIGN_OR_RETURN(u.description, OptString(s, "description"));
  GUREUM_ASSIGN_OR_RETURN(Instance i,
                          call.managers().servers().UpdateServer(call.rc, call.Param("id"), u));
  call.res.Json(200, {{"server", ServerJson(call, i, true)}});
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
  for (auto& [k, v] : m.items()) {
    if (!v.is_string())
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute metadata: values must be strings");
    changes[k] = v.get<std::string>();
  }
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
