#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "compute/api/migrations/migrations.h"
#include "compute/api/tests/store_holder.h"

namespace gureum::compute::testing {
namespace {

// A fresh database per test, migrated, dropped at the end.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(2, Migrations());
    store_ = NewPgComputeStore(*pool_);
  }
  ComputeStore& store() override { return *store_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<ComputeStore> store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder(const Clock&) { return std::make_unique<PgHolder>(); }

}  // namespace gureum::compute::testing
