// What the files of the identity REST adapter share (identity_rest*.cc): the context
// every handler sees, identity's routes on the REST kit (common/http/rest.h), request
// decoding helpers and the Keystone JSON encoders. Not a public interface: only identity_rest*.cc
// include it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/base/caller.h"
#include "common/http/json_reader.h"
#include "common/http/request.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "common/policy/enforcer.h"
#include "identity/identity_manager.h"
#include "identity/identity_rest.h"

namespace gureum::identity {

using nlohmann::json;

// A token catalog's JSON text, kept by content: every token of a project carries the
// same catalog, and encoding it was the largest part of a validation's CPU (about a
// third). Endpoints may name the project, so one text per distinct catalog, at most
// kMaxKept (then all are dropped and rebuilt on demand). Thread-safe.
class CatalogTexts {
 public:
  std::string Get(const std::vector<CatalogEntry>& catalog);

 private:
  static constexpr size_t kMaxKept = 256;
  struct Kept {
    std::vector<CatalogEntry> catalog;
    std::string text;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<size_t, Kept> kept_ ABSL_GUARDED_BY(mu_);  // by content hash
};

struct RestContext {
  RestContext(IdentityManager& m, IdentityRestOptions o);

  IdentityManager& manager;  // its managers check the caller against the policy
  const IdentityRestOptions options;
  // The public base URL ("http://ctl:5000": no trailing slash, no /v3) for links in answers.
  const std::string base_url;
  CatalogTexts catalogs;  // token catalogs as JSON text
};

// One request whose X-Auth-Token has been verified (by the kit, http::RestApi::Authed):
// the kit's RestCall plus what is identity's.
struct Call {
  Call(http::RestCall& rest, RestContext& context)
      : req(rest.req),
        res(rest.res),
        caller(rest.caller),
        token(rest.token),
        base(rest.base_url),
        ctx(context) {}

  http::Request& req;
  http::Response& res;
  const Caller& caller;
  const std::string& token;  // the X-Auth-Token as sent
  const std::string& base;   // RestContext::base_url
  RestContext& ctx;

  IdentityManager& manager() { return ctx.manager; }
  // "<base>/v3/..." for `path` ("/v3/projects/x").
  std::string Link(const std::string& path) const { return base + path; }
  const std::string& Param(const std::string& name) const { return req.PathParam(name); }
};

using CallHandler = std::function<absl::Status(Call&)>;

// Identity's routes on the REST kit: Authed routes need a valid X-Auth-Token (401 with
// Keystone's WWW-Authenticate otherwise), and a non-OK status from a handler becomes the
// Keystone error envelope. Lives while the routes are registered only.
class Routes {
 public:
  Routes(RestContext& ctx, http::Server& server);

  void Authed(const std::string& method, const std::string& pattern, CallHandler handler);
  void Public(const std::string& method, const std::string& pattern, http::PublicHandler handler);
  RestContext& ctx() { return ctx_; }

 private:
  RestContext& ctx_;
  http::RestApi api_;
};

// Each file's routes.
void RegisterDiscoveryRoutes(Routes& routes);
void RegisterAuthRoutes(Routes& routes);
void RegisterProjectRoutes(Routes& routes);  // domains, projects
void RegisterUserRoutes(Routes& routes);     // users, groups
void RegisterRoleRoutes(Routes& routes);     // roles, implied roles
void RegisterGrantRoutes(Routes& routes);    // grants, assignments
void RegisterCatalogRoutes(Routes& routes);
void RegisterAppCredentialRoutes(Routes& routes);
void RegisterCredentialRoutes(Routes& routes);  // /v3/credentials, OS-EC2
// policies, OAuth1 consumers, endpoint groups, and (identity_rest_domain_config.cc) domain
// configurations
void RegisterExtensionRoutes(Routes& routes);
void RegisterDomainConfigRoutes(Routes& routes);
void RegisterTrustRoutes(Routes& routes);  // OS-TRUST

// ---- decoding ----

// The JSON body's `key` object ({"project": {...}}); InvalidArgument naming what is wrong.
absl::StatusOr<json> BodyEntity(const http::Request& req, const std::string& key);
// Body fields are read with http::JsonReader, open (Keystone stores or ignores fields it
// does not know), with these rules for strings:
// a required non-empty string ("name"),
inline constexpr http::StringRule kRequiredString{.required = true, .allow_empty = false};
// an optional one where null means absent (String: "", OptionalString: nullopt).
inline constexpr http::StringRule kNullable{.nullable = true};

// Query filters and paging (name, domain_id, enabled, parent_id, type, service_id,
// interface, region_id/region, marker, limit: a strict integer, http::QueryInteger);
// InvalidArgument for a bad limit/enabled.
absl::StatusOr<ListFilter> ParseListFilter(const http::Request& req);
// True/false for Keystone's boolean query values: http::ParseBool's, and "" (a bare key),
// "on" and "off".
absl::StatusOr<bool> ParseBoolQuery(const std::string& field, const std::string& value);

// ---- encoding ----

// "2026-01-01T12:00:00.000000Z"
std::string KeystoneTime(absl::Time t);
json TimeOrNull(const std::optional<absl::Time>& t);
json StringOrNull(const std::string& s);
// ISO 8601 as Keystone accepts it ("2026-01-01T00:00:00", fractions, Z or an offset);
// InvalidArgument naming expires_at otherwise.
absl::StatusOr<absl::Time> ParseExpiry(const std::string& text);
// "roles": [{"id"} or {"name"}, ...] of `body`; absent or null: none.
absl::StatusOr<std::vector<RoleRef>> ParseRoles(const json& body);

// {"<collection>": items, "links": {"self", "previous": null, "next"}}; `next` is set
// when a limit was given and the page is full (marker = last id).
json ListEnvelope(const Call& call, const std::string& collection, json items,
                  const ListFilter& filter, const std::string& last_id);

json DomainJson(const Call& call, const Domain& d);
json ProjectJson(const Call& call, const Project& p);
json UserJson(const Call& call, const User& u);
json GroupJson(const Call& call, const Group& g);
json RoleJson(const Call& call, const Role& r);
json RegionJson(const Call& call, const Region& r);
json ServiceJson(const Call& call, const Service& s);
json EndpointJson(const Call& call, const Endpoint& e);
json CatalogJson(const std::vector<CatalogEntry>& catalog);
json AppCredentialJson(const Call& call, const ApplicationCredential& c);
// The {"token": {...}} body (openstack-rest-notes section 1).
json TokenJson(const TokenData& data, bool with_catalog);
// The same body as text, its catalog from `catalogs` instead of encoded again.
std::string TokenBody(CatalogTexts& catalogs, const TokenData& data, bool with_catalog);

// Encodes a list of entities with `encode`, plus the envelope.
template <typename T, typename F>
json EncodeList(const Call& call, const std::string& collection, const std::vector<T>& items,
                const ListFilter& filter, F encode) {
  json out = json::array();
  for (const T& item : items) out.push_back(encode(call, item));
  return ListEnvelope(call, collection, std::move(out), filter,
                      items.empty() ? std::string() : items.back().id);
}

}  // namespace gureum::identity
