#include "scheduler/fake_placement_store.h"
#include "scheduler/tests/store_holder.h"

namespace gureum::scheduler::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  PlacementStore& store() override { return store_; }
  PlacementStore& other() override { return store_; }

 private:
  FakePlacementStore store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<FakeHolder>(); }

}  // namespace gureum::scheduler::testing
