// /v2.1/os-migrations (admins) over MigrationManager: Nova's fields at 2.1, migration_type
// from 2.23, uuid and paging (limit, marker, migrations_links) from 2.59.
#include "absl/strings/numbers.h"
#include "common/http/query.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"
#include "compute/api/migration_manager.h"

namespace gureum::compute {
namespace {

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Nova's old_instance_type_id / new_instance_type_id are its flavors' integer keys; ours
// have only the flavor id: its number when it is one, else null.
json FlavorNumber(const std::string& flavor_id) {
  int64_t n = 0;
  return absl::SimpleAtoi(flavor_id, &n) ? json(n) : json(nullptr);
}

json MigrationJson(const Call& call, const MigrationRecord& m) {
  // The nodes are the hosts: each compute agent has one node, named as its host.
  json j = {{"id", m.id},
            {"status", m.status},
            {"instance_uuid", m.instance_uuid},
            {"source_node", TextOrNull(m.source_host)},
            {"source_compute", TextOrNull(m.source_host)},
            {"dest_node", TextOrNull(m.dest_host)},
            {"dest_compute", TextOrNull(m.dest_host)},
            {"dest_host", nullptr},  // Nova's: the destination's address; not kept
            {"old_instance_type_id", FlavorNumber(m.old_flavor_id)},
            {"new_instance_type_id", FlavorNumber(m.new_flavor_id)},
            {"created_at", IsoMicros(m.created_at)},
            {"updated_at", IsoMicros(m.updated_at)}};
  // 2.23's links are only for live migrations in progress, which there are none of.
  if (call.version.AtLeast(23)) j["migration_type"] = m.migration_type;
  if (call.version.AtLeast(59)) j["uuid"] = m.uuid;
  return j;
}

// GET /v2.1/os-migrations
absl::Status ListMigrations(Call& call) {
  MigrationFilter f;
  for (auto [field, out] : {std::pair{"host", &f.host}, std::pair{"status", &f.status},
                            std::pair{"instance_uuid", &f.instance_uuid},
                            std::pair{"migration_type", &f.migration_type}}) {
    if (auto v = call.req.Query(field)) *out = *v;
  }
  if (call.version.AtLeast(59)) {
    GUREUM_ASSIGN_OR_RETURN(f.limit, http::QueryInteger(call.req, "limit", 0, INT32_MAX));
    if (auto v = call.req.Query("marker")) f.marker = *v;
  }
  GUREUM_ASSIGN_OR_RETURN(MigrationPage page,
                          call.managers().migrations().ListMigrations(call.rc, f));
  json list = json::array();
  for (const MigrationRecord& m : page.migrations) list.push_back(MigrationJson(call, m));
  json body = {{"migrations", list}};
  if (call.version.AtLeast(59) && page.full) {
    body["migrations_links"] =
        json::array({{{"rel", "next"},
                      {"href", http::NextLink(call.Link("/os-migrations"), call.req,
                                              page.migrations.back().uuid)}}});
  }
  call.res.Json(200, body);
  return absl::OkStatus();
}

}  // namespace

void RegisterMigrationRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-migrations", ListMigrations);
}

}  // namespace gureum::compute
