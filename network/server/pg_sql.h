// SQL helpers shared by the PostgreSQL store's files (pg_network_store*.cc).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/row.h"
#include "common/db/tx.h"
#include "network/server/network_store.h"

namespace gureum::network::internal {

// A text array literal for = ANY($n).
std::string ArrayLiteral(const std::vector<std::string>& values);
// Appends " AND col = ANY($n)" for each filter key mapped to a column; keys not in
// `columns` are ignored (the REST adapter applies the rest on the JSON).
void AddFilters(const Filters& f, const std::map<std::string, std::string>& columns,
                std::string& sql, db::Params& params);
// The rows of a list: SELECT `cols` FROM `from`, narrowed for non-admins by `scope` (an
// SQL condition on $1 = the caller's project; empty: no narrowing), then by the filters
// mapped in `columns`, in creation order.
absl::StatusOr<db::Rows> SelectListed(db::Tx& tx, bool admin, const std::string& project,
                                      const std::string& cols, const std::string& from,
                                      const std::string& scope, const Filters& f,
                                      const std::map<std::string, std::string>& columns);

// JSON list columns and the stamps every table has.
std::string TagsJson(const std::vector<std::string>& tags);
std::vector<std::string> TagsFromJson(const std::string& text);
Stamps StampsFromRow(const db::Row& r);
// Routes (host routes, router routes) as the JSON text columns keep them.
std::string RoutesText(const std::vector<Route>& routes);
std::vector<Route> RoutesFromText(const std::string& text);
// An agent row (the agents table's columns, kAgentColumns).
extern const char kAgentColumns[];
Agent AgentFromRow(const db::Row& r);

}  // namespace gureum::network::internal
