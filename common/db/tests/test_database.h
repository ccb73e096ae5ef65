// Test-only: a fresh database on the server that ./tests/run.sh started
// (GUREUM_TEST_PG_URI), created for one test and dropped when the object goes away.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/db/migrations.h"
#include "common/db/pool.h"

namespace gureum::db::testing {

class TestDatabase {
 public:
  // Aborts the test binary (via RequireEnv) when GUREUM_TEST_PG_URI is unset; fails the
  // current test when the server refuses.
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // URI of the test database.
  const std::string& uri() const { return uri_; }
  // A pool on the server's maintenance database, for pg_terminate_backend and the like.
  ConnectionPool& admin() { return *admin_; }
  // A new pool on the test database.
  std::unique_ptr<ConnectionPool> NewPool(int size);
  // A new pool after `migrations` have run on the test database (a store's contract test
  // starts from this); aborts with the reason when they fail.
  std::unique_ptr<ConnectionPool> NewMigratedPool(int size,
                                                  const std::vector<Migration>& migrations);

 private:
  std::string name_;
  std::string uri_;
  std::unique_ptr<ConnectionPool> admin_;
};

}  // namespace gureum::db::testing
