// Request decoding and Keystone v3 JSON encoding for the identity REST adapter.
#include <cstring>
#include <limits>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/http/query.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {

// ---- decoding ----

absl::StatusOr<json> BodyEntity(const http::Request& req, const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(json body, req.JsonBody());
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat("'", key, "' is a required property"));
  }
  if (!it->is_object()) return InvalidFieldError(key, "must be an object");
  return *it;
}

absl::StatusOr<bool> ParseBoolQuery(const std::string& field, const std::string& value) {
  // Keystone's one rule beyond the kit's: a bare key (?enabled) is true.
  if (value.empty()) return true;
  return http::ParseBool(value, field);
}

absl::StatusOr<ListFilter> ParseListFilter(const http::Request& req) {
  ListFilter f;
  f.name = req.Query("name");
  f.domain_id = req.Query("domain_id");
  f.parent_id = req.Query("parent_id");
  f.type = req.Query("type");
  f.service_id = req.Query("service_id");
  f.interface = req.Query("interface");
  f.region_id = req.Query("region_id");
  if (!f.region_id) f.region_id = req.Query("region");
  if (auto enabled = req.Query("enabled")) {
    GUREUM_ASSIGN_OR_RETURN(f.enabled, ParseBoolQuery("enabled", *enabled));
  }
  f.page.marker = req.Query("marker").value_or("");
  GUREUM_ASSIGN_OR_RETURN(std::optional<int64_t> limit,
                          http::QueryInteger(req, "limit", 0, std::numeric_limits<int>::max()));
  f.page.limit = static_cast<int>(limit.value_or(0));
  return f;
}

// ISO 8601 as Keystone accepts it: "2026-01-01T00:00:00", with fractions, Z or an offset.
absl::StatusOr<absl::Time> ParseExpiry(const std::string& text) {
  for (const char* format :
       {"%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*S"}) {
    absl::Time t;
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &t, nullptr)) return t;
  }
  return InvalidFieldError("expires_at", "must be an ISO 8601 time");
}

// "roles": [{"id"} or {"name"}, ...]; absent or null: none.
absl::StatusOr<std::vector<RoleRef>> ParseRoles(const json& body) {
  std::vector<RoleRef> roles;
  auto it = body.find("roles");
  if (it == body.end() || it->is_null()) return roles;
  if (!it->is_array()) return InvalidFieldError("roles", "must be a list of {id or name}");
  for (const json& r : *it) {
    if (!r.is_object()) return InvalidFieldError("roles", "must be a list of {id or name}");
    std::optional<std::string> id, name;
    http::JsonReader role(r, "role", /*open=*/true);
    role.OptionalString("id", &id, kNullable);
    role.OptionalString("name", &name, kNullable);
    GUREUM_RETURN_IF_ERROR(role.Finish());
    if (!id && !name) return InvalidFieldError("roles", "each role needs an id or a name");
    roles.push_back({id.value_or(""), name.value_or("")});
  }
  return roles;
}

// ---- encoding ----

std::string KeystoneTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

json TimeOrNull(const std::optional<absl::Time>& t) {
  return t ? json(KeystoneTime(*t)) : json(nullptr);
}

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json ListEnvelope(const Call& call, const std::string& collection, json items,
                  const ListFilter& filter, const std::string& last_id) {
  const std::string path = call.base + call.req.path;
  json next = nullptr;
  if (filter.page.limit > 0 && items.size() == static_cast<size_t>(filter.page.limit)) {
    next = http::NextLink(path, call.req, last_id);
  }
  // The request's own link: the kit's NextLink with the request's marker, or without one
  // (NextLink then ends in "?marker=" or "&marker=", cut off).
  std::string self;
  if (std::optional<std::string> marker = call.req.Query("marker")) {
    self = http::NextLink(path, call.req, *marker);
  } else {
    self = http::NextLink(path, call.req, "");
    self.resize(self.size() - std::strlen("?marker="));
  }
  return {{collection, std::move(items)},
          {"links", {{"self", std::move(self)}, {"previous", nullptr}, {"next", next}}}};
}

json DomainJson(const Call& call, const Domain& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"description", d.description},
          {"enabled", d.enabled},
          {"tags", json::array()},
          {"options", json::object()},
          {"links", {{"self", call.Link("/v3/domains/" + d.id)}}}};
}

json ProjectJson(const Call& call, const Project& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"domain_id", p.domain_id},
          // Keystone shows a top-level project's domain as its parent.
          {"parent_id", p.parent_id.empty() ? p.domain_id : p.parent_id},
          {"description", p.description},
          {"enabled", p.enabled},
          {"is_domain", false},
          {"tags", p.tags},
          {"options", json::object()},
          {"links", {{"self", call.Link("/v3/projects/" + p.id)}}}};
}

json UserJson(const Call& call, const User& u) {
  json options = json::object();
  if (u.options.ignore_lockout_failure_attempts) options["ignore_lockout_failure_attempts"] = true;
  json out = {{"id", u.id},
              {"name", u.name},
              {"domain_id", u.domain_id},
              {"enabled", u.enabled},
              {"password_expires_at", TimeOrNull(u.password_expires_at)},
              {"options", options},
              {"links", {{"self", call.Link("/v3/users/" + u.id)}}}};
  if (!u.default_project_id.empty()) out["default_project_id"] = u.default_project_id;
  if (!u.description.empty()) out["description"] = u.description;
  if (!u.email.empty()) out["email"] = u.email;
  if (!u.extra.empty()) {
    json extra = json::parse(u.extra, nullptr, false);
    if (extra.is_object()) {
      for (const auto& [key, value] : extra.items()) out.emplace(key, value);
    }
  }
  return out;
}

json GroupJson(const Call& call, const Group& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"domain_id", g.domain_id},
          {"description", g.description},
          {"links", {{"self", call.Link("/v3/groups/" + g.id)}}}};
}

json RoleJson(const Call& call, const Role& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"domain_id", StringOrNull(r.domain_id)},
          {"description", r.description},
          {"options", json::object()},
          {"links", {{"self", call.Link("/v3/roles/" + r.id)}}}};
}

json RegionJson(const Call& call, const Region& r) {
  return {{"id", r.id},
          {"description", r.description},
          {"parent_region_id", StringOrNull(r.parent_region_id)},
          {"links", {{"self", call.Link("/v3/regions/" + r.id)}}}};
}

json ServiceJson(const Call& call, const Service& s) {
  return {{"id", s.id},           {"type", s.type},
          {"name", s.name},       {"description", s.description},
          {"enabled", s.enabled}, {"links", {{"self", call.Link("/v3/services/" + s.id)}}}};
}

json EndpointJson(const Call& call, const Endpoint& e) {
  return {{"id", e.id},
          {"interface", e.interface},
          {"region", StringOrNull(e.region_id)},
          {"region_id", StringOrNull(e.region_id)},
          {"service_id", e.service_id},
          {"url", e.url},
          {"enabled", e.enabled},
          {"links", {{"self", call.Link("/v3/endpoints/" + e.id)}}}};
}

json CatalogJson(const std::vector<CatalogEntry>& catalog) {
  json out = json::array();
  for (const CatalogEntry& entry : catalog) {
    json endpoints = json::array();
    for (const Endpoint& e : entry.endpoints) {
      endpoints.push_back({{"id", e.id},
                           {"interface", e.interface},
                           {"region", StringOrNull(e.region_id)},
                           {"region_id", StringOrNull(e.region_id)},
                           {"url", e.url}});
    }
    out.push_back({{"id", entry.service.id},
                   {"type", entry.service.type},
                   {"name", entry.service.name},
                   {"endpoints", std::move(endpoints)}});
  }
  return out;
}

json AppCredentialJson(const Call& call, const ApplicationCredential& c) {
  json roles = json::array();
  for (const RoleRef& r : c.roles) {
    roles.push_back({{"id", r.id}, {"name", r.name}, {"domain_id", nullptr}});
  }
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"user_id", c.user_id},
          {"project_id", c.project_id},
          // Keystone shows an application credential's expiry without a zone (UTC).
          {"expires_at", c.expires_at ? json(absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", *c.expires_at,
                                                              absl::UTCTimeZone()))
                                      : json(nullptr)},
          {"unrestricted", c.unrestricted},
          {"roles", std::move(roles)},
          {"access_rules", json::array()},
          {"links",
           {{"self", call.Link("/v3/users/" + c.user_id + "/application_credentials/" + c.id)}}}};
}

namespace {

bool SameCatalog(const std::vector<CatalogEntry>& a, const std::vector<CatalogEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Service& x = a[i].service;
    const Service& y = b[i].service;
    if (x.id != y.id || x.type != y.type || x.name != y.name) return false;
    if (a[i].endpoints.size() != b[i].endpoints.size()) return false;
    for (size_t k = 0; k < a[i].endpoints.size(); ++k) {
      const Endpoint& e = a[i].endpoints[k];
      const Endpoint& f = b[i].endpoints[k];
      if (e.id != f.id || e.interface != f.interface || e.region_id != f.region_id ||
          e.url != f.url) {
        return false;
      }
    }
  }
  return true;
}

size_t CatalogHash(const std::vector<CatalogEntry>& catalog) {
  // The fields CatalogJson encodes, as SameCatalog compares them.
  size_t h = catalog.size();
  for (const CatalogEntry& entry : catalog) {
    h = absl::HashOf(h, entry.service.id, entry.service.type, entry.service.name);
    for (const Endpoint& e : entry.endpoints)
      h = absl::HashOf(h, e.id, e.interface, e.region_id, e.url);
  }
  return h;
}

}  // namespace

std::string CatalogTexts::Get(const std::vector<CatalogEntry>& catalog) {
  const size_t h = CatalogHash(catalog);
  {
    absl::MutexLock lock(&mu_);
    auto it = kept_.find(h);
    if (it != kept_.end() && SameCatalog(it->second.catalog, catalog)) return it->second.text;
  }
  std::string text = CatalogJson(catalog).dump(-1, ' ', false, json::error_handler_t::replace);
  absl::MutexLock lock(&mu_);
  if (kept_.size() >= kMaxKept) kept_.clear();
  kept_[h] = Kept{catalog, text};
  return text;
}

std::string TokenBody(CatalogTexts& catalogs, const TokenData& data, bool with_catalog) {
  std::string body =
      TokenJson(data, /*with_catalog=*/false).dump(-1, ' ', false, json::error_handler_t::replace);
  if (!with_catalog || data.claims.unscoped()) return body;
  // body is {"token":{...}}: the catalog goes in before the two closing braces.
  body.insert(body.size() - 2, ",\"catalog\":" + catalogs.Get(data.catalog));
  return body;
}

json TokenJson(const TokenData& data, bool with_catalog) {
  const auth::TokenClaims& c = data.claims;
  json audit_ids = json::array({c.audit_id});
  for (const std::string& parent : c.audit_chain) audit_ids.push_back(parent);
  json token = {{"methods", c.methods},
                {"audit_ids", std::move(audit_ids)},
                {"expires_at", KeystoneTime(c.expires_at)},
                {"issued_at", KeystoneTime(c.issued_at)},
                {"is_domain", false},
                {"user",
                 {{"id", data.user.id},
                  {"name", data.user.name},
                  {"domain", {{"id", data.user_domain.id}, {"name", data.user_domain.name}}},
                  {"password_expires_at", TimeOrNull(data.user.password_expires_at)}}}};
  if (data.project) {
    json domain = {{"id", data.project->domain_id}, {"name", ""}};
    if (data.project_domain) domain["name"] = data.project_domain->name;
    token["project"] = {
        {"id", data.project->id}, {"name", data.project->name}, {"domain", std::move(domain)}};
    token["is_admin_project"] = c.is_admin_project;  // Keystone: project scope only
  } else if (data.domain) {
    token["domain"] = {{"id", data.domain->id}, {"name", data.domain->name}};
  } else if (c.system) {
    token["system"] = {{"all", true}};
  }
  if (!c.unscoped()) {
    json roles = json::array();
    for (const RoleRef& r : data.roles) roles.push_back({{"id", r.id}, {"name", r.name}});
    token["roles"] = std::move(roles);
    if (with_catalog) token["catalog"] = CatalogJson(data.catalog);
  }
  if (data.application_credential) {
    token["application_credential"] = {{"id", data.application_credential->id},
                                       {"name", data.application_credential->name},
                                       {"restricted", !data.application_credential->unrestricted}};
  }
  return {{"token", std::move(token)}};
}

}  // namespace gureum::identity
