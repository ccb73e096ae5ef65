// gureum-network's managers (NetworkManagers) with a FakeBus recording the casts, and callers of
// two projects, an admin and a service user. Its store is the in-memory fake in the unit binary
// (fake_fixture_store.cc) and a fresh, migrated PostgreSQL database (GUREUM_TEST_PG_URI) in
// the integration binaries (pg_fixture_store.cc), so the same cases hold on both.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "network/server/network_errors.h"
#include "network/server/network_managers.h"

namespace gureum::db {
class ConnectionPool;
}

namespace gureum::network::testing {

inline Caller Member(const std::string& project) {
  Caller c;
  c.user_id = "user-" + project;
  c.project_id = project;
  c.roles = {"member", "reader"};
  return c;
}

inline Caller Admin() {
  Caller c;
  c.user_id = "admin";
  c.project_id = "admin-project";
  c.is_admin_project = true;  // the admin project: a cloud admin (common/policy cloud_admin)
  c.roles = {"admin", "member", "reader"};
  return c;
}

inline Caller Service() {
  Caller c;
  c.user_id = "nova";
  c.project_id = "service";
  c.roles = {"service"};
  return c;
}

// The store under a fixture's manager, with the database behind it when there is one.
class FixtureStore {
 public:
  virtual ~FixtureStore() = default;
  virtual NetworkStore& store() = 0;
  // The PostgreSQL pool; null for the in-memory store.
  virtual db::ConnectionPool* pool() = 0;
};

// Defined by fake_fixture_store.cc or pg_fixture_store.cc (`pool_size` connections).
std::unique_ptr<FixtureStore> NewFixtureStore(int pool_size);

class Fixture {
 public:
  explicit Fixture(NetworkOptions options = {}, int pool_size = 4,
                   const Clock& clock = RealClock::Get())
      : store_(NewFixtureStore(pool_size)) {
    notifier_ = std::make_unique<amqp::Notifier>(notification_bus_, "network.test", clock,
                                                 RandomIdGenerator::Get());
    manager_ = std::make_unique<NetworkManagers>(
        store_->store(), &bus_, clock, RandomIdGenerator::Get(), options, notifier_.get());
  }
  NetworkManagers& m() { return *manager_; }
  amqp::FakeBus& bus() { return bus_; }
  // The `notifications` exchange's messages (a bus of their own, apart from the casts).
  amqp::FakeBus& notification_bus() { return notification_bus_; }
  NetworkStore& store() { return store_->store(); }
  // Only in the PostgreSQL binaries.
  db::ConnectionPool& pool() {
    REQUIRE(store_->pool() != nullptr);
    return *store_->pool();
  }

  const Caller a = Member("project-a");
  const Caller b = Member("project-b");
  const Caller admin = Admin();
  const Caller service = Service();

  v1::Network Net(const Caller& c, const std::string& name, bool external = false) {
    v1::Network n;
    n.set_name(name);
    Fields given;
    if (external) {
      n.set_router_external(true);
      given.insert("router_external");
    }
    auto made = m().networks().CreateNetwork(c, n, given);
    REQUIRE(made.ok());
    return *made;
  }
  v1::Subnet Sub(const Caller& c, const std::string& network_id, const std::string& cidr,
                 bool dhcp = true) {
    v1::Subnet s;
    s.set_network_id(network_id);
    s.set_cidr(cidr);
    s.set_enable_dhcp(dhcp);
    auto made = m().networks().CreateSubnet(c, s, {"enable_dhcp"});
    INFO(made.status().ToString());
    REQUIRE(made.ok());
    return *made;
  }
  absl::StatusOr<v1::Port> Port(const Caller& c, const std::string& network_id,
                                const std::string& ip = "", const std::string& subnet_id = "") {
    v1::Port p;
    p.set_network_id(network_id);
    Fields given;
    if (!ip.empty() || !subnet_id.empty()) {
      auto* f = p.add_fixed_ips();
      f->set_ip_address(ip);
      f->set_subnet_id(subnet_id);
      given.insert("fixed_ips");
    }
    return m().ports().CreatePort(c, p, given);
  }

 private:
  std::unique_ptr<FixtureStore> store_;
  amqp::FakeBus bus_;
  amqp::FakeBus notification_bus_;
  std::unique_ptr<amqp::Notifier> notifier_;
  std::unique_ptr<NetworkManagers> manager_;
};

inline int Http(const absl::Status& s) { return HttpStatusCode(s); }

}  // namespace gureum::network::testing
