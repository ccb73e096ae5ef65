// The Keystone token body as text (TokenBody with CatalogTexts): byte for byte what
// encoding the whole body gives, one kept text per distinct catalog, and a changed
// endpoint (or another project's substituted URL) never answered with a stale text.
#include <catch2/catch.hpp>

#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

std::vector<CatalogEntry> Catalog(const std::string& project) {
  CatalogEntry compute;
  compute.service = {"svc-c", "compute", "nova", "", true};
  compute.endpoints.push_back(
      {"ep-1", "svc-c", "RegionOne", "public", "http://ctl:8774/v2.1/" + project, true});
  CatalogEntry image;
  image.service = {"svc-i", "image", "glance", "", true};
  image.endpoints.push_back({"ep-2", "svc-i", "", "public", "http://ctl:9292", true});
  return {compute, image};
}

TokenData Data(const std::string& project) {
  TokenData d;
  d.claims.user_id = "u1";
  d.claims.project_id = project;
  d.claims.audit_id = "a1";
  d.claims.methods = {"password"};
  d.user.id = "u1";
  d.user.name = "alice";
  d.project = Project{};
  d.project->id = project;
  d.project->name = "p-" + project;
  d.roles = {{"r1", "member"}};
  d.catalog = Catalog(project);
  return d;
}

TEST_CASE("TokenBody is the whole body's JSON, the catalog kept per content") {
  CatalogTexts catalogs;
  for (const std::string project : {"p1", "p2", "p1"}) {
    const TokenData d = Data(project);
    const std::string body = TokenBody(catalogs, d, /*with_catalog=*/true);
    CHECK(json::parse(body) == TokenJson(d, /*with_catalog=*/true));
    CHECK(body.find("http://ctl:8774/v2.1/" + project) != std::string::npos);
  }
  TokenData changed = Data("p1");
  changed.catalog[1].endpoints[0].url = "http://ctl2:9292";
  CHECK(json::parse(TokenBody(catalogs, changed, true)) == TokenJson(changed, true));
  const TokenData d = Data("p1");
  CHECK(json::parse(TokenBody(catalogs, d, /*with_catalog=*/false)) == TokenJson(d, false));
  TokenData unscoped = d;
  unscoped.claims.project_id.clear();
  unscoped.project.reset();
  CHECK(json::parse(TokenBody(catalogs, unscoped, true)) == TokenJson(unscoped, true));
}

}  // namespace
}  // namespace gureum::identity
