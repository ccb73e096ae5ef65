// /v2.1/os-quota-class-sets/{id} (admins) over QuotaClassManager: show and update, with
// the keys of each microversion (server_groups and server_group_members from 2.50, which
// drops the network keys; 2.57 drops the injected file keys), as Nova.
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"
#include "compute/api/quota_class_manager.h"

namespace gureum::compute {
namespace {

json QuotaClassJson(const Call& call, const QuotaClassSet& set, bool with_id) {
  json j = QuotaSetJson(set.name, set.limits);
  for (const auto& [resource, limit] : set.others) j[resource] = limit;
  if (!call.version.AtLeast(50)) {
    j.erase("server_groups");
    j.erase("server_group_members");
  } else {
    for (const char* k :
         {"fixed_ips", "floating_ips", "security_groups", "security_group_rules", "networks"}) {
      j.erase(k);
    }
  }
  if (call.version.AtLeast(57)) {
    for (const char* k :
         {"injected_files", "injected_file_content_bytes", "injected_file_path_bytes"}) {
      j.erase(k);
    }
  }
  if (!with_id) j.erase("id");
  return j;
}

// GET /v2.1/os-quota-class-sets/{id}
absl::Status ShowQuotaClass(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(QuotaClassSet set,
                          call.managers().quota_classes().GetQuotaClass(call.rc, call.Param("id")));
  call.res.Json(200, {{"quota_class_set", QuotaClassJson(call, set, true)}});
  return absl::OkStatus();
}

// PUT /v2.1/os-quota-class-sets/{id}: {"quota_class_set": {"<resource>": <limit>, ...}}
absl::Status UpdateQuotaClass(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "quota_class_set"));
  std::map<std::string, int64_t> limits;
  http::JsonReader r(body, "quota_class_set", /*open=*/true);
  for (const auto& [k, v] : body.items()) {
    std::optional<int64_t> n;
    if (OptionalInt(r, body, k.c_str(), &n, INT64_MIN, INT64_MAX)) limits[k] = *n;
  }
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(QuotaClassSet set, call.managers().quota_classes().UpdateQuotaClass(
                                                 call.rc, call.Param("id"), limits));
  call.res.Json(200, {{"quota_class_set", QuotaClassJson(call, set, false)}});
  return absl::OkStatus();
}

}  // namespace

void RegisterQuotaClassRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-quota-class-sets/{id}", ShowQuotaClass);
  routes.Add("PUT", "/v2.1/os-quota-class-sets/{id}", UpdateQuotaClass);
}

}  // namespace gureum::compute
