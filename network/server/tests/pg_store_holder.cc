#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "network/server/migrations/migrations.h"
#include "network/server/pg_network_store.h"
#include "network/server/tests/store_holder.h"

namespace gureum::network::testing {
namespace {

// A fresh database per test, migrated, dropped at the end.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(2, Migrations());
    store_ = std::make_unique<PgNetworkStore>(*pool_);
  }
  NetworkStore& store() override { return *store_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<PgNetworkStore> store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<PgHolder>(); }

}  // namespace gureum::network::testing
