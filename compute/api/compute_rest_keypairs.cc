// /v2.1/os-keypairs, /os-server-groups, /os-quota-sets and /limits.
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

std::string UserParam(const Call& call) { return call.req.Query("user_id").value_or(""); }

json QuotaDetailJson(const std::string& project, const QuotaLimits& q, const QuotaUsage& u) {
  json j = QuotaSetJson(project, q);
  auto used = [&](const std::string& k) -> int64_t {
    if (k == "instances") return u.instances;
    if (k == "cores") return u.cores;
    if (k == "ram") return u.ram;
    if (k == "key_pairs") return u.key_pairs;
    if (k == "server_groups") return u.server_groups;
    return 0;
  };
  for (auto& [k, v] : j.items()) {
    if (k == "id") continue;
    v = {{"limit", v}, {"in_use", used(k)}, {"reserved", 0}};
  }
  return j;
}

// GET /v2.1/os-keypairs
absl::Status ListKeypairs(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto keys,
                          call.managers().keypairs().ListKeypairs(call.rc, UserParam(call)));
  json list = json::array();
  for (const Keypair& k : keys)
    list.push_back({{"keypair", KeypairJson(k, false, call.version.AtLeast(2))}});
  call.res.Json(200, {{"keypairs", list}});
  return absl::OkStatus();
}

// POST /v2.1/os-keypairs
absl::Status CreateKeypair(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json k, BodyEntity(call.req, "keypair"));
  std::string name, public_key, user;
  std::optional<std::string> type;
  http::JsonReader r(k, "keypair", /*open=*/true);
  r.String("name", &name, {.required = true});
  r.String("public_key", &public_key, kNullable);
  r.OptionalString("type", &type, kNullable);
  r.String("user_id", &user, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(auto created, call.managers().keypairs().CreateKeypair(
                                            call.rc, name, public_key, type.value_or("ssh"), user));
  json out = KeypairJson(created.keypair, false, call.version.AtLeast(2));
  out["user_id"] = created.keypair.user_id;
  if (!created.private_key.empty()) out["private_key"] = created.private_key;
  call.res.Json(call.version.AtLeast(2) ? 201 : 200, {{"keypair", out}});
  return absl::OkStatus();
}

// GET /v2.1/os-keypairs/{name}
absl::Status ShowKeypair(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Keypair k, call.managers().keypairs().GetKeypair(
                                         call.rc, call.Param("name"), UserParam(call)));
  call.res.Json(200, {{"keypair", KeypairJson(k, true, call.version.AtLeast(2))}});
  return absl::OkStatus();
}

// DELETE /v2.1/os-keypairs/{name}
absl::Status DeleteKeypair(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.managers().keypairs().DeleteKeypair(call.rc, call.Param("name"), UserParam(call)));
  call.res.Empty(call.version.AtLeast(2) ? 204 : 202);
  return absl::OkStatus();
}

// GET /v2.1/os-server-groups
absl::Status ListServerGroups(Call& call) {
  bool all = false;
  if (auto v = call.req.Query("all_projects")) {
    GUREUM_ASSIGN_OR_RETURN(all, http::ParseBool(v->empty() ? "true" : *v, "all_projects"));
  }
  GUREUM_ASSIGN_OR_RETURN(auto groups, call.managers().groups().ListServerGroups(call.rc, all));
  json list = json::array();
  for (const ServerGroup& g : groups) list.push_back(ServerGroupJson(call, g));
  call.res.Json(200, {{"server_groups", list}});
  return absl::OkStatus();
}

// POST /v2.1/os-server-groups
absl::Status CreateServerGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json g, BodyEntity(call.req, "server_group"));
  std::string name;
  std::optional<std::string> policy;
  std::vector<std::string> policies;
  std::optional<int64_t> max_per_host;
  http::JsonReader r(g, "server_group", /*open=*/true);
  r.String("name", &name, kNullable);
  r.OptionalString("policy", &policy, kNullable);
  // Before 2.64 a list of one policy.
  if (r.StringList("policies", &policies) && !policy && policies.size() == 1) policy = policies[0];
  if (!policy) r.Fail("policies", "it is required");
  const json* rules = nullptr;
  if (r.Object("rules", &rules, /*nullable=*/true) && rules != nullptr) {
    http::JsonReader rr(*rules, "rules", /*open=*/true);
    OptionalInt(rr, *rules, "max_server_per_host", &max_per_host);
    if (absl::Status s = rr.Finish(); !s.ok()) r.Fail("rules", "max_server_per_host is an integer");
  }
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!call.version.AtLeast(15) &&
      (*policy == "soft-affinity" || *policy == "soft-anti-affinity")) {
    return absl::InvalidArgumentError("Invalid input for field/attribute policies: '" + *policy +
                                      "' needs microversion 2.15");
  }
  GUREUM_ASSIGN_OR_RETURN(ServerGroup created,
                          call.managers().groups().CreateServerGroup(
                              call.rc, name, *policy, static_cast<int>(max_per_host.value_or(0))));
  call.res.Json(200, {{"server_group", ServerGroupJson(call, created)}});
  return absl::OkStatus();
}

// GET /v2.1/os-server-groups/{id}
absl::Status ShowServerGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ServerGroup g,
                          call.managers().groups().GetServerGroup(call.rc, call.Param("id")));
  call.res.Json(200, {{"server_group", ServerGroupJson(call, g)}});
  return absl::OkStatus();
}

// DELETE /v2.1/os-server-groups/{id}
absl::Status DeleteServerGroup(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers().groups().DeleteServerGroup(call.rc, call.Param("id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// GET /v2.1/os-quota-sets/{project}
absl::Status ShowQuotaSet(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits q,
                          call.managers().quotas().GetQuotas(call.rc, call.Param("project")));
  call.res.Json(200, {{"quota_set", QuotaSetJson(call.Param("project"), q)}});
  return absl::OkStatus();
}

// GET /v2.1/os-quota-sets/{project}/defaults: the quota class "default" over [quota].
absl::Status ShowQuotaDefaults(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits defaults, call.managers().quota_classes().Defaults());
  call.res.Json(200, {{"quota_set", QuotaSetJson(call.Param("project"), defaults)}});
  return absl::OkStatus();
}

// GET /v2.1/os-quota-sets/{project}/detail
absl::Status ShowQuotaDetail(Call& call) {
  const std::string& project = call.Param("project");
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits q, call.managers().quotas().GetQuotas(call.rc, project));
  GUREUM_ASSIGN_OR_RETURN(QuotaUsage u, call.managers().quotas().GetQuotaUsage(call.rc, project));
  call.res.Json(200, {{"quota_set", QuotaDetailJson(project, q, u)}});
  return absl::OkStatus();
}

// PUT /v2.1/os-quota-sets/{project}
absl::Status UpdateQuotaSet(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "quota_set"));
  std::map<std::string, int64_t> limits;
  http::JsonReader r(body, "quota_set", /*open=*/true);
  for (const auto& [k, v] : body.items()) {
    if (k == "force" || k == "id") continue;
    std::optional<int64_t> n;
    if (OptionalInt(r, body, k.c_str(), &n, INT64_MIN, INT64_MAX)) limits[k] = *n;
  }
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(
      QuotaLimits q, call.managers().quotas().UpdateQuotas(call.rc, call.Param("project"), limits));
  json out = QuotaSetJson(call.Param("project"), q);
  out.erase("id");
  call.res.Json(200, {{"quota_set", out}});
  return absl::OkStatus();
}

// DELETE /v2.1/os-quota-sets/{project}
absl::Status DeleteQuotaSet(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers().quotas().ResetQuotas(call.rc, call.Param("project")));
  call.res.Empty(202);
  return absl::OkStatus();
}

// GET /v2.1/limits
absl::Status ShowLimits(Call& call) {
  std::string project = call.rc.caller.project_id;
  if (auto p = call.req.Query("tenant_id"); p && call.managers().policy().IsAdmin(call.rc))
    project = *p;
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits q, call.managers().quotas().GetQuotas(call.rc, project));
  GUREUM_ASSIGN_OR_RETURN(QuotaUsage u, call.managers().quotas().GetQuotaUsage(call.rc, project));
  call.res.Json(200, {{"limits",
                       {{"rate", json::array()},
                        {"absolute",
                         {{"maxTotalInstances", q.instances},
                          {"maxTotalCores", q.cores},
                          {"maxTotalRAMSize", q.ram},
                          {"maxTotalKeypairs", q.key_pairs},
                          {"maxServerMeta", q.metadata_items},
                          {"maxServerGroups", q.server_groups},
                          {"maxServerGroupMembers", q.server_group_members},
                          {"maxPersonality", q.injected_files},
                          {"maxPersonalitySize", q.injected_file_content_bytes},
                          {"maxImageMeta", 128},
                          {"maxSecurityGroups", q.security_groups},
                          {"maxSecurityGroupRules", q.security_group_rules},
                          {"maxTotalFloatingIps", q.floating_ips},
                          {"totalInstancesUsed", u.instances},
                          {"totalCoresUsed", u.cores},
                          {"totalRAMUsed", u.ram},
                          {"totalServerGroupsUsed", u.server_groups},
                          {"totalFloatingIpsUsed", 0},
                          {"totalSecurityGroupsUsed", 0}}}}}});
  return absl::OkStatus();
}

}  // namespace

void RegisterKeypairRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-keypairs", ListKeypairs);
  routes.Add("POST", "/v2.1/os-keypairs", CreateKeypair);
  routes.Add("GET", "/v2.1/os-keypairs/{name}", ShowKeypair);
  routes.Add("DELETE", "/v2.1/os-keypairs/{name}", DeleteKeypair);

  // ---- server groups ----
  routes.Add("GET", "/v2.1/os-server-groups", ListServerGroups);
  routes.Add("POST", "/v2.1/os-server-groups", CreateServerGroup);
  routes.Add("GET", "/v2.1/os-server-groups/{id}", ShowServerGroup);
  routes.Add("DELETE", "/v2.1/os-server-groups/{id}", DeleteServerGroup);

  // ---- quotas ----
  routes.Add("GET", "/v2.1/os-quota-sets/{project}", ShowQuotaSet);
  routes.Add("GET", "/v2.1/os-quota-sets/{project}/defaults", ShowQuotaDefaults);
  routes.Add("GET", "/v2.1/os-quota-sets/{project}/detail", ShowQuotaDetail);
  routes.Add("PUT", "/v2.1/os-quota-sets/{project}", UpdateQuotaSet);
  routes.Add("DELETE", "/v2.1/os-quota-sets/{project}", DeleteQuotaSet);
  routes.Add("GET", "/v2.1/limits", ShowLimits);
}

}  // namespace gureum::compute
