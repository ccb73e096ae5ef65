// PostgreSQL MetadefStore: one row a namespace; what it holds travels as JSONB (`body`).
#include "image/pg_metadef_store.h"

#include <nlohmann/json.hpp>

#include "common/status/macros.h"

namespace gureum::image {
namespace {

using nlohmann::json;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(const json& v) { return absl::FromUnixMicros(v.get<int64_t>()); }

json BodyOf(const MetadefNamespace& ns) {
  json rts = json::array(), objects = json::array(), tags = json::array();
  for (const ResourceTypeAssociation& r : ns.resource_types) {
    rts.push_back({{"name", r.name},
                   {"prefix", r.prefix},
                   {"properties_target", r.properties_target},
                   {"created_at", Micros(r.created_at)},
                   {"updated_at", Micros(r.updated_at)}});
  }
  for (const MetadefObject& o : ns.objects) {
    objects.push_back({{"name", o.name},
                       {"description", o.description},
                       {"required", o.required},
                       {"properties", o.properties_json},
                       {"created_at", Micros(o.created_at)},
                       {"updated_at", Micros(o.updated_at)}});
  }
  for (const MetadefTag& t : ns.tags) {
    tags.push_back({{"name", t.name},
                    {"created_at", Micros(t.created_at)},
                    {"updated_at", Micros(t.updated_at)}});
  }
  return {{"display_name", ns.display_name},
          {"description", ns.description},
          {"protected", ns.is_protected},
          {"resource_types", rts},
          {"properties", ns.properties},
          {"objects", objects},
          {"tags", tags}};
}

MetadefNamespace FromRow(const db::Row& row) {
  MetadefNamespace ns;
  ns.name = row.Get<std::string>("name");
  ns.owner = row.Get<std::string>("owner");
  ns.visibility = row.Get<std::string>("visibility");
  ns.created_at = row.Get<absl::Time>("created_at");
  ns.updated_at = row.Get<absl::Time>("updated_at");
  const json b = json::parse(row.Get<std::string>("body"));
  ns.display_name = b.value("display_name", "");
  ns.description = b.value("description", "");
  ns.is_protected = b.value("protected", false);
  ns.properties = b.value("properties", std::map<std::string, std::string>());
  for (const json& r : b.value("resource_types", json::array())) {
    ns.resource_types.push_back({r.value("name", ""), r.value("prefix", ""),
                                 r.value("properties_target", ""), FromMicros(r["created_at"]),
                                 FromMicros(r["updated_at"])});
  }
  for (const json& o : b.value("objects", json::array())) {
    ns.objects.push_back({o.value("name", ""), o.value("description", ""),
                          o.value("required", std::vector<std::string>()),
                          o.value("properties", "{}"), FromMicros(o["created_at"]),
                          FromMicros(o["updated_at"])});
  }
  for (const json& t : b.value("tags", json::array())) {
    ns.tags.push_back(
        {t.value("name", ""), FromMicros(t["created_at"]), FromMicros(t["updated_at"])});
  }
  return ns;
}

constexpr char kSelect[] =
    "SELECT name, owner, visibility, body::text AS body, created_at, updated_at "
    "FROM metadef_namespaces";

class PgMetadefStore final : public MetadefStore {
 public:
  explicit PgMetadefStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status CreateNamespace(const MetadefNamespace& ns) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      return tx
          .Exec(
              "INSERT INTO metadef_namespaces (name, owner, visibility, body, created_at, "
              "updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)",
              {ns.name, ns.owner, ns.visibility, BodyOf(ns).dump(), ns.created_at, ns.updated_at})
          .status();
    });
  }

  absl::StatusOr<MetadefNamespace> GetNamespace(const std::string& name) override {
    MetadefNamespace out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                              tx.Exec(std::string(kSelect) + " WHERE name = $1", {name}));
      if (rows.empty()) return MetadefNamespaceNotFound(name);
      out = FromRow(rows[0]);
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<std::vector<MetadefNamespace>> ListNamespaces() override {
    std::vector<MetadefNamespace> out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      out.clear();
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(std::string(kSelect) + " ORDER BY name"));
      for (const db::Row& row : rows) out.push_back(FromRow(row));
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<MetadefNamespace> MutateNamespace(const std::string& name,
                                                   const MutateFn& fn) override {
    MetadefNamespace out;
    GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows rows, tx.Exec(std::string(kSelect) + " WHERE name = $1 FOR UPDATE", {name}));
      if (rows.empty()) return MetadefNamespaceNotFound(name);
      out = FromRow(rows[0]);
      GUREUM_RETURN_IF_ERROR(fn(out));
      return tx
          .Exec(
              "UPDATE metadef_namespaces SET name = $2, owner = $3, visibility = $4, "
              "body = $5::jsonb, updated_at = $6 WHERE name = $1",
              {name, out.name, out.owner, out.visibility, BodyOf(out).dump(), out.updated_at})
          .status();
    }));
    return out;
  }

  absl::Status DeleteNamespace(const std::string& name) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          int64_t n, tx.ExecAffected("DELETE FROM metadef_namespaces WHERE name = $1", {name}));
      return n == 1 ? absl::OkStatus() : MetadefNamespaceNotFound(name);
    });
  }

 private:
  db::ConnectionPool& pool_;
};

}  // namespace

std::unique_ptr<MetadefStore> NewPgMetadefStore(db::ConnectionPool& pool) {
  return std::make_unique<PgMetadefStore>(pool);
}

}  // namespace gureum::image
