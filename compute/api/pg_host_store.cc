// Services (heartbeats) and host aggregates in PostgreSQL.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/pg_store_internal.h"

namespace gureum::compute::internal {
namespace {

ServiceRecord ServiceFromRow(const db::Row& r) {
  ServiceRecord s;
  s.id = r.Get<int>("id");
  s.uuid = r.Get<std::string>("uuid");
  s.host = r.Get<std::string>("host");
  s.binary = r.Get<std::string>("binary_name");
  s.enabled = r.Get<bool>("enabled");
  s.disabled_reason = Text(r, "disabled_reason");
  s.forced_down = r.Get<bool>("forced_down");
  s.last_seen_at = r.Get<std::optional<absl::Time>>("last_seen_at");
  s.report_count = r.Get<int64_t>("report_count");
  s.availability_zone = Text(r, "availability_zone");
  s.node_uuid = Text(r, "node_uuid");
  s.hypervisor_type = Text(r, "hypervisor_type");
  s.host_ip = Text(r, "host_ip");
  s.running_vms = r.Get<int>("running_vms");
  s.version = Text(r, "version");
  s.created_at = r.Get<absl::Time>("created_at");
  s.updated_at = r.Get<absl::Time>("updated_at");
  return s;
}

absl::StatusOr<Aggregate> LoadAggregate(db::Tx& tx, int id) {
  auto r = tx.ExecOne(
      "SELECT id, uuid, name, availability_zone, metadata::text AS metadata, "
      "created_at, updated_at FROM aggregates WHERE id = $1",
      {id}, "");
  if (r.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("Aggregate ", id, " could not be found."));
  }
  if (!r.ok()) return r.status();
  Aggregate a;
  a.id = r->Get<int>("id");
  a.uuid = r->Get<std::string>("uuid");
  a.name = r->Get<std::string>("name");
  a.availability_zone = Text(*r, "availability_zone");
  a.metadata = MapFromJson(r->Get<std::string>("metadata"));
  a.created_at = r->Get<absl::Time>("created_at");
  a.updated_at = r->Get<absl::Time>("updated_at");
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows hosts,
      tx.Exec("SELECT host FROM aggregate_hosts WHERE aggregate_id = $1 ORDER BY host", {id}));
  for (const db::Row& h : hosts) a.hosts.push_back(h.Get<std::string>("host"));
  return a;
}

}  // namespace

absl::StatusOr<ServiceRecord> PgComputeStore::RecordHeartbeat(const ServiceRecord& hb) {
  ServiceRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Row r,
        tx.ExecOne(
            "INSERT INTO services (uuid, host, binary_name, last_seen_at, report_count, "
            "availability_zone, "
            "node_uuid, hypervisor_type, host_ip, running_vms, version) "
            "VALUES ($1,$2,$3,now(),1,$4,$5,$6,$7,$8,$9) "
            "ON CONFLICT (host, binary_name) DO UPDATE SET last_seen_at = now(), "
            "report_count = services.report_count + 1, "
            "availability_zone = coalesce(EXCLUDED.availability_zone, services.availability_zone), "
            "node_uuid = coalesce(EXCLUDED.node_uuid, services.node_uuid), "
            "hypervisor_type = coalesce(EXCLUDED.hypervisor_type, services.hypervisor_type), "
            "host_ip = coalesce(EXCLUDED.host_ip, services.host_ip), "
            "running_vms = EXCLUDED.running_vms, version = EXCLUDED.version, updated_at = now() "
            "RETURNING *",
            {hb.uuid, hb.host, hb.binary, NullIfEmpty(hb.availability_zone),
             NullIfEmpty(hb.node_uuid), NullIfEmpty(hb.hypervisor_type), NullIfEmpty(hb.host_ip),
             hb.running_vms, NullIfEmpty(hb.version)},
            "service"));
    out = ServiceFromRow(r);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ServiceRecord>> PgComputeStore::ListServices() {
  std::vector<ServiceRecord> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT * FROM services ORDER BY id"));
    for (const db::Row& r : rows) out.push_back(ServiceFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ServiceRecord> PgComputeStore::GetService(const std::string& uuid_or_id) {
  ServiceRecord out;
  int id = -1;
  if (!absl::SimpleAtoi(uuid_or_id, &id)) id = -1;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM services WHERE uuid = $1 OR id = $2", {uuid_or_id, id}));
    if (rows.empty()) return absl::NotFoundError("Service " + uuid_or_id + " could not be found.");
    out = ServiceFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ServiceRecord> PgComputeStore::UpdateService(const std::string& uuid,
                                                            std::optional<bool> enabled,
                                                            std::optional<std::string> reason,
                                                            std::optional<bool> forced_down) {
  ServiceRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec(
            "UPDATE services SET enabled = coalesce($2, enabled), "
            "disabled_reason = CASE WHEN $2 = true THEN NULL WHEN $3::text IS NOT NULL THEN $3 "
            "ELSE disabled_reason END, forced_down = coalesce($4, forced_down), updated_at = now() "
            "WHERE uuid = $1 RETURNING *",
            {uuid, enabled, reason, forced_down}));
    if (rows.empty()) return absl::NotFoundError("Service " + uuid + " could not be found.");
    out = ServiceFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteService(const std::string& uuid) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM services WHERE uuid = $1", {uuid}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError("Service " + uuid + " could not be found.");
  });
}

absl::StatusOr<Aggregate> PgComputeStore::CreateAggregate(const Aggregate& a) {
  Aggregate out;
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Row r,
        tx.ExecOne("INSERT INTO aggregates (uuid, name, availability_zone, metadata) VALUES "
                   "($1,$2,$3,$4::jsonb) RETURNING id",
                   {a.uuid, a.name, NullIfEmpty(a.availability_zone), MapToJson(a.metadata)},
                   "aggregate"));
    GUREUM_ASSIGN_OR_RETURN(out, LoadAggregate(tx, r.Get<int>("id")));
    return absl::OkStatus();
  });
  GUREUM_RETURN_IF_ERROR(Duplicate(s, "Aggregate " + a.name + " already exists."));
  return out;
}

absl::StatusOr<Aggregate> PgComputeStore::GetAggregate(int id) {
  Aggregate out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, LoadAggregate(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Aggregate>> PgComputeStore::ListAggregates() {
  std::vector<Aggregate> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT id FROM aggregates ORDER BY id"));
    for (const db::Row& r : rows) {
      GUREUM_ASSIGN_OR_RETURN(Aggregate a, LoadAggregate(tx, r.Get<int>("id")));
      out.push_back(std::move(a));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Aggregate> PgComputeStore::UpdateAggregate(int id, std::optional<std::string> name,
                                                          std::optional<std::string> zone) {
  Aggregate out;
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "UPDATE aggregates SET name = coalesce($2, name), availability_zone = CASE WHEN "
            "$3::text IS NULL THEN availability_zone WHEN $3 = '' THEN NULL ELSE $3 END, "
            "updated_at = now() WHERE id = $1",
            {id, name, zone}));
    if (n == 0) return absl::NotFoundError(absl::StrCat("Aggregate ", id, " could not be found."));
    GUREUM_ASSIGN_OR_RETURN(out, LoadAggregate(tx, id));
    return absl::OkStatus();
  });
  GUREUM_RETURN_IF_ERROR(Duplicate(s, "Aggregate " + name.value_or("") + " already exists."));
  return out;
}

absl::Status PgComputeStore::DeleteAggregate(int id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Aggregate a, LoadAggregate(tx, id));
    if (!a.hosts.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Cannot remove aggregate ", id, ": it still has hosts. Remove them first."));
    }
    return tx.Exec("DELETE FROM aggregates WHERE id = $1", {id}).status();
  });
}

absl::Status PgComputeStore::AddAggregateHost(int id, const std::string& host) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LoadAggregate(tx, id).status());
    return tx.Exec("INSERT INTO aggregate_hosts (aggregate_id, host) VALUES ($1,$2)", {id, host})
        .status();
  });
  return Duplicate(s, absl::StrCat("Aggregate ", id, " already has host ", host, "."));
}

absl::Status PgComputeStore::RemoveAggregateHost(int id, const std::string& host) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LoadAggregate(tx, id).status());
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM aggregate_hosts WHERE aggregate_id = $1 AND host = $2",
                        {id, host}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError(absl::StrCat("Aggregate ", id, " has no host ", host, "."));
  });
}

absl::Status PgComputeStore::SetAggregateMetadata(
    int id, const std::map<std::string, std::optional<std::string>>& changes) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Aggregate a, LoadAggregate(tx, id));
    for (const auto& [k, v] : changes) {
      if (v)
        a.metadata[k] = *v;
      else
        a.metadata.erase(k);
    }
    return tx
        .Exec("UPDATE aggregates SET metadata = $2::jsonb, updated_at = now() WHERE id = $1",
              {id, MapToJson(a.metadata)})
        .status();
  });
}

}  // namespace gureum::compute::internal
