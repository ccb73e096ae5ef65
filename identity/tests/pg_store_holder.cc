#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "identity/migrations/migrations.h"
#include "identity/pg_identity_store.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

// A fresh database per test, migrated, dropped at the end.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(2, Migrations());
    store_ = NewPgIdentityStore(*pool_);
  }
  IdentityStore& store() override { return *store_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<IdentityStore> store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<PgHolder>(); }

}  // namespace gureum::identity::testing
