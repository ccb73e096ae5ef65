#include "network/agent/tests/netns_lab.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <google/protobuf/text_format.h>
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gureum::network_agent::testing {
namespace {

constexpr char kDhcpScript[] = R"(#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route replace default via "$router"
    echo "$ip" > "$interface.lease" 2>/dev/null
    ;;
esac
exit 0
)";

}  // namespace

NetnsLab::NetnsLab(std::string prefix, std::vector<std::string> extra)
    : prefix_(std::move(prefix)),
      extra_(std::move(extra)),
      sys_(NewLinuxHostSystem(absl::Seconds(60))) {
  Cleanup();  // a crashed earlier run
  char tmpl[] = "/tmp/gureum-netagent-lab.XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  dir_ = tmpl;
  // Searchable by others, as /var/lib is: dnsmasq drops to nobody and re-reads its
  // files under here on every SIGHUP (dnsmasq_user.h).
  REQUIRE(chmod(dir_.c_str(), 0711) == 0);
  std::ofstream(dir_ + "/dhcp.sh") << kDhcpScript;
  std::filesystem::permissions(dir_ + "/dhcp.sh", std::filesystem::perms::owner_all);
}

NetnsLab::~NetnsLab() {
  Cleanup();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

void NetnsLab::Cleanup() {
  // dnsmasq processes of our state folders first (they keep their namespace alive).
  if (!dir_.empty()) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             dir_, std::filesystem::directory_options::skip_permission_denied)) {
      if (e.path().filename() != "pid") continue;
      auto text = sys_->ReadFile(e.path().string());
      int pid = 0;
      if (text && absl::SimpleAtoi(std::string(absl::StripAsciiWhitespace(*text)), &pid)) {
        auto cmd = sys_->ProcessCommandLine(pid);
        if (cmd && absl::StrContains(*cmd, dir_)) kill(pid, SIGKILL);
      }
    }
  }
  auto list = sys_->Run({"ip", "netns", "list"});
  std::vector<std::string> doomed;
  if (list.ok()) {
    for (absl::string_view line : absl::StrSplit(list->output, '\n')) {
      std::string name(line.substr(0, line.find(' ')));
      bool ours = absl::StartsWith(name, prefix_ + "-");
      for (const std::string& e : extra_) ours |= name == e;
      if (ours && !name.empty()) doomed.push_back(name);
    }
  }
  for (const std::string& ns : doomed) {
    // A dnsmasq left by a crashed run in one of our namespaces.
    auto pids = sys_->Run({"ip", "netns", "pids", ns});
    if (pids.ok()) {
      for (absl::string_view p : absl::StrSplit(pids->output, '\n', absl::SkipWhitespace())) {
        int pid = 0;
        if (absl::SimpleAtoi(p, &pid)) kill(pid, SIGKILL);
      }
    }
    sys_->Run({"ip", "netns", "del", ns}).IgnoreError();
  }
}

void NetnsLab::AddNamespace(const std::string& name) {
  REQUIRE(RunChecked(*sys_, {"ip", "netns", "add", Ns(name)}).ok());
  REQUIRE(RunChecked(*sys_, {"ip", "-n", Ns(name), "link", "set", "lo", "up"}).ok());
}

void NetnsLab::AddVeth(const std::string& ns_a, const std::string& a, const std::string& ns_b,
                       const std::string& b) {
  REQUIRE(RunChecked(*sys_, {"ip", "-n", Ns(ns_a), "link", "add", a, "type", "veth", "peer", "name",
                             b, "netns", Ns(ns_b)})
              .ok());
  REQUIRE(RunChecked(*sys_, {"ip", "-n", Ns(ns_a), "link", "set", a, "up"}).ok());
  REQUIRE(RunChecked(*sys_, {"ip", "-n", Ns(ns_b), "link", "set", b, "up"}).ok());
}

CommandResult NetnsLab::Exec(const std::string& ns, const std::string& command) {
  std::vector<std::string> argv;
  if (!ns.empty()) argv = {"ip", "netns", "exec", Ns(ns)};
  argv.insert(argv.end(), {"sh", "-c", command});
  auto r = sys_->Run(argv);
  REQUIRE(r.ok());
  return *r;
}

std::string NetnsLab::MustExec(const std::string& ns, const std::string& command) {
  CommandResult r = Exec(ns, command);
  INFO(ns << ": " << command << "\n" << r.output);
  REQUIRE(r.exit_code == 0);
  return r.output;
}

void NetnsLab::PlugVm(const std::string& host, const std::string& name, const std::string& tap,
                      const std::string& mac, const std::string& bridge) {
  AddNamespace(name);
  MustExec(host, absl::StrCat("ip link add ", tap, " type veth peer name eth0 netns ", Ns(name),
                              " && ip link set ", tap, " master ", bridge, " up"));
  MustExec(name, absl::StrCat("ip link set eth0 address ", mac, " mtu 1450 up"));
}

void NetnsLab::UnplugVm(const std::string& host, const std::string& name, const std::string& tap) {
  MustExec(host, "ip link del " + tap);
  REQUIRE(RunChecked(*sys_, {"ip", "netns", "del", Ns(name)}).ok());
}

CommandResult NetnsLab::Dhcp(const std::string& vm) {
  return Exec(vm, absl::StrCat("cd ", dir_, " && busybox udhcpc -i eth0 -n -q -t 6 -T 1 -A 1 -s ",
                               dir_, "/dhcp.sh"));
}

std::string NetnsLab::StatePath(const std::string& host) const { return dir_ + "/state-" + host; }

ApplyOutcome NetnsLab::Apply(const std::string& host, const pb::HostState& state,
                             const std::string& local_ip,
                             const std::vector<std::string>& mappings) {
  std::string text;
  REQUIRE(google::protobuf::TextFormat::PrintToString(state, &text));
  std::string file = absl::StrCat(dir_, "/", host, ".state");
  std::ofstream(file) << text;
  std::vector<std::string> argv = {"nsenter",
                                   "--net=/run/netns/" + Ns(host),
                                   NETWORK_AGENT_APPLY,
                                   "--state",
                                   file,
                                   "--local-ip",
                                   local_ip,
                                   "--state-path",
                                   StatePath(host)};
  for (const std::string& m : mappings) argv.insert(argv.end(), {"--mapping", m});
  auto r = sys_->Run(argv);
  REQUIRE(r.ok());
  ApplyOutcome out{r->exit_code, r->output, -1};
  if (size_t at = r->output.rfind("steps: "); at != std::string::npos) {
    std::string n = r->output.substr(at + 7);
    n = n.substr(0, n.find('\n'));
    if (!absl::SimpleAtoi(n, &out.steps)) out.steps = -1;
  }
  return out;
}

}  // namespace gureum::network_agent::testing
