#include "network/agent/datapath_plan.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "absl/strings/str_join.h"
#include "network/agent/dhcp_config.h"
#include "network/agent/fake_host_system.h"
#include "network/agent/firewall.h"
#include "network/agent/tests/host_states.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

const char kNet[] = "net00000000001";

struct PlanFixture {
  PlanFixture() {
    options.host = "h1";
    options.local_ip = "10.1.0.1";
    options.state_path = "/state";
  }
  AgentOptions options;
  FakeHostSystem host;
  DatapathPlanner planner{options, host};
};

pb::HostState VmState() {
  pb::HostState st;
  st.set_host("h1");
  pb::HostNetwork hn = VxlanNetwork(kNet, 100, kSubnet);
  hn.add_peer_ips("10.1.0.2");
  hn.add_peer_ips("10.1.0.1");  // ourselves: no entry
  (*hn.mutable_remote_macs())["FA:16:3E:00:00:09"] = "10.1.0.2";
  *st.add_networks() = hn;
  *st.add_ports() = testing::Port("vmport000001x", kSubnet, "fa:16:3e:00:00:05", "10.0.0.5",
                                  "compute:nova", {"sg1"});
  *st.add_security_groups() = Group("sg1", {Rule("r1", "sg1", "ingress", "icmp")});
  return st;
}

bool Has(const std::vector<std::string>& cmds, const std::string& c) {
  return std::find(cmds.begin(), cmds.end(), c) != cmds.end();
}

// The host as it is once VmState() was applied.
ObservedState ConvergedVmHost(PlanFixture& f, const pb::HostState& st) {
  ObservedState o;
  o.links["eth0"] = Link{.name = "eth0", .mtu = 1500, .up = true};
  o.links["brqnet00000000"] =
      Link{.name = "brqnet00000000", .kind = "bridge", .mtu = 1450, .up = true};
  Link vx{
      .name = "vxlan-100", .kind = "vxlan", .master = "brqnet00000000", .mtu = 1450, .up = true};
  vx.vxlan_id = 100;
  vx.vxlan_local = "10.1.0.1";
  vx.vxlan_port = 4789;
  o.links["vxlan-100"] = vx;
  o.fdb["vxlan-100"] = {{"00:00:00:00:00:00", "10.1.0.2"}, {"fa:16:3e:00:00:09", "10.1.0.2"}};
  o.nft_tables = {"bridge gureum", "inet gureum"};
  std::vector<std::string> w;
  f.host.files["/state/firewall.nft"] = FirewallRules(st, &w);
  return o;
}

TEST_CASE("a fresh host gets the bridge, the VXLAN device, its forwarding entries and the rules") {
  PlanFixture f;
  ObservedState o;
  o.links["eth0"] = Link{.name = "eth0", .mtu = 1500, .up = true};
  Plan plan = f.planner.Make(VmState(), o);
  auto cmds = plan.Commands();
  INFO(absl::StrJoin(cmds, "\n"));
  CHECK(Has(cmds, "ip link add brqnet00000000 type bridge"));
  CHECK(Has(cmds, "ip link set brqnet00000000 mtu 1450 up"));
  CHECK(
      Has(cmds, "ip link add vxlan-100 type vxlan id 100 local 10.1.0.1 dstport 4789 nolearning"));
  CHECK(Has(cmds, "ip link set vxlan-100 master brqnet00000000 mtu 1450 up"));
  CHECK(Has(cmds, "bridge fdb append 00:00:00:00:00:00 dev vxlan-100 dst 10.1.0.2"));
  CHECK(Has(cmds, "bridge fdb replace fa:16:3e:00:00:09 dev vxlan-100 dst 10.1.0.2"));
  CHECK_FALSE(Has(cmds, "bridge fdb append 00:00:00:00:00:00 dev vxlan-100 dst 10.1.0.1"));
  CHECK(Has(cmds, "nft -f - <<input"));
  CHECK(Has(cmds, "write /state/firewall.nft"));
  CHECK(plan.port_tasks.at("vmport000001x") ==
        std::vector<std::string>{std::string("network ") + kNet, "firewall"});
  // Nothing foreign is touched.
  for (const std::string& c : cmds) CHECK(c.find("eth0") == std::string::npos);
}

TEST_CASE("a converged host needs nothing (an agent restart changes nothing)") {
  PlanFixture f;
  pb::HostState st = VmState();
  ObservedState o = ConvergedVmHost(f, st);
  Plan plan = f.planner.Make(st, o);
  INFO(absl::StrJoin(plan.Commands(), "\n"));
  CHECK(plan.empty());
}

TEST_CASE("stale forwarding entries go, new peers come, without touching the rest") {
  PlanFixture f;
  pb::HostState st = VmState();
  ObservedState o = ConvergedVmHost(f, st);
  o.fdb["vxlan-100"].insert({"00:00:00:00:00:00", "10.1.0.7"});
  st.mutable_networks(0)->add_peer_ips("10.1.0.3");
  auto cmds = f.planner.Make(st, o).Commands();
  CHECK(cmds == std::vector<std::string>{
                    "bridge fdb del 00:00:00:00:00:00 dev vxlan-100 dst 10.1.0.7",
                    "bridge fdb append 00:00:00:00:00:00 dev vxlan-100 dst 10.1.0.3",
                });
}

TEST_CASE("a rule change re-applies the rules in one nft transaction") {
  PlanFixture f;
  pb::HostState st = VmState();
  ObservedState o = ConvergedVmHost(f, st);
  st.mutable_security_groups(0)->mutable_group()->clear_rules();
  Plan plan = f.planner.Make(st, o);
  auto cmds = plan.Commands();
  REQUIRE(Has(cmds, "nft -f - <<input"));
  for (const Task& t : plan.tasks) {
    for (const Step& s : t.steps) {
      if (s.argv.size() > 1 && s.argv[0] == "nft") {
        CHECK(s.input.rfind("table bridge gureum\ndelete table bridge gureum\n", 0) == 0);
        CHECK(s.input.find("# rule r1") == std::string::npos);
      }
    }
  }
}

TEST_CASE("a changed local_ip recreates the VXLAN device") {
  PlanFixture f;
  pb::HostState st = VmState();
  ObservedState o = ConvergedVmHost(f, st);
  f.options.local_ip = "10.1.0.9";
  auto cmds = f.planner.Make(st, o).Commands();
  CHECK(Has(cmds, "ip link del vxlan-100"));
  CHECK(
      Has(cmds, "ip link add vxlan-100 type vxlan id 100 local 10.1.0.9 dstport 4789 nolearning"));
  CHECK(Has(cmds, "bridge fdb append 00:00:00:00:00:00 dev vxlan-100 dst 10.1.0.2"));
}

TEST_CASE("what is no longer wanted is removed, only by the agent's own names") {
  PlanFixture f;
  ObservedState o = ConvergedVmHost(f, VmState());
  o.links["brqother000000"] =
      Link{.name = "brqother000000", .kind = "bridge", .mtu = 1500, .up = true};
  o.links["tapvm00000001"] = Link{.name = "tapvm00000001", .master = "brqother000000"};
  o.links["br-foreign"] = Link{.name = "br-foreign", .kind = "bridge"};
  o.links["vxlanfoo"] = Link{.name = "vxlanfoo", .kind = "vxlan"};
  pb::HostState empty;
  Plan plan = f.planner.Make(empty, o);
  auto cmds = plan.Commands();
  INFO(absl::StrJoin(cmds, "\n"));
  CHECK(Has(cmds, "ip link del vxlan-100"));
  CHECK(Has(cmds, "ip link del brqnet00000000"));
  CHECK(Has(cmds, "remove /state/firewall.nft"));
  // A VM tap is still plugged into brqother: kept, with a warning.
  CHECK_FALSE(Has(cmds, "ip link del brqother000000"));
  CHECK(std::any_of(plan.warnings.begin(), plan.warnings.end(), [](const std::string& w) {
    return w.find("tapvm00000001") != std::string::npos;
  }));
  for (const std::string& c : cmds) {
    CHECK(c.find("br-foreign") == std::string::npos);
    CHECK(c.find("vxlanfoo") == std::string::npos);
  }
}

pb::HostState DhcpState() {
  pb::HostState st = VmState();
  pb::Port dhcp =
      testing::Port("dhcpport0001x", kSubnet, "fa:16:3e:00:00:02", "10.0.0.2", "network:dhcp");
  *st.add_dhcp() = Dhcp(dhcp, kSubnet, {st.ports(0)});
  return st;
}

TEST_CASE("DHCP: a namespace, a veth leg on the bridge, and dnsmasq") {
  PlanFixture f;
  ObservedState o = ConvergedVmHost(f, DhcpState());
  Plan plan = f.planner.Make(DhcpState(), o);
  auto cmds = plan.Commands();
  INFO(absl::StrJoin(cmds, "\n"));
  const std::string ns = std::string("qdhcp-") + kNet;
  CHECK(Has(cmds, "ip netns add " + ns));
  CHECK(
      Has(cmds,
          "ip link add tapdhcpport000 mtu 1450 type veth peer name ns-dhcpport000 mtu 1450 netns " +
              ns));
  CHECK(
      Has(cmds, "ip -n " + ns + " link set ns-dhcpport000 address fa:16:3e:00:00:02 mtu 1450 up"));
  CHECK(Has(cmds, "ip link set tapdhcpport000 master brqnet00000000 mtu 1450 up"));
  CHECK(Has(cmds, "ip -n " + ns + " addr add 10.0.0.2/24 dev ns-dhcpport000"));
  CHECK(Has(cmds, std::string("write /state/dhcp/") + kNet + "/host"));
  bool started = std::any_of(cmds.begin(), cmds.end(), [&](const std::string& c) {
    return c.rfind("ip netns exec " + ns + " dnsmasq ", 0) == 0;
  });
  CHECK(started);
  CHECK(f.host.files.empty() == false);
}

TEST_CASE("DHCP: a new port rewrites the hosts file and HUPs the running dnsmasq") {
  PlanFixture f;
  pb::HostState st = DhcpState();
  ObservedState o = ConvergedVmHost(f, st);
  const std::string ns = std::string("qdhcp-") + kNet;
  const std::string dir = std::string("/state/dhcp/") + kNet;
  o.namespaces.insert(ns);
  Link leg{.name = "ns-dhcpport000", .mtu = 1450, .up = true, .mac = "fa:16:3e:00:00:02"};
  leg.addresses = {"10.0.0.2/24"};
  o.inside[ns].links["ns-dhcpport000"] = leg;
  o.links["tapdhcpport000"] =
      Link{.name = "tapdhcpport000", .master = "brqnet00000000", .mtu = 1450, .up = true};
  DhcpPaths paths{dir};
  f.host.files[paths.hosts()] = DhcpHostsFile(st.dhcp(0));
  f.host.files[paths.opts()] = DhcpOptsFile(st.dhcp(0), 1450);
  f.host.files[paths.pid()] = "4242\n";
  f.host.processes[4242] =
      absl::StrJoin(DnsmasqArgs(st.dhcp(0), paths, "ns-dhcpport000", 86400, "dnsmasq"), " ");
  CHECK(f.planner.Make(st, o).empty());

  pb::DhcpHost* h = st.mutable_dhcp(0)->add_hosts();
  h->set_mac_address("fa:16:3e:00:00:06");
  h->set_ip_address("10.0.0.6");
  auto cmds = f.planner.Make(st, o).Commands();
  CHECK(cmds == std::vector<std::string>{"write " + paths.hosts(), "write " + paths.opts(),
                                         "signal 1 pid 4242"});

  // A DHCP port not bound yet (or being replaced): what runs is left alone.
  pb::HostState portless = st;
  portless.mutable_dhcp(0)->clear_dhcp_port();
  CHECK(f.planner.Make(portless, o).empty());

  // Removing DHCP stops dnsmasq, the leg and the namespace, and forgets the folder.
  pb::HostState none = VmState();
  cmds = f.planner.Make(none, o).Commands();
  INFO(absl::StrJoin(cmds, "\n"));
  CHECK(cmds == std::vector<std::string>{"stop pid 4242", "ip link del tapdhcpport000",
                                         "ip netns del " + ns, "remove " + dir});
}

TEST_CASE("routers: legs, default route, floating IP address and NAT") {
  PlanFixture f;
  f.options.physical_interfaces["extnet"] = "eth9";
  pb::HostState st = VmState();
  pb::Subnet ext = testing::Subnet("extsub", "extnet0000001", "172.24.0.0/24", "172.24.0.1");
  *st.add_networks() = FlatNetwork("extnet0000001", "extnet", ext);
  pb::HostRouter* r = st.add_routers();
  r->mutable_router()->set_id("router1");
  r->mutable_router()->mutable_external_gateway()->set_enable_snat(true);
  pb::RouterLeg* qr = r->add_interfaces();
  *qr->mutable_port() = testing::Port("qrport000001x", kSubnet, "fa:16:3e:00:00:01", "10.0.0.1",
                                      "network:router_interface");
  *qr->add_subnets() = kSubnet;
  *r->mutable_gateway()->mutable_port() = testing::Port("qgport000001x", ext, "fa:16:3e:00:00:aa",
                                                        "172.24.0.10", "network:router_gateway");
  *r->mutable_gateway()->add_subnets() = ext;
  r->set_gateway_ip("172.24.0.1");
  pb::FloatingNat* fip = r->add_floating_ips();
  fip->set_floating_ip_address("172.24.0.20");
  fip->set_fixed_ip_address("10.0.0.5");

  ObservedState o = ConvergedVmHost(f, st);
  o.links["eth9"] = Link{.name = "eth9", .mtu = 1500, .up = true};
  Plan plan = f.planner.Make(st, o);
  auto cmds = plan.Commands();
  INFO(absl::StrJoin(cmds, "\n"));
  CHECK(Has(cmds, "ip link set eth9 master brqextnet00000 up"));
  CHECK(Has(cmds, "ip netns add qrouter-router1"));
  CHECK(Has(cmds, "ip -n qrouter-router1 addr add 10.0.0.1/24 dev qr-qrport00000"));
  CHECK(Has(cmds, "ip -n qrouter-router1 addr add 172.24.0.10/24 dev qg-qgport00000"));
  CHECK(Has(cmds, "ip -n qrouter-router1 addr add 172.24.0.20/32 dev qg-qgport00000"));
  CHECK(Has(cmds, "ip link set tapqgport00000 master brqextnet00000 mtu 1500 up"));
  CHECK(Has(cmds, "ip -n qrouter-router1 route replace default via 172.24.0.1 dev qg-qgport00000"));
  CHECK(Has(cmds, "ip netns exec qrouter-router1 sysctl -qw net.ipv4.ip_forward=1"));
  CHECK(Has(cmds, "ip netns exec qrouter-router1 nft -f - <<input"));
  CHECK(plan.port_tasks.at("qgport000001x") ==
        std::vector<std::string>{"network extnet0000001", "router router1"});

  // A VLAN network: a VLAN device on the mapped interface, on the bridge.
  {
    f.host.files.erase("/state/firewall.nft");
    pb::HostState vst;
    pb::HostNetwork vlan = FlatNetwork("vlannet000001", "extnet", ext);
    vlan.mutable_network()->set_network_type("vlan");
    vlan.mutable_network()->set_segmentation_id(20);
    *vst.add_networks() = vlan;
    ObservedState vo;
    vo.links["eth9"] = Link{.name = "eth9", .mtu = 1500, .up = false};
    auto vcmds = f.planner.Make(vst, vo).Commands();
    CHECK(vcmds == std::vector<std::string>{"ip link add brqvlannet0000 type bridge",
                                            "ip link set brqvlannet0000 mtu 1500 up",
                                            "ip link set eth9 up",
                                            "ip link add link eth9 name eth9.20 type vlan id 20",
                                            "ip link set eth9.20 master brqvlannet0000 up"});
    // Gone: the VLAN device goes with the bridge; eth9 itself is never deleted.
    vo.links["brqvlannet0000"] =
        Link{.name = "brqvlannet0000", .kind = "bridge", .mtu = 1500, .up = true};
    Link v{.name = "eth9.20", .kind = "vlan", .master = "brqvlannet0000", .up = true};
    v.parent = "eth9";
    vo.links["eth9.20"] = v;
    vcmds = f.planner.Make(pb::HostState(), vo).Commands();
    CHECK(vcmds == std::vector<std::string>{"ip link del eth9.20", "ip link del brqvlannet0000"});
  }

  // Ids that would leave the state folder are refused.
  pb::HostState odd = st;
  odd.mutable_routers(0)->mutable_router()->set_id("../../etc");
  Plan refused = f.planner.Make(odd, o);
  for (const std::string& c : refused.Commands()) CHECK(c.find("etc") == std::string::npos);
  CHECK(std::any_of(refused.warnings.begin(), refused.warnings.end(), [](const std::string& w) {
    return w.find("not usable") != std::string::npos;
  }));

  // Without a mapping for its physical network, the external network cannot be made.
  f.options.physical_interfaces.clear();
  Plan bad = f.planner.Make(st, o);
  CHECK(std::any_of(bad.warnings.begin(), bad.warnings.end(), [](const std::string& w) {
    return w.find("physical_interface_mappings") != std::string::npos;
  }));
}

}  // namespace
}  // namespace gureum::network_agent
