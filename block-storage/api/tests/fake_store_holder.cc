#include "block-storage/api/fake_block_storage_store.h"
#include "block-storage/api/tests/store_holder.h"

namespace gureum::block_storage::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  BlockStorageStore& store() override { return store_; }

 private:
  FakeBlockStorageStore store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<FakeHolder>(); }

}  // namespace gureum::block_storage::testing
