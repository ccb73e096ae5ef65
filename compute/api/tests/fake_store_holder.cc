#include "compute/api/fake_compute_store.h"
#include "compute/api/tests/store_holder.h"

namespace gureum::compute::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  explicit FakeHolder(const Clock& clock) : store_(clock) {}
  ComputeStore& store() override { return store_; }

 private:
  FakeComputeStore store_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder(const Clock& clock) {
  return std::make_unique<FakeHolder>(clock);
}

}  // namespace gureum::compute::testing
