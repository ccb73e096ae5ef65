// What identity keeps without acting on it (extension_manager.h), in Keystone's shapes:
// /v3/policies, /v3/OS-OAUTH1/consumers, /v3/OS-EP-FILTER/endpoint_groups and
// /v3/domains/{domain_id}/config (+ /v3/domains/config/.../default).
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

json Collection(const Call& call, const std::string& path, const char* name, json items) {
  return {{name, std::move(items)},
          {"links", {{"self", call.Link(path)}, {"previous", nullptr}, {"next", nullptr}}}};
}

// ---- policies ----

json PolicyJson(const Call& call, const PolicyBlob& p) {
  return {{"id", p.id},
          {"type", p.type},
          {"blob", p.blob},
          {"links", {{"self", call.Link("/v3/policies/" + p.id)}}}};
}

absl::Status CreatePolicy(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "policy"));
  PolicyBlob p;
  http::JsonReader r(body, "policy", /*open=*/true);
  r.String("type", &p.type, kRequiredString);
  r.String("blob", &p.blob, kRequiredString);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(PolicyBlob created,
                          call.manager().extensions().CreatePolicy(call.caller, p));
  call.res.Json(201, {{"policy", PolicyJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListPolicies(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      auto list, call.manager().extensions().ListPolicies(call.caller, call.req.Query("type")));
  json items = json::array();
  for (const PolicyBlob& p : list) items.push_back(PolicyJson(call, p));
  call.res.Json(200, Collection(call, "/v3/policies", "policies", items));
  return absl::OkStatus();
}

absl::Status GetPolicy(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      PolicyBlob p, call.manager().extensions().GetPolicy(call.caller, call.Param("policy_id")));
  call.res.Json(200, {{"policy", PolicyJson(call, p)}});
  return absl::OkStatus();
}

absl::Status UpdatePolicy(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "policy"));
  PolicyBlobUpdate u;
  http::JsonReader r(body, "policy", /*open=*/true);
  r.OptionalString("type", &u.type, kNullable);
  r.OptionalString("blob", &u.blob, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(PolicyBlob p, call.manager().extensions().UpdatePolicy(
                                            call.caller, call.Param("policy_id"), u));
  call.res.Json(200, {{"policy", PolicyJson(call, p)}});
  return absl::OkStatus();
}

absl::Status DeletePolicy(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().extensions().DeletePolicy(call.caller, call.Param("policy_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- OAuth1 consumers ----

json ConsumerJson(const Call& call, const OAuthConsumer& c) {
  return {{"id", c.id},
          {"description", c.description},
          {"links", {{"self", call.Link("/v3/OS-OAUTH1/consumers/" + c.id)}}}};
}

absl::Status CreateConsumer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "consumer"));
  std::string description;
  http::JsonReader r(body, "consumer", /*open=*/true);
  r.String("description", &description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(CreatedOAuthConsumer created,
                          call.manager().extensions().CreateConsumer(call.caller, description));
  json out = ConsumerJson(call, created.consumer);
  out["secret"] = created.secret;
  call.res.Json(201, {{"consumer", out}});
  return absl::OkStatus();
}

absl::Status ListConsumers(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto list, call.manager().extensions().ListConsumers(call.caller));
  json items = json::array();
  for (const OAuthConsumer& c : list) items.push_back(ConsumerJson(call, c));
  call.res.Json(200, Collection(call, "/v3/OS-OAUTH1/consumers", "consumers", items));
  return absl::OkStatus();
}

absl::Status GetConsumer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(OAuthConsumer c, call.manager().extensions().GetConsumer(
                                               call.caller, call.Param("consumer_id")));
  call.res.Json(200, {{"consumer", ConsumerJson(call, c)}});
  return absl::OkStatus();
}

absl::Status UpdateConsumer(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "consumer"));
  std::string description;
  http::JsonReader r(body, "consumer", /*open=*/true);
  r.String("description", &description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(OAuthConsumer c,
                          call.manager().extensions().UpdateConsumer(
                              call.caller, call.Param("consumer_id"), description));
  call.res.Json(200, {{"consumer", ConsumerJson(call, c)}});
  return absl::OkStatus();
}

absl::Status DeleteConsumer(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().extensions().DeleteConsumer(call.caller, call.Param("consumer_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- endpoint groups ----

json EndpointGroupJson(const Call& call, const EndpointGroup& g) {
  json filters = json::object();
  for (const auto& [k, v] : g.filters) filters[k] = v;
  return {{"id", g.id},
          {"name", g.name},
          {"description", g.description},
          {"filters", filters},
          {"links", {{"self", call.Link("/v3/OS-EP-FILTER/endpoint_groups/" + g.id)}}}};
}

// "filters": {"service_id": ..., ...}; absent: nullopt.
absl::StatusOr<std::optional<std::vector<std::pair<std::string, std::string>>>> ReadFilters(
    const json& body) {
  auto it = body.find("filters");
  if (it == body.end()) return std::nullopt;
  if (!it->is_object()) return InvalidFieldError("filters", "must be an object");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return InvalidFieldError("filters", "values must be strings");
    out.push_back({k, v.get<std::string>()});
  }
  return out;
}

absl::Status CreateEndpointGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "endpoint_group"));
  EndpointGroup g;
  http::JsonReader r(body, "endpoint_group", /*open=*/true);
  r.String("name", &g.name, kRequiredString);
  r.String("description", &g.description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(auto filters, ReadFilters(body));
  if (!filters) return absl::InvalidArgumentError("'filters' is a required property");
  g.filters = *filters;
  GUREUM_ASSIGN_OR_RETURN(EndpointGroup created,
                          call.manager().extensions().CreateEndpointGroup(call.caller, g));
  call.res.Json(201, {{"endpoint_group", EndpointGroupJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListEndpointGroups(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto list, call.manager().extensions().ListEndpointGroups(call.caller));
  json items = json::array();
  for (const EndpointGroup& g : list) items.push_back(EndpointGroupJson(call, g));
  call.res.Json(200,
                Collection(call, "/v3/OS-EP-FILTER/endpoint_groups", "endpoint_groups", items));
  return absl::OkStatus();
}

absl::Status GetEndpointGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(EndpointGroup g, call.manager().extensions().GetEndpointGroup(
                                               call.caller, call.Param("endpoint_group_id")));
  call.res.Json(200, {{"endpoint_group", EndpointGroupJson(call, g)}});
  return absl::OkStatus();
}

absl::Status UpdateEndpointGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "endpoint_group"));
  EndpointGroupUpdate u;
  http::JsonReader r(body, "endpoint_group", /*open=*/true);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(u.filters, ReadFilters(body));
  GUREUM_ASSIGN_OR_RETURN(EndpointGroup g, call.manager().extensions().UpdateEndpointGroup(
                                               call.caller, call.Param("endpoint_group_id"), u));
  call.res.Json(200, {{"endpoint_group", EndpointGroupJson(call, g)}});
  return absl::OkStatus();
}

absl::Status DeleteEndpointGroup(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().extensions().DeleteEndpointGroup(
      call.caller, call.Param("endpoint_group_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterExtensionRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/policies", CreatePolicy);
  routes.Authed("GET", "/v3/policies", ListPolicies);
  routes.Authed("GET", "/v3/policies/{policy_id}", GetPolicy);
  routes.Authed("PATCH", "/v3/policies/{policy_id}", UpdatePolicy);
  routes.Authed("DELETE", "/v3/policies/{policy_id}", DeletePolicy);
  routes.Authed("POST", "/v3/OS-OAUTH1/consumers", CreateConsumer);
  routes.Authed("GET", "/v3/OS-OAUTH1/consumers", ListConsumers);
  routes.Authed("GET", "/v3/OS-OAUTH1/consumers/{consumer_id}", GetConsumer);
  routes.Authed("PATCH", "/v3/OS-OAUTH1/consumers/{consumer_id}", UpdateConsumer);
  routes.Authed("DELETE", "/v3/OS-OAUTH1/consumers/{consumer_id}", DeleteConsumer);
  routes.Authed("POST", "/v3/OS-EP-FILTER/endpoint_groups", CreateEndpointGroup);
  routes.Authed("GET", "/v3/OS-EP-FILTER/endpoint_groups", ListEndpointGroups);
  routes.Authed("GET", "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}", GetEndpointGroup);
  routes.Authed("PATCH", "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}",
                UpdateEndpointGroup);
  routes.Authed("DELETE", "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}",
                DeleteEndpointGroup);
  RegisterDomainConfigRoutes(routes);
}

}  // namespace gureum::identity
