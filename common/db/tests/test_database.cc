#include "common/db/tests/test_database.h"

#include <cstdio>
#include <cstdlib>

#include "common/db/database_admin.h"
#include "common/db/uri.h"
#include "common/testing/test_env.h"

namespace gureum::db::testing {
namespace {

// Test set-up failures abort with the reason: there is nothing to test without a database.
template <typename T>
T OrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

void OrDie(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
    std::abort();
  }
}

}  // namespace

TestDatabase::TestDatabase() {
  std::string server = gureum::testing::RequireEnv("GUREUM_TEST_PG_URI");
  name_ = gureum::testing::UniqueName("gureum_dbtest");
  uri_ = OrDie(UriWithDatabase(server, name_), "test database URI");
  admin_ = OrDie(ConnectionPool::Create(server, 1), "connect to the test server");
  OrDie(EnsureDatabase(*admin_, name_), "create the test database");
}

TestDatabase::~TestDatabase() {
  absl::Status dropped = DropDatabase(*admin_, name_);
  if (!dropped.ok())
    std::fprintf(stderr, "drop %s: %s\n", name_.c_str(), dropped.ToString().c_str());
}

std::unique_ptr<ConnectionPool> TestDatabase::NewPool(int size) {
  return OrDie(ConnectionPool::Create(uri_, size), "connect to the test database");
}

std::unique_ptr<ConnectionPool> TestDatabase::NewMigratedPool(
    int size, const std::vector<Migration>& migrations) {
  std::unique_ptr<ConnectionPool> pool = NewPool(size);
  OrDie(Migrate(*pool, migrations).status(), "migrate the test database");
  return pool;
}

}  // namespace gureum::db::testing
