// Test-only: a laboratory of network namespaces standing in for hosts, VMs and an
// external network, and the agent's apply step run inside a "host" namespace
// (nsenter --net, so the namespaces the agent makes with `ip netns add` are the
// machine's). Every name carries the lab's prefix; the destructor removes all of it
// (also when a check failed), and the constructor removes what a crashed run left.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "network/agent/host_system.h"

#include "network.pb.h"

namespace gureum::network_agent::testing {

namespace pb = ::gureum::network::v1;

struct ApplyOutcome {
  int exit_code = -1;
  std::string output;  // "port STATUS" lines, warnings, failures, "steps: N"
  int steps = -1;
};

class NetnsLab {
 public:
  // `prefix`: at most 6 characters; `extra_namespaces`: the agent's namespaces (qdhcp-,
  // qrouter-) the test's ids lead to, removed on cleanup as well.
  NetnsLab(std::string prefix, std::vector<std::string> extra_namespaces);
  ~NetnsLab();

  std::string Ns(const std::string& name) const { return prefix_ + "-" + name; }
  void AddNamespace(const std::string& name);  // Ns(name), with lo up
  // A veth pair: `a` in Ns(ns_a), `b` in Ns(ns_b).
  void AddVeth(const std::string& ns_a, const std::string& a, const std::string& ns_b,
               const std::string& b);
  // Runs `command` (through sh -c) inside Ns(ns); ns "" = the machine's namespace.
  CommandResult Exec(const std::string& ns, const std::string& command);
  // Like Exec, and the test fails with the output unless it exited 0.
  std::string MustExec(const std::string& ns, const std::string& command);
  // A "VM": namespace Ns(name) whose eth0 (with `mac`) is the peer of `tap`, plugged into
  // `bridge` of host namespace Ns(host), as libvirt plugs a QEMU tap.
  void PlugVm(const std::string& host, const std::string& name, const std::string& tap,
              const std::string& mac, const std::string& bridge);
  void UnplugVm(const std::string& host, const std::string& name, const std::string& tap);
  // busybox udhcpc in the VM; the address and default route it got are set.
  CommandResult Dhcp(const std::string& vm);

  // The agent's apply step for `state` in host namespace Ns(host) with its own state
  // folder and tunnel address.
  ApplyOutcome Apply(const std::string& host, const pb::HostState& state,
                     const std::string& local_ip, const std::vector<std::string>& mappings = {});
  std::string StatePath(const std::string& host) const;
  const std::string& dir() const { return dir_; }

 private:
  void Cleanup();

  std::string prefix_;
  std::vector<std::string> extra_;
  std::string dir_;
  std::vector<std::string> namespaces_;
  std::unique_ptr<HostSystem> sys_;
};

}  // namespace gureum::network_agent::testing
