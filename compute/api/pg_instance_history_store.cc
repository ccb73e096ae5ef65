// An instance's history in PostgreSQL: its faults, its actions with their events, and
// its migrations (the instances themselves: pg_instance_store.cc).
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/pg_store_internal.h"

namespace gureum::compute::internal {
namespace {

MigrationRecord MigrationFromRow(const db::Row& r) {
  return {.id = r.Get<int64_t>("id"),
          .uuid = r.Get<std::string>("uuid"),
          .instance_uuid = r.Get<std::string>("instance_uuid"),
          .migration_type = r.Get<std::string>("migration_type"),
          .status = r.Get<std::string>("status"),
          .source_host = Text(r, "source_host"),
          .dest_host = Text(r, "dest_host"),
          .old_flavor_id = Text(r, "old_flavor_id"),
          .new_flavor_id = Text(r, "new_flavor_id"),
          .created_at = r.Get<absl::Time>("created_at"),
          .updated_at = r.Get<absl::Time>("updated_at")};
}

}  // namespace

absl::Status PgComputeStore::AddFault(const InstanceFault& f) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO instance_faults (instance_uuid, code, message, details, host) "
            "VALUES ($1,$2,$3,$4,$5)",
            {f.instance_uuid, f.code, f.message, f.details, NullIfEmpty(f.host)})
        .status();
  });
}

absl::StatusOr<std::vector<InstanceFault>> PgComputeStore::ListFaults(const std::string& uuid,
                                                                      int limit) {
  std::vector<InstanceFault> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM instance_faults WHERE instance_uuid = $1 ORDER BY id DESC LIMIT $2",
                {uuid, limit}));
    for (const db::Row& r : rows) {
      out.push_back({.instance_uuid = uuid,
                     .code = r.Get<int>("code"),
                     .message = r.Get<std::string>("message"),
                     .details = r.Get<std::string>("details"),
                     .host = Text(r, "host"),
                     .created_at = r.Get<absl::Time>("created_at")});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> PgComputeStore::StartAction(const InstanceActionRecord& a) {
  int64_t id = 0;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Row r,
        tx.ExecOne(
            "INSERT INTO instance_actions (instance_uuid, request_id, action, project_id, user_id, "
            "message) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
            {a.instance_uuid, a.request_id, a.action, a.project_id, a.user_id,
             NullIfEmpty(a.message)},
            "action"));
    id = r.Get<int64_t>("id");
    return absl::OkStatus();
  }));
  return id;
}

absl::Status PgComputeStore::AddActionEvent(const std::string& uuid, const ActionEvent& e) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows a,
        tx.Exec("SELECT id FROM instance_actions WHERE instance_uuid = $1 ORDER BY id DESC LIMIT 1",
                {uuid}));
    if (a.empty()) return absl::OkStatus();  // nothing to attach it to
    const int64_t id = a[0].Get<int64_t>("id");
    GUREUM_RETURN_IF_ERROR(tx.Exec("INSERT INTO instance_action_events (action_id, event, result, "
                                   "host, details, start_time, "
                                   "finish_time) VALUES ($1,$2,$3,$4,$5,$6,$7)",
                                   {id, e.event, NullIfEmpty(e.result), NullIfEmpty(e.host),
                                    NullIfEmpty(e.details), e.start_time, e.finish_time})
                               .status());
    if (e.finish_time) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("UPDATE instance_actions SET finish_time = $2, updated_at = now(), "
                  "message = CASE WHEN $3 = 'Error' THEN 'Error' ELSE message END WHERE id = $1",
                  {id, *e.finish_time, e.result})
              .status());
    }
    return absl::OkStatus();
  });
}

namespace {

absl::Status LoadEvents(db::Tx& tx, InstanceActionRecord& a) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx.Exec("SELECT * FROM instance_action_events WHERE action_id = $1 ORDER BY id", {a.id}));
  for (const db::Row& r : rows) {
    a.events.push_back({.event = r.Get<std::string>("event"),
                        .result = Text(r, "result"),
                        .host = Text(r, "host"),
                        .details = Text(r, "details"),
                        .start_time = r.Get<absl::Time>("start_time"),
                        .finish_time = r.Get<std::optional<absl::Time>>("finish_time")});
  }
  return absl::OkStatus();
}

InstanceActionRecord ActionFromRow(const db::Row& r) {
  InstanceActionRecord a;
  a.id = r.Get<int64_t>("id");
  a.instance_uuid = r.Get<std::string>("instance_uuid");
  a.request_id = r.Get<std::string>("request_id");
  a.action = r.Get<std::string>("action");
  a.project_id = r.Get<std::string>("project_id");
  a.user_id = r.Get<std::string>("user_id");
  a.message = Text(r, "message");
  a.start_time = r.Get<absl::Time>("start_time");
  a.finish_time = r.Get<std::optional<absl::Time>>("finish_time");
  a.updated_at = r.Get<absl::Time>("updated_at");
  return a;
}

}  // namespace

absl::StatusOr<std::vector<InstanceActionRecord>> PgComputeStore::ListActions(
    const std::string& uuid) {
  std::vector<InstanceActionRecord> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM instance_actions WHERE instance_uuid = $1 ORDER BY id DESC",
                {uuid}));
    for (const db::Row& r : rows) out.push_back(ActionFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<InstanceActionRecord> PgComputeStore::GetAction(const std::string& uuid,
                                                               const std::string& request_id) {
  InstanceActionRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM instance_actions WHERE instance_uuid = $1 AND request_id = $2 "
                "ORDER BY id DESC LIMIT 1",
                {uuid, request_id}));
    if (rows.empty()) {
      return absl::NotFoundError("Action for request_id " + request_id + " on instance " + uuid +
                                 " not found");
    }
    out = ActionFromRow(rows[0]);
    return LoadEvents(tx, out);
  }));
  return out;
}

absl::Status PgComputeStore::CreateMigration(const MigrationRecord& m) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO migrations (uuid, instance_uuid, migration_type, status, "
            "source_host, dest_host, old_flavor_id, new_flavor_id) VALUES "
            "($1,$2,$3,$4,$5,$6,$7,$8)",
            {m.uuid, m.instance_uuid, m.migration_type, m.status, NullIfEmpty(m.source_host),
             NullIfEmpty(m.dest_host), NullIfEmpty(m.old_flavor_id), NullIfEmpty(m.new_flavor_id)})
        .status();
  });
}

absl::Status PgComputeStore::SetMigrationStatus(const std::string& uuid,
                                                const std::string& status) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec("UPDATE migrations SET status = $2, updated_at = now() WHERE uuid = $1",
              {uuid, status})
        .status();
  });
}

absl::StatusOr<std::vector<MigrationRecord>> PgComputeStore::ListMigrations(
    const std::string& instance_uuid) {
  std::vector<MigrationRecord> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT * FROM migrations WHERE ($1 = '' OR "
                                    "instance_uuid = $1) ORDER BY created_at DESC, id DESC",
                                    {instance_uuid}));
    for (const db::Row& r : rows) out.push_back(MigrationFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gureum::compute::internal
