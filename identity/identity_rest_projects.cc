// /v3/domains and /v3/projects (with tags).
#include <algorithm>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

// ---- domains ----

absl::Status CreateDomain(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:create_domain"));
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "domain"));
  Domain d;
  GUREUM_ASSIGN_OR_RETURN(d.name, ReqString(body, "name"));
  std::optional<std::string> id, description;
  std::optional<bool> enabled;
  GUREUM_RETURN_IF_ERROR(OptString(body, "id", id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", enabled));
  d.id = id.value_or("");
  d.description = description.value_or("");
  d.enabled = enabled.value_or(true);
  GUREUM_ASSIGN_OR_RETURN(Domain created, call.manager().projects().CreateDomain(d));
  call.res.Json(201, {{"domain", DomainJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListDomains(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:list_domains"));
  GUREUM_ASSIGN_OR_RETURN(auto domains, call.manager().projects().ListDomains(filter));
  call.res.Json(200, EncodeList(call, "domains", domains, filter, DomainJson));
  return absl::OkStatus();
}

absl::Status GetDomain(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Domain d, call.manager().projects().GetDomain(call.Param("domain_id")));
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:get_domain", DomainTarget(d.id)));
  call.res.Json(200, {{"domain", DomainJson(call, d)}});
  return absl::OkStatus();
}

absl::Status UpdateDomain(Call& call) {
  const std::string& id = call.Param("domain_id");
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:update_domain", DomainTarget(id)));
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "domain"));
  DomainUpdate u;
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", u.name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", u.description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", u.enabled));
  GUREUM_ASSIGN_OR_RETURN(Domain d, call.manager().projects().UpdateDomain(id, u));
  call.res.Json(200, {{"domain", DomainJson(call, d)}});
  return absl::OkStatus();
}

absl::Status DeleteDomain(Call& call) {
  const std::string& id = call.Param("domain_id");
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:delete_domain", DomainTarget(id)));
  GUREUM_RETURN_IF_ERROR(call.manager().projects().DeleteDomain(id));
  call.ctx.ForgetAdminProject();
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- projects ----

// The project named in the path, if the caller may act on it with `rule`.
absl::StatusOr<Project> AuthorizedProject(Call& call, const std::string& rule) {
  GUREUM_ASSIGN_OR_RETURN(Project p,
                          call.manager().projects().GetProject(call.Param("project_id")));
  GUREUM_RETURN_IF_ERROR(call.Enforce(rule, ProjectTarget(p)));
  return p;
}

absl::Status CreateProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "project"));
  Project p;
  GUREUM_ASSIGN_OR_RETURN(p.name, ReqString(body, "name"));
  std::optional<std::string> domain_id, parent_id, description;
  std::optional<bool> enabled, is_domain;
  std::optional<std::vector<std::string>> tags;
  GUREUM_RETURN_IF_ERROR(OptString(body, "domain_id", domain_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "parent_id", parent_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", enabled));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "is_domain", is_domain));
  GUREUM_RETURN_IF_ERROR(OptStringList(body, "tags", tags));
  if (is_domain.value_or(false)) return InvalidFieldError("is_domain", "must be false");
  p.parent_id = parent_id.value_or("");
  // The domain: as given, else the parent's, else the caller's domain scope, else default.
  if (domain_id) {
    p.domain_id = *domain_id;
  } else if (!p.parent_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(Project parent, call.manager().projects().GetProject(p.parent_id));
    p.domain_id = parent.domain_id;
  } else {
    p.domain_id =
        call.caller.scope_domain_id.empty() ? kDefaultDomainId : call.caller.scope_domain_id;
  }
  if (p.parent_id == p.domain_id) p.parent_id.clear();  // Keystone's "parent is the domain"
  p.description = description.value_or("");
  p.enabled = enabled.value_or(true);
  p.tags = tags.value_or(std::vector<std::string>{});
  GUREUM_RETURN_IF_ERROR(call.Enforce("identity:create_project", DomainTarget(p.domain_id)));
  GUREUM_ASSIGN_OR_RETURN(Project created, call.manager().projects().CreateProject(p));
  call.res.Json(201, {{"project", ProjectJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListProjects(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  // A domain-scoped token lists its own domain.
  if (!filter.domain_id && !call.caller.scope_domain_id.empty()) {
    filter.domain_id = call.caller.scope_domain_id;
  }
  // Keystone shows a top-level project's parent as its domain.
  if (filter.parent_id && filter.domain_id && *filter.parent_id == *filter.domain_id) {
    filter.parent_id = "";
  }
  GUREUM_RETURN_IF_ERROR(
      call.Enforce("identity:list_projects", DomainTarget(filter.domain_id.value_or(""))));
  GUREUM_ASSIGN_OR_RETURN(auto projects, call.manager().projects().ListProjects(filter));
  call.res.Json(200, EncodeList(call, "projects", projects, filter, ProjectJson));
  return absl::OkStatus();
}

absl::Status GetProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:get_project"));
  call.res.Json(200, {{"project", ProjectJson(call, p)}});
  return absl::OkStatus();
}

absl::Status UpdateProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:update_project"));
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "project"));
  std::optional<std::string> domain_id;
  GUREUM_RETURN_IF_ERROR(OptString(body, "domain_id", domain_id));
  if (domain_id && *domain_id != p.domain_id) {
    return InvalidFieldError("domain_id", "cannot change the domain of a project");
  }
  ProjectUpdate u;
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", u.name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", u.description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", u.enabled));
  GUREUM_RETURN_IF_ERROR(OptStringList(body, "tags", u.tags));
  GUREUM_ASSIGN_OR_RETURN(Project updated, call.manager().projects().UpdateProject(p.id, u));
  if (u.name) call.ctx.ForgetAdminProject();
  call.res.Json(200, {{"project", ProjectJson(call, updated)}});
  return absl::OkStatus();
}

absl::Status DeleteProject(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:delete_project"));
  GUREUM_RETURN_IF_ERROR(call.manager().projects().DeleteProject(p.id));
  call.ctx.ForgetAdminProject();
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- project tags ----

absl::Status ListTags(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:list_project_tags"));
  call.res.Json(200, {{"tags", p.tags}});
  return absl::OkStatus();
}

absl::Status ReplaceTags(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:update_project_tags"));
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  ProjectUpdate u;
  GUREUM_RETURN_IF_ERROR(OptStringList(body, "tags", u.tags));
  if (!u.tags) return absl::InvalidArgumentError("'tags' is a required property");
  GUREUM_ASSIGN_OR_RETURN(Project updated, call.manager().projects().UpdateProject(p.id, u));
  call.res.Json(200, {{"tags", updated.tags}});
  return absl::OkStatus();
}

absl::Status DeleteAllTags(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:update_project_tags"));
  ProjectUpdate u;
  u.tags = std::vector<std::string>{};
  GUREUM_RETURN_IF_ERROR(call.manager().projects().UpdateProject(p.id, u).status());
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status CheckTag(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:list_project_tags"));
  const std::string& tag = call.Param("tag");
  if (std::find(p.tags.begin(), p.tags.end(), tag) == p.tags.end()) {
    return NotFoundError("project tag", tag);
  }
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status AddTag(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:update_project_tags"));
  const std::string& tag = call.Param("tag");
  if (std::find(p.tags.begin(), p.tags.end(), tag) == p.tags.end()) {
    ProjectUpdate u;
    u.tags = p.tags;
    u.tags->push_back(tag);
    GUREUM_RETURN_IF_ERROR(call.manager().projects().UpdateProject(p.id, u).status());
  }
  call.res.Empty(201);
  return absl::OkStatus();
}

absl::Status DeleteTag(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Project p, AuthorizedProject(call, "identity:update_project_tags"));
  const std::string& tag = call.Param("tag");
  auto it = std::find(p.tags.begin(), p.tags.end(), tag);
  if (it == p.tags.end()) return NotFoundError("project tag", tag);
  ProjectUpdate u;
  u.tags = p.tags;
  u.tags->erase(u.tags->begin() + (it - p.tags.begin()));
  GUREUM_RETURN_IF_ERROR(call.manager().projects().UpdateProject(p.id, u).status());
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterProjectRoutes(RestContext& ctx, http::Server& server) {
  AddRoute(ctx, server, "POST", "/v3/domains", CreateDomain);
  AddRoute(ctx, server, "GET", "/v3/domains", ListDomains);
  AddRoute(ctx, server, "GET", "/v3/domains/{domain_id}", GetDomain);
  AddRoute(ctx, server, "PATCH", "/v3/domains/{domain_id}", UpdateDomain);
  AddRoute(ctx, server, "DELETE", "/v3/domains/{domain_id}", DeleteDomain);

  AddRoute(ctx, server, "POST", "/v3/projects", CreateProject);
  AddRoute(ctx, server, "GET", "/v3/projects", ListProjects);
  AddRoute(ctx, server, "GET", "/v3/projects/{project_id}", GetProject);
  AddRoute(ctx, server, "PATCH", "/v3/projects/{project_id}", UpdateProject);
  AddRoute(ctx, server, "DELETE", "/v3/projects/{project_id}", DeleteProject);
  AddRoute(ctx, server, "GET", "/v3/projects/{project_id}/tags", ListTags);
  AddRoute(ctx, server, "PUT", "/v3/projects/{project_id}/tags", ReplaceTags);
  AddRoute(ctx, server, "DELETE", "/v3/projects/{project_id}/tags", DeleteAllTags);
  AddRoute(ctx, server, "GET", "/v3/projects/{project_id}/tags/{tag}", CheckTag);
  AddRoute(ctx, server, "PUT", "/v3/projects/{project_id}/tags/{tag}", AddTag);
  AddRoute(ctx, server, "DELETE", "/v3/projects/{project_id}/tags/{tag}", DeleteTag);
}

}  // namespace gureum::identity
