#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "image/migrations/migrations.h"
#include "image/pg_image_store.h"
#include "image/pg_metadef_store.h"
#include "image/tests/store_holder.h"

namespace gureum::image::testing {
namespace {

// A fresh database per test, migrated, dropped at the end.
class PgHolder final : public StoreHolder {
 public:
  PgHolder() {
    pool_ = db_.NewMigratedPool(4, Migrations());
    store_ = NewPgImageStore(*pool_);
    metadefs_ = NewPgMetadefStore(*pool_);
  }
  ImageStore& store() override { return *store_; }
  MetadefStore& metadefs() override { return *metadefs_; }

 private:
  db::testing::TestDatabase db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<ImageStore> store_;
  std::unique_ptr<MetadefStore> metadefs_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<PgHolder>(); }

}  // namespace gureum::image::testing
