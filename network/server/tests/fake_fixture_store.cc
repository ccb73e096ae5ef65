// The manager tests' store in the unit binary: the in-memory fake.
#include "network/server/fake_network_store.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

class FakeFixtureStore final : public FixtureStore {
 public:
  NetworkStore& store() override { return store_; }
  db::ConnectionPool* pool() override { return nullptr; }

 private:
  FakeNetworkStore store_;
};

}  // namespace

std::unique_ptr<FixtureStore> NewFixtureStore(int) { return std::make_unique<FakeFixtureStore>(); }

}  // namespace gureum::network::testing
