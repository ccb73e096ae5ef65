#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "scheduler/migrations/migrations.h"
#include "scheduler/pg_placement_store.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

// A fresh database per test, migrated, dropped at the end; two pools stand for two
// scheduler processes.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(8, Migrations());
    other_pool_ = db_.NewPool(8);
    store_ = NewPgPlacementStore(*pool_);
    other_ = NewPgPlacementStore(*other_pool_);
  }
  PlacementStore& store() override { return *store_; }
  PlacementStore& other() override { return *other_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<db::ConnectionPool> other_pool_;
  std::unique_ptr<PlacementStore> store_;
  std::unique_ptr<PlacementStore> other_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<PgHolder>(); }

}  // namespace gureum::scheduler::testing
