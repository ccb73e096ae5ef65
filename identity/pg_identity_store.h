// IdentityStore on PostgreSQL (database gureum_identity, schema in migrations/). The SQL
// is split by resource over pg_*_store.cc files; all of them use common/db's Tx/Row API.
#pragma once

#include <memory>

#include "common/db/pool.h"
#include "identity/identity_store.h"

namespace gureum::identity {

// Creates the PostgreSQL store over `pool` (not owned; must outlive the store). The
// schema must be migrated (gureum::identity::Migrations()).
std::unique_ptr<IdentityStore> NewPgIdentityStore(db::ConnectionPool& pool);

}  // namespace gureum::identity
