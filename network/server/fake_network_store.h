// An in-memory NetworkStore for tests: the contract of network_store.h, kept in step with
// PgNetworkStore by tests/store_contract_test.cc. Transactions run one at a time (a mutex
// held for the whole call) on a copy of the tables that replaces them only when `fn`
// succeeds, so a failed transaction leaves nothing behind. FailNext injects an error.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "network/server/network_store.h"

namespace gureum::network {

class FakeNetworkStore final : public NetworkStore {
 public:
  // The tables.
  struct Tables {
    std::map<std::string, Network> networks;  // without subnet_ids
    std::map<std::string, Subnet> subnets;
    std::map<std::string, SecurityGroup> groups;  // without rules
    std::map<std::string, SecurityGroupRule> rules;
    std::map<std::pair<std::string, std::string>, int64_t> quotas;  // (project, resource)
    std::map<std::string, Router> routers;
    std::map<std::string, FloatingIp> floating_ips;
    std::map<std::string, Agent> agents;               // by host
    std::map<std::string, std::string> dhcp_bindings;  // network -> host
    // Ports without fixed_ips or mtu (read from `addresses` and the network), with their
    // security_group_ids.
    std::map<std::string, Port> ports;
    std::map<std::pair<std::string, std::string>, std::string> addresses;  // (subnet, ip) -> port
    int64_t generation = 0;
  };

  absl::Status Transact(const TxFn& fn) override;
  absl::Status ReadOnly(const TxFn& fn) override;
  // Transactions run one at a time: every one is a snapshot.
  absl::Status Snapshot(const TxFn& fn) override;

  // The next Transact or ReadOnly returns `status` without running its function.
  void FailNext(absl::Status status);
  int64_t generation() const;

 private:
  absl::Status Run(const TxFn& fn, bool read_only);

  mutable absl::Mutex mu_;
  Tables tables_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::network
