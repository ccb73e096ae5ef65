// /v3/domains/{domain_id}/config[/{group}[/{option}]] and /v3/domains/config/.../default:
// Keystone's domain-specific configuration, kept and shown (extension_manager.h).
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

absl::StatusOr<json> ConfigBody(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  if (!body.is_object() || !body.contains("config") || !body["config"].is_object()) {
    return absl::InvalidArgumentError("'config' is a required property");
  }
  return body["config"];
}

std::string GroupParam(const Call& call) { return call.Param("group"); }
std::string OptionParam(const Call& call) { return call.Param("option"); }

absl::Status PutConfig(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json config, ConfigBody(call));
  bool created = false;
  GUREUM_ASSIGN_OR_RETURN(json stored, call.manager().extensions().SetDomainConfig(
                                           call.caller, call.Param("domain_id"), config, &created));
  call.res.Json(created ? 201 : 200, {{"config", stored}});
  return absl::OkStatus();
}

absl::Status GetConfig(Call& call, const std::string& group, const std::string& option) {
  GUREUM_ASSIGN_OR_RETURN(json config, call.manager().extensions().GetDomainConfig(
                                           call.caller, call.Param("domain_id"), group, option));
  call.res.Json(200, {{"config", config}});
  return absl::OkStatus();
}

absl::Status PatchConfig(Call& call, const std::string& group, const std::string& option) {
  GUREUM_ASSIGN_OR_RETURN(json patch, ConfigBody(call));
  GUREUM_ASSIGN_OR_RETURN(json config,
                          call.manager().extensions().UpdateDomainConfig(
                              call.caller, call.Param("domain_id"), group, option, patch));
  call.res.Json(200, {{"config", config}});
  return absl::OkStatus();
}

absl::Status DeleteConfig(Call& call, const std::string& group, const std::string& option) {
  GUREUM_RETURN_IF_ERROR(call.manager().extensions().DeleteDomainConfig(
      call.caller, call.Param("domain_id"), group, option));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status DefaultConfig(Call& call, const std::string& group, const std::string& option) {
  GUREUM_ASSIGN_OR_RETURN(
      json config, call.manager().extensions().DefaultDomainConfig(call.caller, group, option));
  call.res.Json(200, {{"config", config}});
  return absl::OkStatus();
}

}  // namespace

void RegisterDomainConfigRoutes(Routes& routes) {
  const std::string all = "/v3/domains/{domain_id}/config";
  const std::string group = all + "/{group}";
  const std::string option = group + "/{option}";
  routes.Authed("PUT", all, PutConfig);
  routes.Authed("GET", all, [](Call& c) { return GetConfig(c, "", ""); });
  routes.Authed("PATCH", all, [](Call& c) { return PatchConfig(c, "", ""); });
  routes.Authed("DELETE", all, [](Call& c) { return DeleteConfig(c, "", ""); });
  routes.Authed("GET", group, [](Call& c) { return GetConfig(c, GroupParam(c), ""); });
  routes.Authed("PATCH", group, [](Call& c) { return PatchConfig(c, GroupParam(c), ""); });
  routes.Authed("DELETE", group, [](Call& c) { return DeleteConfig(c, GroupParam(c), ""); });
  routes.Authed("GET", option, [](Call& c) { return GetConfig(c, GroupParam(c), OptionParam(c)); });
  routes.Authed("PATCH", option,
                [](Call& c) { return PatchConfig(c, GroupParam(c), OptionParam(c)); });
  routes.Authed("DELETE", option,
                [](Call& c) { return DeleteConfig(c, GroupParam(c), OptionParam(c)); });
  routes.Authed("GET", "/v3/domains/config/default",
                [](Call& c) { return DefaultConfig(c, "", ""); });
  routes.Authed("GET", "/v3/domains/config/{group}/default",
                [](Call& c) { return DefaultConfig(c, GroupParam(c), ""); });
  routes.Authed("GET", "/v3/domains/config/{group}/{option}/default",
                [](Call& c) { return DefaultConfig(c, GroupParam(c), OptionParam(c)); });
}

}  // namespace gureum::identity
