#include "identity/fake_identity_store.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  IdentityStore& store() override { return *store_; }

 private:
  std::unique_ptr<FakeIdentityStore> store_ = NewFakeIdentityStore();
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<FakeHolder>(); }

}  // namespace gureum::identity::testing
