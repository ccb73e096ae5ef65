// IPAM under concurrency on real PostgreSQL: 500 ports created at once by several threads
// on one /22 get 500 distinct addresses; VNIs of concurrent networks are distinct.
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/db/pool.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

TEST_CASE("500 concurrent port creates on one /22 get 500 distinct addresses") {
  Fixture f({}, /*pool_size=*/12);
  REQUIRE(f.m().quotas().UpdateQuotas(f.admin, "project-a", {{"port", -1}}).ok());
  v1::Network n = f.Net(f.a, "busy");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.20.0.0/22", false);
  constexpr int kThreads = 12;
  constexpr int kPorts = 500;
  absl::Mutex mu;
  std::vector<std::string> ips, macs;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kPorts; i += kThreads) {
        auto p = f.Port(f.a, n.id());
        absl::MutexLock l(&mu);
        if (!p.ok()) {
          errors.push_back(p.status().ToString());
          continue;
        }
        ips.push_back(p->fixed_ips(0).ip_address());
        macs.push_back(p->mac_address());
      }
    });
  }
  for (auto& t : threads) t.join();
  INFO((errors.empty() ? std::string() : errors[0]));
  CHECK(errors.empty());
  CHECK(ips.size() == kPorts);
  CHECK(std::set<std::string>(ips.begin(), ips.end()).size() == kPorts);
  CHECK(std::set<std::string>(macs.begin(), macs.end()).size() == kPorts);
  // The database agrees.
  int64_t rows = 0, distinct = 0;
  REQUIRE(f.pool()
              .ReadOnly([&](db::Tx& tx) -> absl::Status {
                auto r = tx.Exec(
                    "SELECT count(*) AS n, count(DISTINCT ip_address) AS d FROM ip_allocations "
                    "WHERE subnet_id = $1",
                    {s.id()});
                if (!r.ok()) return r.status();
                rows = (*r)[0].Get<int64_t>("n");
                distinct = (*r)[0].Get<int64_t>("d");
                return absl::OkStatus();
              })
              .ok());
  CHECK(rows == kPorts);
  CHECK(distinct == kPorts);
}

TEST_CASE("concurrent port creates on a /28 fill it exactly, the rest get 409") {
  Fixture f({}, 8);
  v1::Network n = f.Net(f.a, "small");
  f.Sub(f.a, n.id(), "10.30.0.0/28", false);
  absl::Mutex mu;
  std::set<std::string> ips;
  int exhausted = 0, other = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        auto p = f.Port(f.a, n.id());
        absl::MutexLock l(&mu);
        if (p.ok()) {
          ips.insert(p->fixed_ips(0).ip_address());
        } else if (ErrorKindOf(p.status()) == ErrorKind::kAddressesExhausted &&
                   Http(p.status()) == 409) {
          ++exhausted;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ips.size() == 13);
  CHECK(exhausted == 24 - 13);
  CHECK(other == 0);
}

TEST_CASE("concurrent port creates never pass the project's port quota") {
  Fixture f({}, 8);
  REQUIRE(f.m().quotas().UpdateQuotas(f.admin, "project-a", {{"port", 10}}).ok());
  v1::Network n = f.Net(f.a, "quota");
  f.Sub(f.a, n.id(), "10.31.0.0/24", false);
  absl::Mutex mu;
  int made = 0, over = 0, other = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        auto p = f.Port(f.a, n.id());
        absl::MutexLock l(&mu);
        if (p.ok()) {
          ++made;
        } else if (ErrorKindOf(p.status()) == ErrorKind::kOverQuota && Http(p.status()) == 409) {
          ++over;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(made == 10);
  CHECK(over == 32 - 10);
  CHECK(other == 0);
  auto q = f.m().quotas().GetQuotas(f.a, "project-a");
  REQUIRE(q.ok());
  CHECK(q->at("port").used == 10);
}

TEST_CASE("concurrent network creates get distinct VNIs") {
  Fixture f({}, 8);
  absl::Mutex mu;
  std::set<int> vnis;
  int made = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto n = f.m().networks().CreateNetwork(f.admin, v1::Network(), {});
        absl::MutexLock l(&mu);
        if (n.ok()) {
          ++made;
          vnis.insert(n->segmentation_id());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(made == 40);
  CHECK(vnis.size() == 40);
}

}  // namespace
}  // namespace gureum::network::testing
