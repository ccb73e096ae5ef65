// The manager tests' store in the integration binaries: a fresh, migrated PostgreSQL database
// per fixture (GUREUM_TEST_PG_URI), dropped at the end.
#include "common/db/tests/test_database.h"
#include "network/server/migrations/migrations.h"
#include "network/server/pg_network_store.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

class PgFixtureStore final : public FixtureStore {
 public:
  explicit PgFixtureStore(int pool_size)
      : pool_(db_.NewMigratedPool(pool_size, Migrations())), store_(*pool_) {}
  NetworkStore& store() override { return store_; }
  db::ConnectionPool* pool() override { return pool_.get(); }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  PgNetworkStore store_;
};

}  // namespace

std::unique_ptr<FixtureStore> NewFixtureStore(int pool_size) {
  return std::make_unique<PgFixtureStore>(pool_size);
}

}  // namespace gureum::network::testing
