// Instances in PostgreSQL (their faults, actions and migrations: pg_instance_history_store.cc).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/pg_store_internal.h"

namespace gureum::compute::internal {
namespace {

using nlohmann::json;

constexpr char kInstanceColumns[] =
    "uuid, name, project_id, user_id, flavor::text AS flavor, new_flavor::text AS new_flavor, "
    "old_flavor::text AS old_flavor, image_ref, image::text AS image, vm_state, task_state, "
    "power_state, task_id, host, node, availability_zone, key_name, key_data, user_data, "
    "metadata::text AS metadata, networks::text AS networks, vifs::text AS vifs, server_group, "
    "hostname, "
    "launch_index, reservation_id, description, locked, locked_by, locked_reason, console_tail, "
    "progress, created_at, updated_at, launched_at, terminated_at, access_ip_v4, access_ip_v6, "
    "auto_disk_config, deleted_at, diagnostics::text AS diagnostics, diagnostics_at";

json ImageToJson(const ImageInfo& i) {
  return {{"id", i.id},
          {"name", i.name},
          {"status", i.status},
          {"disk_format", i.disk_format},
          {"container_format", i.container_format},
          {"size", i.size},
          {"min_disk_gb", i.min_disk_gb},
          {"min_ram_mb", i.min_ram_mb},
          {"checksum", i.checksum},
          {"properties", i.properties}};
}

ImageInfo ImageFromJson(const json& j) {
  ImageInfo i;
  if (!j.is_object()) return i;
  i.id = j.value("id", "");
  i.name = j.value("name", "");
  i.status = j.value("status", "");
  i.disk_format = j.value("disk_format", "");
  i.container_format = j.value("container_format", "");
  i.size = j.value("size", int64_t{0});
  i.min_disk_gb = j.value("min_disk_gb", int64_t{0});
  i.min_ram_mb = j.value("min_ram_mb", int64_t{0});
  i.checksum = j.value("checksum", "");
  if (j.contains("properties") && j["properties"].is_object()) {
    i.properties = j["properties"].get<StringMap>();
  }
  return i;
}

std::vector<Vif> VifsFromJson(const std::string& text) {
  std::vector<Vif> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& v : j) {
    if (!v.is_object()) continue;
    Vif vif{.port_id = v.value("port_id", ""),
            .network_id = v.value("network_id", ""),
            .network_name = v.value("network_name", ""),
            .mac_address = v.value("mac_address", "")};
    if (v.contains("ips") && v["ips"].is_array()) {
      for (const json& ip : v["ips"]) {
        vif.ips.push_back({.address = ip.value("address", ""),
                           .version = ip.value("version", 4),
                           .type = ip.value("type", "fixed")});
      }
    }
    out.push_back(std::move(vif));
  }
  return out;
}

std::string VifsJson(const std::vector<Vif>& vifs) {
  json out = json::array();
  for (const Vif& v : vifs) {
    json ips = json::array();
    for (const VifIp& ip : v.ips) {
      ips.push_back({{"address", ip.address}, {"version", ip.version}, {"type", ip.type}});
    }
    out.push_back({{"port_id", v.port_id},
                   {"network_id", v.network_id},
                   {"network_name", v.network_name},
                   {"mac_address", v.mac_address},
                   {"ips", ips}});
  }
  return out.dump();
}

std::optional<FlavorRecord> OptFlavor(const db::Row& r, const std::string& column) {
  auto text = r.Get<std::optional<std::string>>(column);
  if (!text) return std::nullopt;
  return FlavorFromJson(json::parse(*text, nullptr, false));
}

std::optional<std::string> OptFlavorJson(const std::optional<FlavorRecord>& f) {
  if (!f) return std::nullopt;
  return FlavorToJson(*f).dump();
}

Instance InstanceFromRow(const db::Row& r) {
  Instance i;
  i.uuid = r.Get<std::string>("uuid");
  i.name = r.Get<std::string>("name");
  i.project_id = r.Get<std::string>("project_id");
  i.user_id = r.Get<std::string>("user_id");
  i.flavor = FlavorFromJson(json::parse(r.Get<std::string>("flavor"), nullptr, false));
  i.new_flavor = OptFlavor(r, "new_flavor");
  i.old_flavor = OptFlavor(r, "old_flavor");
  i.image_ref = r.Get<std::string>("image_ref");
  i.image = ImageFromJson(json::parse(r.Get<std::string>("image"), nullptr, false));
  i.vm_state = r.Get<std::string>("vm_state");
  i.task_state = Text(r, "task_state");
  i.power_state = r.Get<int>("power_state");
  i.task_id = Text(r, "task_id");
  i.host = Text(r, "host");
  i.node = Text(r, "node");
  i.availability_zone = Text(r, "availability_zone");
  i.key_name = Text(r, "key_name");
  i.key_data = Text(r, "key_data");
  i.user_data = Text(r, "user_data");
  i.metadata = MapFromJson(r.Get<std::string>("metadata"));
  json nets = json::parse(r.Get<std::string>("networks"), nullptr, false);
  if (nets.is_object()) {
    i.network_ids = nets.value("networks", std::vector<std::string>{});
    i.port_ids = nets.value("ports", std::vector<std::string>{});
    i.security_groups = nets.value("security_groups", std::vector<std::string>{});
    if (nets.contains("requested") && nets["requested"].is_array()) {
      for (const json& r : nets["requested"]) {
        i.requested_networks.push_back({.network_id = r.value("network_id", ""),
                                        .port_id = r.value("port_id", ""),
                                        .fixed_ip = r.value("fixed_ip", "")});
      }
    }
  }
  i.vifs = VifsFromJson(r.Get<std::string>("vifs"));
  i.server_group = Text(r, "server_group");
  i.hostname = Text(r, "hostname");
  i.launch_index = r.Get<int>("launch_index");
  i.reservation_id = Text(r, "reservation_id");
  i.description = Text(r, "description");
  i.access_ip_v4 = Text(r, "access_ip_v4");
  i.access_ip_v6 = Text(r, "access_ip_v6");
  i.auto_disk_config = r.Get<bool>("auto_disk_config");
  i.deleted_at = r.Get<std::optional<absl::Time>>("deleted_at");
  if (auto d = r.Get<std::optional<std::string>>("diagnostics")) {
    json j = json::parse(*d, nullptr, false);
    if (j.is_object()) i.diagnostics = j.get<std::map<std::string, int64_t>>();
  }
  i.diagnostics_at = r.Get<std::optional<absl::Time>>("diagnostics_at");
  i.locked = r.Get<bool>("locked");
  i.locked_by = Text(r, "locked_by");
  i.locked_reason = Text(r, "locked_reason");
  i.console_tail = r.Get<std::string>("console_tail");
  i.progress = r.Get<int>("progress");
  i.created_at = r.Get<absl::Time>("created_at");
  i.updated_at = r.Get<absl::Time>("updated_at");
  i.launched_at = r.Get<std::optional<absl::Time>>("launched_at");
  i.terminated_at = r.Get<std::optional<absl::Time>>("terminated_at");
  return i;
}

std::string NetworksJson(const Instance& i) {
  json requested = json::array();
  for (const RequestedNetwork& r : i.requested_networks) {
    requested.push_back(
        {{"network_id", r.network_id}, {"port_id", r.port_id}, {"fixed_ip", r.fixed_ip}});
  }
  return json{{"networks", i.network_ids},
              {"ports", i.port_ids},
              {"requested", requested},
              {"security_groups", i.security_groups}}
      .dump();
}

absl::Status CheckQuota(const char* resource, int64_t requested, int64_t used, int64_t limit) {
  if (limit < 0 || requested == 0 || used + requested <= limit) return absl::OkStatus();
  return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                            "Quota exceeded for ", resource, ": Requested ", requested,
                            ", but already used ", used, " of ", limit, " ", resource)),
                        403);
}

}  // namespace

absl::Status PgComputeStore::CreateInstances(const std::vector<Instance>& instances,
                                             const QuotaRequest& quota,
                                             const std::string& request_id) {
  if (instances.empty()) return absl::OkStatus();
  const std::string& project = instances.front().project_id;
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    // One lock per project: the count and the insert are one step for concurrent creates.
    GUREUM_RETURN_IF_ERROR(LockKey(tx, "quota:" + project));
    GUREUM_ASSIGN_OR_RETURN(
        db::Row u,
        tx.ExecOne("SELECT count(*) AS n, coalesce(sum(vcpus),0)::bigint AS c, "
                   "coalesce(sum(memory_mb),0)::bigint AS m FROM instances WHERE project_id = $1",
                   {project}, "usage"));
    GUREUM_RETURN_IF_ERROR(
        CheckQuota("instances", quota.instances, u.Get<int64_t>("n"), quota.limits.instances));
    GUREUM_RETURN_IF_ERROR(
        CheckQuota("cores", quota.cores, u.Get<int64_t>("c"), quota.limits.cores));
    GUREUM_RETURN_IF_ERROR(CheckQuota("ram", quota.ram, u.Get<int64_t>("m"), quota.limits.ram));
    for (const Instance& i : instances) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec(
                "INSERT INTO instances (uuid, name, project_id, user_id, flavor, vcpus, memory_mb, "
                "image_ref, image, vm_state, task_state, power_state, task_id, availability_zone, "
                "key_name, key_data, user_data, metadata, networks, server_group, hostname, "
                "launch_index, reservation_id, description, access_ip_v4, access_ip_v6, "
                "auto_disk_config) VALUES "
                "($1,$2,$3,$4,$5::jsonb,$6,$7,$8,$9::jsonb,$10,$11,$12,$13,$14,$15,$16,$17,"
                "$18::jsonb,$19::jsonb,$20,$21,$22,$23,$24,$25,$26,$27)",
                {i.uuid,
                 i.name,
                 i.project_id,
                 i.user_id,
                 FlavorToJson(i.flavor).dump(),
                 i.flavor.vcpus,
                 i.flavor.ram_mb,
                 i.image_ref,
                 ImageToJson(i.image).dump(),
                 i.vm_state,
                 NullIfEmpty(i.task_state),
                 i.power_state,
                 NullIfEmpty(i.task_id),
                 NullIfEmpty(i.availability_zone),
                 NullIfEmpty(i.key_name),
                 NullIfEmpty(i.key_data),
                 NullIfEmpty(i.user_data),
                 MapToJson(i.metadata),
                 NetworksJson(i),
                 NullIfEmpty(i.server_group),
                 NullIfEmpty(i.hostname),
                 i.launch_index,
                 NullIfEmpty(i.reservation_id),
                 NullIfEmpty(i.description),
                 NullIfEmpty(i.access_ip_v4),
                 NullIfEmpty(i.access_ip_v6),
                 i.auto_disk_config})
              .status());
      if (!i.server_group.empty()) {
        GUREUM_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO server_group_members (group_uuid, instance_uuid) VALUES ($1,$2)",
                    {i.server_group, i.uuid})
                .status());
      }
      GUREUM_RETURN_IF_ERROR(tx.Exec("INSERT INTO instance_actions (instance_uuid, request_id, "
                                     "action, project_id, user_id) "
                                     "VALUES ($1,$2,'create',$3,$4)",
                                     {i.uuid, request_id, i.project_id, i.user_id})
                                 .status());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Instance> PgComputeStore::GetInstance(const std::string& uuid) {
  Instance out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    auto r = tx.ExecOne(
        absl::StrCat("SELECT ", kInstanceColumns, " FROM instances WHERE uuid = $1"), {uuid}, "");
    if (r.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("Instance " + uuid + " could not be found.");
    }
    if (!r.ok()) return r.status();
    out = InstanceFromRow(*r);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Instance>> PgComputeStore::ListInstances(const InstanceFilter& f) {
  static const std::vector<std::string> kSortable = {
      "created_at", "updated_at",  "name",          "uuid",        "vm_state",
      "task_state", "power_state", "host",          "launched_at", "availability_zone",
      "image_ref",  "key_name",    "project_id",    "user_id",     "display_name",
      "hostname",   "node",        "terminated_at", "launch_index"};
  std::string key = f.sort_key == "display_name" ? "name" : f.sort_key;
  if (std::find(kSortable.begin(), kSortable.end(), key) == kSortable.end()) {
    return absl::InvalidArgumentError("Invalid sort_key " + f.sort_key);
  }
  std::vector<std::string> where = {"true"};
  db::Params p;
  auto add = [&](const std::string& cond_fmt, db::Param v) {
    p.push_back(std::move(v));
    where.push_back(absl::StrCat(cond_fmt, "$", p.size()));
  };
  if (!f.all_projects || !f.project_id.empty()) add("project_id = ", f.project_id);
  if (!f.user_id.empty()) add("user_id = ", f.user_id);
  if (!f.name_regex.empty()) add("name ~ ", f.name_regex);
  if (!f.vm_state.empty()) add("vm_state = ", f.vm_state);
  if (!f.not_vm_state.empty()) add("vm_state <> ", f.not_vm_state);
  if (!f.task_state.empty()) add("task_state = ", f.task_state);
  if (!f.host.empty()) add("host = ", f.host);
  if (!f.image_ref.empty()) add("image_ref = ", f.image_ref);
  if (!f.flavor_id.empty()) add("flavor->>'id' = ", f.flavor_id);
  if (!f.reservation_id.empty()) add("reservation_id = ", f.reservation_id);
  for (const auto& [regex, version] : {std::pair{&f.ip_regex, 4}, std::pair{&f.ip6_regex, 6}}) {
    if (regex->empty()) continue;
    add(absl::StrCat("EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(vifs, '[]'::jsonb)) v, "
                     "jsonb_array_elements(v->'ips') ip WHERE (ip->>'version')::int = ",
                     version, " AND ip->>'address' ~ "),
        *regex);
    where.back() += ")";
  }
  if (f.changes_since) add("updated_at >= ", *f.changes_since);
  if (!f.uuids.empty()) add("uuid = ANY(string_to_array(", absl::StrJoin(f.uuids, ","));
  if (!f.uuids.empty()) where.back() += ", ','))";
  const char* dir = f.sort_desc ? "DESC" : "ASC";
  const char* cmp = f.sort_desc ? "<" : ">";
  if (!f.marker.empty()) {
    // Rows after the marker in (sort key, uuid) order; an unknown marker is a 400.
    p.push_back(f.marker);
    const std::string m = absl::StrCat("$", p.size());
    where.push_back(absl::StrCat("(", key, ", uuid) ", cmp, " (SELECT ", key,
                                 ", uuid FROM instances WHERE uuid = ", m, ")"));
  }
  std::string sql = absl::StrCat("SELECT ", kInstanceColumns, " FROM instances WHERE ",
                                 absl::StrJoin(where, " AND "), " ORDER BY ", key, " ", dir,
                                 " NULLS LAST, uuid ", dir, " LIMIT ", std::max(0, f.limit));
  std::vector<Instance> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    if (!f.marker.empty()) {
      GUREUM_ASSIGN_OR_RETURN(db::Rows m,
                              tx.Exec("SELECT 1 FROM instances WHERE uuid = $1", {f.marker}));
      if (m.empty()) return absl::InvalidArgumentError("marker [" + f.marker + "] not found");
    }
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, p));
    for (const db::Row& r : rows) out.push_back(InstanceFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Instance>> PgComputeStore::ListInstancesOnHost(const std::string& host) {
  std::vector<Instance> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(absl::StrCat("SELECT ", kInstanceColumns,
                                                 " FROM instances WHERE host = $1 ORDER BY uuid"),
                                    {host}));
    for (const db::Row& r : rows) out.push_back(InstanceFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Instance> PgComputeStore::MutateInstance(const std::string& uuid,
                                                        const InstanceMutation& mutate) {
  Instance out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    auto r = tx.ExecOne(
        absl::StrCat("SELECT ", kInstanceColumns, " FROM instances WHERE uuid = $1 FOR UPDATE"),
        {uuid}, "");
    if (r.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("Instance " + uuid + " could not be found.");
    }
    if (!r.ok()) return r.status();
    Instance i = InstanceFromRow(*r);
    GUREUM_RETURN_IF_ERROR(mutate(i));
    GUREUM_ASSIGN_OR_RETURN(
        db::Row saved,
        tx.ExecOne(
            absl::StrCat(
                "UPDATE instances SET name=$2, flavor=$3::jsonb, new_flavor=$4::jsonb, "
                "old_flavor=$5::jsonb, vcpus=$6, memory_mb=$7, image_ref=$8, image=$9::jsonb, "
                "vm_state=$10, task_state=$11, power_state=$12, task_id=$13, host=$14, node=$15, "
                "metadata=$16::jsonb, locked=$17, locked_by=$18, locked_reason=$19, "
                "console_tail=$20, progress=$21, launched_at=$22, terminated_at=$23, "
                "description=$24, availability_zone=$25, vifs=$26::jsonb, access_ip_v4=$27, "
                "access_ip_v6=$28, auto_disk_config=$29, deleted_at=$30, "
                "diagnostics=$31::jsonb, diagnostics_at=$32, updated_at=now() "
                "WHERE uuid=$1 RETURNING ",
                kInstanceColumns),
            {i.uuid,
             i.name,
             FlavorToJson(i.flavor).dump(),
             OptFlavorJson(i.new_flavor),
             OptFlavorJson(i.old_flavor),
             i.flavor.vcpus,
             i.flavor.ram_mb,
             i.image_ref,
             ImageToJson(i.image).dump(),
             i.vm_state,
             NullIfEmpty(i.task_state),
             i.power_state,
             NullIfEmpty(i.task_id),
             NullIfEmpty(i.host),
             NullIfEmpty(i.node),
             MapToJson(i.metadata),
             i.locked,
             NullIfEmpty(i.locked_by),
             NullIfEmpty(i.locked_reason),
             i.console_tail,
             i.progress,
             i.launched_at,
             i.terminated_at,
             NullIfEmpty(i.description),
             NullIfEmpty(i.availability_zone),
             VifsJson(i.vifs),
             NullIfEmpty(i.access_ip_v4),
             NullIfEmpty(i.access_ip_v6),
             i.auto_disk_config,
             i.deleted_at,
             json(i.diagnostics).dump(),
             i.diagnostics_at},
            "instance " + uuid));
    out = InstanceFromRow(saved);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteInstance(const std::string& uuid) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM server_group_members WHERE instance_uuid = $1", {uuid}).status());
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM instances WHERE uuid = $1", {uuid}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError("Instance " + uuid + " could not be found.");
  });
}

}  // namespace gureum::compute::internal
