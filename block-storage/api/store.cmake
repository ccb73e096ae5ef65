# The model, the store interface and its PostgreSQL store (block_storage_store), the
# in-memory fake (block_storage_testing), and the contract test run on both.
gureum_sql_migrations(NAME block_storage_migrations DIR migrations NAMESPACE gureum::block_storage)

gureum_cc_library(NAME block_storage_store
  SRCS block_storage_store_rules.cc pg_block_storage_store.cc pg_block_storage_store_sql.cc
       pg_block_storage_store_snapshots.cc pg_block_storage_store_types.cc
  HDRS model.h block_storage_store.h block_storage_store_rules.h pg_block_storage_store.h
       pg_block_storage_store_internal.h
  DEPS gureum::common_db gureum::common_status gureum::block_storage_migrations
       absl::status absl::statusor absl::strings absl::time nlohmann_json::nlohmann_json)

gureum_cc_library(NAME block_storage_testing
  SRCS fake_block_storage_store.cc fake_block_storage_store_types.cc
  HDRS fake_block_storage_store.h
  DEPS gureum::block_storage_store absl::synchronization TESTONLY)

set(BLOCK_STORAGE_STORE_TESTS tests/store_contract_test.cc tests/store_contract_attach_test.cc)

gureum_cc_test(NAME block_storage_store_test
  SRCS tests/fake_store_holder.cc tests/store_fake_test.cc ${BLOCK_STORAGE_STORE_TESTS}
  DEPS gureum::block_storage_store gureum::block_storage_testing)

# The same cases on a fresh PostgreSQL database each, plus concurrent claims and changes.
gureum_cc_test(NAME block_storage_store_pg_test
  SRCS tests/pg_store_holder.cc tests/store_concurrency_test.cc ${BLOCK_STORAGE_STORE_TESTS}
  DEPS gureum::block_storage_store gureum::block_storage_testing gureum::common_db_testing
  LABELS integration)
