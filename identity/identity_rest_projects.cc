// /v3/domains and /v3/projects (with tags).
#include <algorithm>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

// ---- domains ----

absl::Status CreateDomain(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "domain"));
  Domain d;
  std::optional<bool> enabled;
  http::JsonReader r(body, "domain", /*open=*/true);
  r.String("name", &d.name, kRequiredString);
  r.String("id", &d.id, kNullable);
  r.String("description", &d.description, kNullable);
  r.OptionalBool("enabled", &enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  d.enabled = enabled.value_or(true);
  GUREUM_ASSIGN_OR_RETURN(Domain created, call.manager().projects().CreateDomain(call.caller, d));
  call.res.Json(201, {{"domain", DomainJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListDomains(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  GUREUM_ASSIGN_OR_RETURN(auto domains, call.manager().projects().ListDomains(call.caller, filter));
  call.res.Json(200, EncodeList(call, "domains", domains, filter, DomainJson));
  return absl::OkStatus();
}

absl::Status GetDomain(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      Domain d, call.manager().projects().GetDomain(call.caller, call.Param("domain_id")));
  call.res.Json(200, {{"domain", DomainJson(call, d)}});
  return absl::OkStatus();
}

absl::Status UpdateDomain(Call& call) {
  const std::string& id = call.Param("domain_id");
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "domain"));
  DomainUpdate u;
  http::JsonReader r(body, "domain", /*open=*/true);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  r.OptionalBool("enabled", &u.enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Domain d, call.manager().projects().UpdateDomain(call.caller, id, u));
  call.res.Json(200, {{"domain", DomainJson(call, d)}});
  return absl::OkStatus();
}

absl::Status DeleteDomain(Call& call) {
  const std::string& id = call.Param("domain_id");
  GUREUM_RETURN_IF_ERROR(call.manager().projects().DeleteDomain(call.caller, id));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- projects ----

// A domain shown as a project acting as a domain (Keystone's is_domain projects): the
// /v3/projects calls reach domains through these.
json DomainAsProjectJson(const Call& call, const Domain& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"domain_id", nullptr},
          {"parent_id", nullptr},
          {"description", d.description},
          {"enabled", d.enabled},
          {"is_domain", true},
          {"tags", json::array()},
          {"options", json::object()},
          {"links", {{"self", call.Link("/v3/projects/" + d.id)}}}};
}

absl::Status CreateDomainAsProject(Call& call, const Project& p) {
  if (!p.domain_id.empty() || !p.parent_id.empty()) {
    return InvalidFieldError("is_domain", "a project acting as a domain has no domain or parent");
  }
  Domain d;
  d.name = p.name;
  d.description = p.description;
  d.enabled = p.enabled;
  GUREUM_ASSIGN_OR_RETURN(Domain created, call.manager().projects().CreateDomain(call.caller, d));
  call.res.Json(201, {{"project", DomainAsProjectJson(call, created)}});
  return absl::OkStatus();
}

// `s` when it is not a NotFound or when `id` names no domain the caller may see; else
// nullopt: the caller then treats `id` as a domain.
std::optional<absl::Status> UnlessDomain(Call& call, const absl::Status& s, const std::string& id) {
  if (!absl::IsNotFound(s) || !call.manager().projects().GetDomain(call.caller, id).ok()) {
    return s;
  }
  return std::nullopt;
}

absl::Status CreateProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "project"));
  Project p;
  std::optional<bool> enabled, is_domain;
  std::optional<std::vector<std::string>> tags;
  http::JsonReader r(body, "project", /*open=*/true);
  r.String("name", &p.name, kRequiredString);
  r.String("domain_id", &p.domain_id, kNullable);  // "": the manager defaults it
  r.String("parent_id", &p.parent_id, kNullable);
  r.String("description", &p.description, kNullable);
  r.OptionalBool("enabled", &enabled);
  r.OptionalBool("is_domain", &is_domain);
  r.OptionalStringList("tags", &tags);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  p.enabled = enabled.value_or(true);
  if (is_domain.value_or(false)) return CreateDomainAsProject(call, p);
  p.tags = tags.value_or(std::vector<std::string>{});
  GUREUM_ASSIGN_OR_RETURN(Project created, call.manager().projects().CreateProject(call.caller, p));
  call.res.Json(201, {{"project", ProjectJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListProjects(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  if (auto is_domain = call.req.Query("is_domain")) {
    GUREUM_ASSIGN_OR_RETURN(bool domains, ParseBoolQuery("is_domain", *is_domain));
    if (domains) {
      ListFilter by;
      by.name = filter.name;
      by.enabled = filter.enabled;
      by.page = filter.page;
      GUREUM_ASSIGN_OR_RETURN(auto list, call.manager().projects().ListDomains(call.caller, by));
      call.res.Json(200, EncodeList(call, "projects", list, by, DomainAsProjectJson));
      return absl::OkStatus();
    }
  }
  // A domain-scoped token lists its own domain.
  if (!filter.domain_id && !call.caller.scope_domain_id.empty()) {
    filter.domain_id = call.caller.scope_domain_id;
  }
  // Keystone shows a top-level project's parent as its domain.
  if (filter.parent_id && filter.domain_id && *filter.parent_id == *filter.domain_id) {
    filter.parent_id = "";
  }
  GUREUM_ASSIGN_OR_RETURN(auto projects,
                          call.manager().projects().ListProjects(call.caller, filter));
  call.res.Json(200, EncodeList(call, "projects", projects, filter, ProjectJson));
  return absl::OkStatus();
}

absl::Status GetProject(Call& call) {
  const std::string& id = call.Param("project_id");
  absl::StatusOr<Project> p = call.manager().projects().GetProject(call.caller, id);
  if (!p.ok()) {
    if (auto s = UnlessDomain(call, p.status(), id)) return *s;
    GUREUM_ASSIGN_OR_RETURN(Domain d, call.manager().projects().GetDomain(call.caller, id));
    call.res.Json(200, {{"project", DomainAsProjectJson(call, d)}});
    return absl::OkStatus();
  }
  call.res.Json(200, {{"project", ProjectJson(call, *p)}});
  return absl::OkStatus();
}

absl::Status UpdateProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "project"));
  ProjectUpdate u;
  http::JsonReader r(body, "project", /*open=*/true);
  r.OptionalString("domain_id", &u.domain_id, kNullable);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  r.OptionalBool("enabled", &u.enabled);
  r.OptionalStringList("tags", &u.tags);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  const std::string& id = call.Param("project_id");
  absl::StatusOr<Project> updated = call.manager().projects().UpdateProject(call.caller, id, u);
  if (!updated.ok()) {
    if (auto s = UnlessDomain(call, updated.status(), id)) return *s;
    DomainUpdate du{u.name, u.description, u.enabled};
    GUREUM_ASSIGN_OR_RETURN(Domain d, call.manager().projects().UpdateDomain(call.caller, id, du));
    call.res.Json(200, {{"project", DomainAsProjectJson(call, d)}});
    return absl::OkStatus();
  }
  call.res.Json(200, {{"project", ProjectJson(call, *updated)}});
  return absl::OkStatus();
}

absl::Status DeleteProject(Call& call) {
  const std::string& id = call.Param("project_id");
  absl::Status s = call.manager().projects().DeleteProject(call.caller, id);
  if (!s.ok()) {
    if (auto other = UnlessDomain(call, s, id)) return *other;
    GUREUM_RETURN_IF_ERROR(call.manager().projects().DeleteDomain(call.caller, id));
  }
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- project tags ----

absl::Status ListTags(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      Project p, call.manager().projects().GetProjectTags(call.caller, call.Param("project_id")));
  call.res.Json(200, {{"tags", p.tags}});
  return absl::OkStatus();
}

absl::Status ReplaceTags(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  std::optional<std::vector<std::string>> tags;
  http::JsonReader r(body, "tags", /*open=*/true);
  r.OptionalStringList("tags", &tags);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!tags) return absl::InvalidArgumentError("'tags' is a required property");
  GUREUM_ASSIGN_OR_RETURN(Project updated, call.manager().projects().SetProjectTags(
                                               call.caller, call.Param("project_id"), *tags));
  call.res.Json(200, {{"tags", updated.tags}});
  return absl::OkStatus();
}

absl::Status DeleteAllTags(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().projects().SetProjectTags(call.caller, call.Param("project_id"), {}).status());
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status CheckTag(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      Project p, call.manager().projects().GetProjectTags(call.caller, call.Param("project_id")));
  const std::string& tag = call.Param("tag");
  if (std::find(p.tags.begin(), p.tags.end(), tag) == p.tags.end()) {
    return NotFoundError("project tag", tag);
  }
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status AddTag(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().projects().AddProjectTag(
      call.caller, call.Param("project_id"), call.Param("tag")));
  call.res.Empty(201);
  return absl::OkStatus();
}

absl::Status DeleteTag(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().projects().RemoveProjectTag(
      call.caller, call.Param("project_id"), call.Param("tag")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterProjectRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/domains", CreateDomain);
  routes.Authed("GET", "/v3/domains", ListDomains);
  routes.Authed("GET", "/v3/domains/{domain_id}", GetDomain);
  routes.Authed("PATCH", "/v3/domains/{domain_id}", UpdateDomain);
  routes.Authed("DELETE", "/v3/domains/{domain_id}", DeleteDomain);

  routes.Authed("POST", "/v3/projects", CreateProject);
  routes.Authed("GET", "/v3/projects", ListProjects);
  routes.Authed("GET", "/v3/projects/{project_id}", GetProject);
  routes.Authed("PATCH", "/v3/projects/{project_id}", UpdateProject);
  routes.Authed("DELETE", "/v3/projects/{project_id}", DeleteProject);
  routes.Authed("GET", "/v3/projects/{project_id}/tags", ListTags);
  routes.Authed("PUT", "/v3/projects/{project_id}/tags", ReplaceTags);
  routes.Authed("DELETE", "/v3/projects/{project_id}/tags", DeleteAllTags);
  routes.Authed("GET", "/v3/projects/{project_id}/tags/{tag}", CheckTag);
  routes.Authed("PUT", "/v3/projects/{project_id}/tags/{tag}", AddTag);
  routes.Authed("DELETE", "/v3/projects/{project_id}/tags/{tag}", DeleteTag);
}

}  // namespace gureum::identity
