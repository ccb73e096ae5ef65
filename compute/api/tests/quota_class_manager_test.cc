// os-quota-class-sets on fakes: admins show and update a class; the class "default"
// replaces [quota]'s defaults (a project's own limits still win); unknown resources and
// limits below -1 are 400; the REST shapes of 2.1 (no server_groups keys) as Tempest's
// QuotaClassesAdminTestJSON reads them.
#include <catch2/catch.hpp>

#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

TEST_CASE("quota classes: admins set the default class, which every project then gets") {
  World w;
  QuotaClassManager& m = w.managers.quota_classes();
  CHECK(absl::IsPermissionDenied(m.GetQuotaClass(Member(), "default").status()));
  CHECK(absl::IsPermissionDenied(
      m.UpdateQuotaClass(Member(), "default", {{"instances", 1}}).status()));
  auto shown = m.GetQuotaClass(Admin(), "default");
  REQUIRE(shown.ok());
  CHECK(shown->limits.instances == 10);  // [quota]
  CHECK(shown->others.empty());

  auto updated = m.UpdateQuotaClass(Admin(), "default",
                                    {{"instances", 110}, {"cores", -1}, {"fixed_ips", 99}});
  REQUIRE(updated.ok());
  CHECK(updated->limits.instances == 110);
  CHECK(updated->limits.cores == -1);
  CHECK(updated->limits.fixed_ips == 99);  // a kept-only key (model.h)
  CHECK(updated->others.empty());
  CHECK(m.Defaults()->instances == 110);
  CHECK(w.managers.quotas().GetQuotas(Admin(), "p9")->instances == 110);
  REQUIRE(w.managers.quotas().UpdateQuotas(Admin(), "p9", {{"instances", 2}}).ok());
  CHECK(w.managers.quotas().GetQuotas(Admin(), "p9")->instances == 2);

  absl::Status s = m.UpdateQuotaClass(Admin(), "default", {{"bogus", 1}}).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() ==
        "Invalid input for field/attribute quota_class_set. Additional properties are not "
        "allowed ('bogus' was unexpected)");
  CHECK(absl::IsInvalidArgument(
      m.UpdateQuotaClass(Admin(), "default", {{"ram", -2}, {"cores", 5}}).status()));
  CHECK(m.GetQuotaClass(Admin(), "default")->limits.cores == -1);  // nothing written
}

TEST_CASE("quota classes: the REST show and update as Tempest's test reads them") {
  FakeRest api;
  CHECK(api.Call("GET", "/os-quota-class-sets/default").status == 403);
  Reply shown = api.AsAdmin("GET", "/os-quota-class-sets/default");
  REQUIRE(shown.status == 200);
  json body = shown.body["quota_class_set"];
  CHECK(body["id"] == "default");
  CHECK_FALSE(body.contains("server_groups"));  // from 2.50
  CHECK_FALSE(body.contains("server_group_members"));
  for (const char* k : {"instances", "cores", "ram", "floating_ips", "fixed_ips", "metadata_items",
                        "key_pairs", "security_groups", "security_group_rules", "injected_files",
                        "injected_file_content_bytes", "injected_file_path_bytes"}) {
    CHECK(body.contains(k));
  }
  // Tempest adds 100 to every value and expects them all back.
  body.erase("id");
  for (auto& [k, v] : body.items()) v = v.get<int64_t>() + 100;
  Reply updated = api.AsAdmin("PUT", "/os-quota-class-sets/default", {{"quota_class_set", body}});
  REQUIRE(updated.status == 200);
  CHECK_FALSE(updated.body["quota_class_set"].contains("id"));
  for (auto& [k, v] : body.items()) CHECK(updated.body["quota_class_set"][k] == v);
  CHECK(api.AsAdmin("GET", "/os-quota-class-sets/default").body["quota_class_set"]["fixed_ips"] ==
        body["fixed_ips"]);
  CHECK(api.Call("GET", "/os-quota-sets/p1/defaults").body["quota_set"]["instances"] ==
        body["instances"]);
  CHECK(api.AsAdmin("PUT", "/os-quota-class-sets/default",
                    {{"quota_class_set", {{"instances", "x"}}}})
            .status == 400);
  CHECK(
      api.AsAdmin("PUT", "/os-quota-class-sets/default", {{"quota_class_set", {{"networks_x", 1}}}})
          .status == 400);
}

}  // namespace
}  // namespace gureum::compute::testing
