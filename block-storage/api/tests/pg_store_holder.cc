#include <catch2/catch.hpp>

#include "block-storage/api/migrations/migrations.h"
#include "block-storage/api/pg_block_storage_store.h"
#include "block-storage/api/tests/store_holder.h"
#include "common/db/tests/test_database.h"

namespace gureum::block_storage::testing {
namespace {

// A fresh database per test, migrated, dropped at the end. Eight connections: the
// concurrency cases run that many transactions at once.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(8, Migrations());
    store_ = NewPgBlockStorageStore(*pool_);
  }
  BlockStorageStore& store() override { return *store_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<BlockStorageStore> store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<PgHolder>(); }

}  // namespace gureum::block_storage::testing
