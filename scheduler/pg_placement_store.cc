#include "scheduler/pg_placement_store.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"

namespace gureum::scheduler {
namespace {

using db::Row;
using db::Rows;
using db::Tx;

// A PostgreSQL array literal of resource class names or traits. The manager only lets
// [A-Z0-9_:.-] through, so no quoting is needed; quote anyway so the literal never breaks.
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",";
    out += "\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\"";
  }
  return out + "}";
}

std::string IntArray(const std::vector<int64_t>& items) {
  std::vector<std::string> text;
  for (int64_t v : items) text.push_back(std::to_string(v));
  return "{" + absl::StrJoin(text, ",") + "}";
}

// Locks, in id order, the providers whose usage the transaction is about to change: the
// ones the consumer has allocations on, and `also_uuid` ("" for none). Every change of
// inventories.used goes through this (or the claim function's own provider lock), so two
// transactions queue on the first provider they share instead of deadlocking on
// inventory rows taken in scan order (migrations/0003_claim_lock_order.sql).
absl::Status LockProviders(Tx& tx, const std::string& consumer, const std::string& also_uuid) {
  return tx
      .Exec(
          "SELECT id FROM resource_providers WHERE uuid = $2 OR id IN "
          "(SELECT provider_id FROM allocations WHERE consumer_uuid = $1) "
          "ORDER BY id FOR NO KEY UPDATE",
          {consumer, also_uuid})
      .status();
}

// Releases the consumer's allocations matching `where` (an SQL condition on allocations
// with $1 the consumer and $2 a provider id) and gives their amounts back to the
// inventories.
absl::Status Release(Tx& tx, const std::string& consumer, int64_t provider_id,
                     const std::string& where) {
  GUREUM_RETURN_IF_ERROR(LockProviders(tx, consumer, ""));
  return tx
      .Exec("WITH d AS (DELETE FROM allocations WHERE consumer_uuid = $1 AND (" + where +
                ") RETURNING provider_id, resource_class, used) "
                "UPDATE inventories i SET used = i.used - d.used FROM d "
                "WHERE i.provider_id = d.provider_id AND i.resource_class = d.resource_class",
            {consumer, provider_id})
      .status();
}

// A consumer without allocations is forgotten (with its group membership).
absl::Status ForgetIfEmpty(Tx& tx, const std::string& consumer) {
  return tx
      .Exec(
          "DELETE FROM consumers c WHERE c.uuid = $1 AND NOT EXISTS "
          "(SELECT 1 FROM allocations a WHERE a.consumer_uuid = c.uuid)",
          {consumer})
      .status();
}

absl::StatusOr<std::vector<Provider>> LoadProviders(Tx& tx, const std::string& where,
                                                    const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(
      Rows rows,
      tx.Exec("SELECT p.uuid, p.name, p.generation, i.resource_class, i.total, i.reserved, "
              "i.min_unit, i.max_unit, i.step_size, i.allocation_ratio, i.used "
              "FROM resource_providers p LEFT JOIN inventories i ON i.provider_id = p.id " +
                  where + " ORDER BY p.name, i.resource_class",
              params));
  std::vector<Provider> out;
  std::map<std::string, size_t> index;
  for (const Row& row : rows) {
    std::string uuid = row.Get<std::string>("uuid");
    auto [it, fresh] = index.emplace(uuid, out.size());
    if (fresh) {
      Provider p;
      p.uuid = uuid;
      p.name = row.Get<std::string>("name");
      p.generation = row.Get<int64_t>("generation");
      out.push_back(std::move(p));
    }
    if (row.IsNull("resource_class")) continue;
    Provider& p = out[it->second];
    Inventory inv;
    inv.resource_class = row.Get<std::string>("resource_class");
    inv.total = row.Get<int64_t>("total");
    inv.reserved = row.Get<int64_t>("reserved");
    inv.min_unit = row.Get<int64_t>("min_unit");
    inv.max_unit = row.Get<int64_t>("max_unit");
    inv.step_size = row.Get<int64_t>("step_size");
    inv.allocation_ratio = row.Get<double>("allocation_ratio");
    p.usages[inv.resource_class] = row.Get<int64_t>("used");
    p.inventories[inv.resource_class] = inv;
  }
  GUREUM_ASSIGN_OR_RETURN(Rows traits,
                          tx.Exec("SELECT p.uuid, t.trait FROM provider_traits t "
                                  "JOIN resource_providers p ON p.id = t.provider_id " +
                                      where + " ORDER BY t.trait",
                                  params));
  for (const Row& row : traits) {
    auto it = index.find(row.Get<std::string>("uuid"));
    if (it != index.end()) out[it->second].traits.push_back(row.Get<std::string>("trait"));
  }
  return out;
}

class PgPlacementStore final : public PlacementStore {
 public:
  explicit PgPlacementStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<Provider> PutProvider(const Provider& provider) override {
    Provider result;
    absl::Status s = pool_.Transact([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          Rows found,
          tx.Exec("SELECT id FROM resource_providers WHERE name = $1 FOR UPDATE", {provider.name}));
      int64_t id = 0;
      if (found.empty()) {
        GUREUM_ASSIGN_OR_RETURN(
            Rows taken,
            tx.Exec("SELECT name FROM resource_providers WHERE uuid = $1", {provider.uuid}));
        if (!taken.empty()) {
          return absl::AlreadyExistsError(absl::StrCat("resource provider uuid ", provider.uuid,
                                                       " already belongs to host '",
                                                       taken[0].Get<std::string>("name"), "'"));
        }
        GUREUM_ASSIGN_OR_RETURN(
            Row row, tx.ExecOne("INSERT INTO resource_providers (uuid, name, generation) "
                                "VALUES ($1, $2, 1) RETURNING id",
                                {provider.uuid, provider.name}, "resource provider"));
        id = row.Get<int64_t>("id");
      } else {
        id = found[0].Get<int64_t>("id");
        GUREUM_RETURN_IF_ERROR(tx.Exec("UPDATE resource_providers SET generation = generation "
                                       "+ 1, updated_at = now() WHERE id = $1",
                                       {id})
                                   .status());
      }
      std::vector<std::string> classes;
      for (const auto& [rc, inv] : provider.inventories) classes.push_back(rc);
      GUREUM_ASSIGN_OR_RETURN(
          Rows in_use,
          tx.Exec("SELECT resource_class, used FROM inventories WHERE provider_id = $1 "
                  "AND used > 0 AND resource_class <> ALL($2::text[])",
                  {id, TextArray(classes)}));
      if (!in_use.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "inventory ", in_use[0].Get<std::string>("resource_class"), " of host '", provider.name,
            "' has allocations (", in_use[0].Get<int64_t>("used"), " used) and cannot be removed"));
      }
      GUREUM_RETURN_IF_ERROR(tx.Exec("DELETE FROM inventories WHERE provider_id = $1 AND "
                                     "resource_class <> ALL($2::text[])",
                                     {id, TextArray(classes)})
                                 .status());
      for (const auto& [rc, inv] : provider.inventories) {
        GUREUM_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO inventories (provider_id, resource_class, total, reserved, "
                    "min_unit, max_unit, step_size, allocation_ratio) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                    "ON CONFLICT (provider_id, resource_class) DO UPDATE SET "
                    "total = excluded.total, reserved = excluded.reserved, "
                    "min_unit = excluded.min_unit, max_unit = excluded.max_unit, "
                    "step_size = excluded.step_size, "
                    "allocation_ratio = excluded.allocation_ratio",
                    {id, rc, inv.total, inv.reserved, inv.min_unit, inv.max_unit, inv.step_size,
                     inv.allocation_ratio})
                .status());
      }
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM provider_traits WHERE provider_id = $1", {id}).status());
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO provider_traits (provider_id, trait) "
                  "SELECT $1, t FROM unnest($2::text[]) AS t ON CONFLICT DO NOTHING",
                  {id, TextArray(provider.traits)})
              .status());
      GUREUM_ASSIGN_OR_RETURN(auto loaded, LoadProviders(tx, "WHERE p.id = $1", {id}));
      result = loaded.at(0);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return result;
  }

  absl::StatusOr<Provider> GetProvider(const std::string& uuid, const std::string& name) override {
    std::vector<Provider> found;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(found, uuid.empty() ? LoadProviders(tx, "WHERE p.name = $1", {name})
                                                  : LoadProviders(tx, "WHERE p.uuid = $1", {uuid}));
      return absl::OkStatus();
    }));
    if (found.empty()) {
      return absl::NotFoundError(uuid.empty() ? "No resource provider named '" + name + "'."
                                              : "No resource provider with uuid " + uuid + ".");
    }
    return found[0];
  }

  absl::StatusOr<std::vector<Provider>> ListProviders(const std::string& name) override {
    std::vector<Provider> found;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(found, name.empty() ? LoadProviders(tx, "", {})
                                                  : LoadProviders(tx, "WHERE p.name = $1", {name}));
      return absl::OkStatus();
    }));
    return found;
  }

  absl::Status DeleteProvider(const std::string& uuid) override {
    return pool_.Transact([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          Row p, tx.ExecOne("SELECT id, name FROM resource_providers WHERE uuid = $1 FOR UPDATE",
                            {uuid}, "resource provider " + uuid));
      int64_t id = p.Get<int64_t>("id");
      GUREUM_ASSIGN_OR_RETURN(Rows used,
                              tx.Exec("SELECT count(DISTINCT consumer_uuid) AS n FROM allocations "
                                      "WHERE provider_id = $1",
                                      {id}));
      if (used[0].Get<int64_t>("n") > 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "resource provider '", p.Get<std::string>("name"), "' still has allocations of ",
            used[0].Get<int64_t>("n"), " consumer(s); delete or move them first"));
      }
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM group_members WHERE provider_id = $1", {id}).status());
      return tx.Exec("DELETE FROM resource_providers WHERE id = $1", {id}).status();
    });
  }

  absl::StatusOr<ConsumerAllocations> GetAllocations(const std::string& consumer) override {
    ConsumerAllocations out;
    out.consumer_uuid = consumer;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          Rows rows,
          tx.Exec("SELECT c.project_id, c.user_id, c.generation, c.claim_key, p.uuid, p.name, "
                  "a.resource_class, a.used FROM consumers c "
                  "LEFT JOIN allocations a ON a.consumer_uuid = c.uuid "
                  "LEFT JOIN resource_providers p ON p.id = a.provider_id "
                  "WHERE c.uuid = $1 ORDER BY p.name, a.resource_class",
                  {consumer}));
      out.allocations.clear();
      for (const Row& row : rows) {
        out.project_id = row.Get<std::string>("project_id");
        out.user_id = row.Get<std::string>("user_id");
        out.generation = row.Get<int64_t>("generation");
        out.claim_key = row.Get<std::string>("claim_key");
        if (row.IsNull("uuid")) continue;
        std::string uuid = row.Get<std::string>("uuid");
        if (out.allocations.empty() || out.allocations.back().provider_uuid != uuid) {
          out.allocations.push_back({uuid, row.Get<std::string>("name"), {}});
        }
        out.allocations.back().resources[row.Get<std::string>("resource_class")] =
            row.Get<int64_t>("used");
      }
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_uuid) override {
    return pool_.Transact([&](Tx& tx) -> absl::Status {
      int64_t provider_id = 0;
      if (!provider_uuid.empty()) {
        GUREUM_ASSIGN_OR_RETURN(
            Rows p, tx.Exec("SELECT id FROM resource_providers WHERE uuid = $1", {provider_uuid}));
        if (p.empty()) return absl::OkStatus();  // nothing can be allocated there
        provider_id = p[0].Get<int64_t>("id");
      }
      GUREUM_RETURN_IF_ERROR(LockConsumer(tx, consumer));
      GUREUM_RETURN_IF_ERROR(Release(tx, consumer, provider_id, "$2 = 0 OR provider_id = $2"));
      GUREUM_RETURN_IF_ERROR(BumpConsumer(tx, consumer));
      return ForgetIfEmpty(tx, consumer);
    });
  }

  absl::Status MoveAllocations(const std::string& from, const std::string& to,
                               const std::string& provider_uuid) override {
    return pool_.Transact([&](Tx& tx) -> absl::Status {
      int64_t provider_id = 0;
      if (!provider_uuid.empty()) {
        GUREUM_ASSIGN_OR_RETURN(
            Row p, tx.ExecOne("SELECT id FROM resource_providers WHERE uuid = $1", {provider_uuid},
                              "resource provider " + provider_uuid));
        provider_id = p.Get<int64_t>("id");
      }
      GUREUM_RETURN_IF_ERROR(LockConsumer(tx, from));
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO consumers (uuid, project_id, user_id) "
                  "SELECT $2, project_id, user_id FROM consumers WHERE uuid = $1 "
                  "ON CONFLICT (uuid) DO UPDATE SET generation = consumers.generation + 1, "
                  "updated_at = now()",
                  {from, to})
              .status());
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("WITH d AS (DELETE FROM allocations WHERE consumer_uuid = $1 AND "
                  "($3 = 0 OR provider_id = $3) RETURNING provider_id, resource_class, used) "
                  "INSERT INTO allocations (consumer_uuid, provider_id, resource_class, used) "
                  "SELECT $2, provider_id, resource_class, used FROM d "
                  "ON CONFLICT (consumer_uuid, provider_id, resource_class) "
                  "DO UPDATE SET used = allocations.used + excluded.used",
                  {from, to, provider_id})
              .status());
      GUREUM_RETURN_IF_ERROR(BumpConsumer(tx, from));
      GUREUM_RETURN_IF_ERROR(ForgetIfEmpty(tx, from));
      return ForgetIfEmpty(tx, to);
    });
  }

  absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request) override {
    const ClaimAmounts amounts = AmountsOf(request.resources);
    ClaimResult result;
    absl::Status s = pool_.Transact([&](Tx& tx) -> absl::Status {
      result = ClaimResult{};
      if (!request.group.has_value()) {
        GUREUM_ASSIGN_OR_RETURN(bool fresh, ClaimFresh(tx, request, amounts, result));
        if (fresh) return absl::OkStatus();
      }
      GUREUM_ASSIGN_OR_RETURN(bool claimed_before, TakeConsumer(tx, request, result));
      if (claimed_before) return absl::OkStatus();
      if (request.group.has_value()) {
        GUREUM_RETURN_IF_ERROR(CheckGroup(tx, request));
      }
      return ClaimOnProvider(tx, request, amounts, result);
    });
    if (!s.ok()) return s;
    return result;
  }

  absl::Status Unclaim(const std::string& consumer, const std::string& provider_uuid,
                       const Resources& resources) override {
    std::vector<std::string> classes;
    std::vector<int64_t> amounts;
    for (const auto& [rc, amount] : resources) {
      classes.push_back(rc);
      amounts.push_back(amount);
    }
    return pool_.Transact([&](Tx& tx) -> absl::Status {
      GUREUM_RETURN_IF_ERROR(LockConsumer(tx, consumer));
      GUREUM_RETURN_IF_ERROR(LockProviders(tx, consumer, provider_uuid));
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("WITH p AS (SELECT id FROM resource_providers WHERE uuid = $2), "
                  "req AS (SELECT * FROM unnest($3::text[], $4::bigint[]) AS r(rc, amount)), "
                  "cur AS (SELECT a.provider_id, a.resource_class, a.used, "
                  "  LEAST(a.used, req.amount) AS dec FROM allocations a, req, p "
                  "  WHERE a.consumer_uuid = $1 AND a.provider_id = p.id "
                  "  AND a.resource_class = req.rc), "
                  "del AS (DELETE FROM allocations a USING cur WHERE a.consumer_uuid = $1 "
                  "  AND a.provider_id = cur.provider_id "
                  "  AND a.resource_class = cur.resource_class AND cur.dec = cur.used), "
                  "upd AS (UPDATE allocations a SET used = a.used - cur.dec FROM cur "
                  "  WHERE a.consumer_uuid = $1 AND a.provider_id = cur.provider_id "
                  "  AND a.resource_class = cur.resource_class AND cur.dec < cur.used) "
                  "UPDATE inventories i SET used = i.used - cur.dec FROM cur "
                  "WHERE i.provider_id = cur.provider_id "
                  "AND i.resource_class = cur.resource_class",
                  {consumer, provider_uuid, TextArray(classes), IntArray(amounts)})
              .status());
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("UPDATE consumers SET claim_key = '', generation = generation + 1 "
                  "WHERE uuid = $1",
                  {consumer})
              .status());
      return ForgetIfEmpty(tx, consumer);
    });
  }

  absl::StatusOr<std::map<std::string, int>> GroupMembers(const std::string& group_uuid) override {
    std::map<std::string, int> out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(Rows rows, MembersOf(tx, group_uuid, ""));
      out.clear();
      for (const Row& row : rows) out[row.Get<std::string>("uuid")] = row.Get<int>("n");
      return absl::OkStatus();
    }));
    return out;
  }

 private:
  // The resource classes and amounts of a claim, as two parallel SQL arrays.
  struct ClaimAmounts {
    std::vector<std::string> classes;
    std::vector<int64_t> amounts;
  };

  static ClaimAmounts AmountsOf(const Resources& resources) {
    ClaimAmounts out;
    for (const auto& [rc, amount] : resources) {
      if (amount <= 0) continue;
      out.classes.push_back(rc);
      out.amounts.push_back(amount);
    }
    return out;
  }

  static absl::Status NoRoom(const ClaimRequest& request, const std::string& provider_name) {
    return absl::ResourceExhaustedError(absl::StrCat("host '", provider_name, "' has no room for ",
                                                     DescribeResources(request.resources)));
  }

  // The common case in one statement: a consumer seen for the first time, no group
  // (migrations/0002). The consumer row is created, the inventories are incremented
  // where they have room, and the allocations written; a short count means no room
  // (rolled back). False when the consumer was known: the caller takes the long way.
  static absl::StatusOr<bool> ClaimFresh(Tx& tx, const ClaimRequest& request,
                                         const ClaimAmounts& amounts, ClaimResult& result) {
    GUREUM_ASSIGN_OR_RETURN(
        Rows fast,
        tx.Exec("SELECT provider_id, provider_name AS name, fresh, claimed AS n "
                "FROM placement_claim_fresh($1, $2::text[], $3::bigint[], $4, $5, $6, $7)",
                {request.provider_uuid, TextArray(amounts.classes), IntArray(amounts.amounts),
                 request.consumer_uuid, request.project_id, request.user_id, request.claim_key}));
    if (fast.empty()) {
      return absl::NotFoundError("No resource provider with uuid " + request.provider_uuid + ".");
    }
    if (!fast[0].Get<bool>("fresh")) return false;
    result.provider_uuid = request.provider_uuid;
    result.provider_name = fast[0].Get<std::string>("name");
    if (fast[0].Get<int64_t>("n") != static_cast<int64_t>(amounts.classes.size())) {
      return NoRoom(request, result.provider_name);
    }
    return true;
  }

  // The consumer row: created with this claim's key, or locked as it is (its old key
  // comes back), so concurrent deliveries of one task serialise here. A known consumer
  // gives back what it holds outside the kept provider and takes this claim's key; true
  // (with `result` set) when an earlier delivery of this task claimed already.
  static absl::StatusOr<bool> TakeConsumer(Tx& tx, const ClaimRequest& request,
                                           ClaimResult& result) {
    GUREUM_ASSIGN_OR_RETURN(
        Row consumer,
        tx.ExecOne("INSERT INTO consumers (uuid, project_id, user_id, claim_key) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (uuid) DO UPDATE SET "
                   "updated_at = now() RETURNING claim_key, (xmax = 0) AS inserted",
                   {request.consumer_uuid, request.project_id, request.user_id, request.claim_key},
                   "consumer"));
    GUREUM_RETURN_IF_ERROR(LockProviders(tx, request.consumer_uuid, request.provider_uuid));
    if (consumer.Get<bool>("inserted")) return false;
    GUREUM_ASSIGN_OR_RETURN(Rows held,
                            tx.Exec("SELECT DISTINCT p.id, p.uuid, p.name FROM allocations a "
                                    "JOIN resource_providers p ON p.id = a.provider_id "
                                    "WHERE a.consumer_uuid = $1 ORDER BY p.name",
                                    {request.consumer_uuid}));
    if (consumer.Get<std::string>("claim_key") == request.claim_key && !held.empty()) {
      // An earlier delivery of this task claimed already: report where.
      const Row* pick = &held[0];
      for (const Row& row : held) {
        if (row.Get<std::string>("uuid") != request.keep_provider_uuid) pick = &row;
      }
      result.already_claimed = true;
      result.provider_uuid = pick->Get<std::string>("uuid");
      result.provider_name = pick->Get<std::string>("name");
      return true;
    }
    int64_t keep_id = 0;
    for (const Row& row : held) {
      if (row.Get<std::string>("uuid") == request.keep_provider_uuid) {
        keep_id = row.Get<int64_t>("id");
      }
    }
    GUREUM_RETURN_IF_ERROR(Release(tx, request.consumer_uuid, keep_id, "provider_id <> $2"));
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("UPDATE consumers SET claim_key = $2, project_id = $3, user_id = $4, "
                "generation = generation + 1 WHERE uuid = $1",
                {request.consumer_uuid, request.claim_key, request.project_id, request.user_id})
            .status());
    return false;
  }

  // The inventories incremented where they have room and the allocations written (a short
  // count means no room: the caller's transaction rolls back), and the group membership.
  static absl::Status ClaimOnProvider(Tx& tx, const ClaimRequest& request,
                                      const ClaimAmounts& amounts, ClaimResult& result) {
    GUREUM_ASSIGN_OR_RETURN(
        Rows claimed,
        tx.Exec("WITH p AS (SELECT id, name FROM resource_providers WHERE uuid = $1), "
                "req AS (SELECT * FROM unnest($2::text[], $3::bigint[]) AS r(rc, amount)), "
                "inv AS (UPDATE inventories i SET used = i.used + req.amount FROM req, p "
                "  WHERE i.provider_id = p.id AND i.resource_class = req.rc "
                "  AND i.used + req.amount <= "
                "      floor((i.total - i.reserved) * i.allocation_ratio) "
                "  AND req.amount >= i.min_unit AND req.amount <= i.max_unit "
                "  AND req.amount % i.step_size = 0 RETURNING i.resource_class), "
                "ins AS (INSERT INTO allocations (consumer_uuid, provider_id, "
                "  resource_class, used) SELECT $4, p.id, req.rc, req.amount FROM req, p "
                "  ON CONFLICT (consumer_uuid, provider_id, resource_class) "
                "  DO UPDATE SET used = allocations.used + excluded.used) "
                "SELECT p.id, p.name, (SELECT count(*) FROM inv) AS n FROM p",
                {request.provider_uuid, TextArray(amounts.classes), IntArray(amounts.amounts),
                 request.consumer_uuid}));
    if (claimed.empty()) {
      return absl::NotFoundError("No resource provider with uuid " + request.provider_uuid + ".");
    }
    result.provider_uuid = request.provider_uuid;
    result.provider_name = claimed[0].Get<std::string>("name");
    if (claimed[0].Get<int64_t>("n") != static_cast<int64_t>(amounts.classes.size())) {
      return NoRoom(request, result.provider_name);
    }
    if (!request.group.has_value()) return absl::OkStatus();
    return tx
        .Exec(
            "INSERT INTO group_members (group_uuid, consumer_uuid, provider_id) "
            "VALUES ($1, $2, $3) ON CONFLICT (group_uuid, consumer_uuid) "
            "DO UPDATE SET provider_id = excluded.provider_id",
            {request.group->uuid, request.consumer_uuid, claimed[0].Get<int64_t>("id")})
        .status();
  }

  static std::string DescribeResources(const Resources& r) {
    std::vector<std::string> parts;
    for (const auto& [rc, n] : r) parts.push_back(absl::StrCat(rc, "=", n));
    return absl::StrJoin(parts, ", ");
  }

  static absl::Status LockConsumer(Tx& tx, const std::string& consumer) {
    return tx.Exec("SELECT uuid FROM consumers WHERE uuid = $1 FOR UPDATE", {consumer}).status();
  }

  static absl::Status BumpConsumer(Tx& tx, const std::string& consumer) {
    return tx
        .Exec(
            "UPDATE consumers SET generation = generation + 1, updated_at = now() "
            "WHERE uuid = $1",
            {consumer})
        .status();
  }

  static absl::StatusOr<Rows> MembersOf(Tx& tx, const std::string& group,
                                        const std::string& except_consumer) {
    return tx.Exec(
        "SELECT p.uuid, count(*) AS n FROM group_members g "
        "JOIN resource_providers p ON p.id = g.provider_id "
        "WHERE g.group_uuid = $1 AND g.consumer_uuid <> $2 GROUP BY p.uuid",
        {group, except_consumer});
  }

  // Hard policies: under the group's lock (held to commit), so two claims of one group
  // see each other's membership.
  static absl::Status CheckGroup(Tx& tx, const ClaimRequest& request) {
    const GroupPolicy& g = *request.group;
    if (!g.hard()) return absl::OkStatus();
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", {g.uuid}).status());
    GUREUM_ASSIGN_OR_RETURN(Rows rows, MembersOf(tx, g.uuid, request.consumer_uuid));
    for (const Row& row : rows) {
      bool here = row.Get<std::string>("uuid") == request.provider_uuid;
      int n = row.Get<int>("n");
      if (g.policy == "anti-affinity" && here && n >= std::max(1, g.max_per_host)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "anti-affinity: server group ", g.uuid, " already has ", n, " member(s) on this host"));
      }
      if (g.policy == "affinity" && !here) {
        return absl::FailedPreconditionError("affinity: server group " + g.uuid +
                                             " has members on another host");
      }
    }
    return absl::OkStatus();
  }

  db::ConnectionPool& pool_;
};

}  // namespace

std::unique_ptr<PlacementStore> NewPgPlacementStore(db::ConnectionPool& pool) {
  return std::make_unique<PgPlacementStore>(pool);
}

}  // namespace gureum::scheduler
