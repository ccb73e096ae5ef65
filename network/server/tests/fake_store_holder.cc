#include "network/server/fake_network_store.h"
#include "network/server/tests/store_holder.h"

namespace gureum::network::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  NetworkStore& store() override { return store_; }

 private:
  FakeNetworkStore store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<FakeHolder>(); }

}  // namespace gureum::network::testing
