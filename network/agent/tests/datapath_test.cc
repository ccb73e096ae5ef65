// The agent's apply step on real bridges, VXLAN, dnsmasq and nftables: two "hosts"
// (network namespaces joined by a veth underlay), "VMs" (namespaces whose veth end is
// named like a tap and plugged into the host's bridge, as libvirt plugs a QEMU tap), and
// an "external" namespace on a flat provider network. Needs root.
#include <pwd.h>

#include <tuple>

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "network/agent/tests/host_states.h"
#include "network/agent/tests/netns_lab.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

// Ids with a test prefix: every device and namespace they lead to is this test's.
const char kNet[] = "gnatnet1000-0000-4000-8000-000000000001";
const char kExt[] = "gnatext1000-0000-4000-8000-000000000002";
const char kRouter[] = "gnatrtr1000-0000-4000-8000-000000000003";
const char kGroup[] = "gnatsg10000-0000-4000-8000-000000000004";
const int kVni = 7701;
const char kH1[] = "10.251.0.1";
const char kH2[] = "10.251.0.2";

struct World {
  pb::Subnet subnet = testing::Subnet("gnatsub1", kNet, "10.77.1.0/24", "10.77.1.1");
  pb::Subnet ext = testing::Subnet("gnatsubx", kExt, "172.30.99.0/24", "172.30.99.1");
  pb::Port vm1 = testing::Port("gnatvm1port-1", subnet, "fa:16:3e:77:01:11", "10.77.1.11",
                               "compute:nova", {kGroup});
  pb::Port vm2 = testing::Port("gnatvm2port-2", subnet, "fa:16:3e:77:01:12", "10.77.1.12",
                               "compute:nova", {kGroup});
  pb::Port vm3 = testing::Port("gnatvm3port-3", subnet, "fa:16:3e:77:01:13", "10.77.1.13",
                               "compute:nova", {kGroup});
  pb::Port dhcp =
      testing::Port("gnatdhcport-4", subnet, "fa:16:3e:77:01:02", "10.77.1.2", "network:dhcp");
  pb::Port qr = testing::Port("gnatqrport0-5", subnet, "fa:16:3e:77:01:01", "10.77.1.1",
                              "network:router_interface");
  pb::Port qg = testing::Port("gnatqgport0-6", ext, "fa:16:3e:77:02:10", "172.30.99.10",
                              "network:router_gateway");
  bool icmp = true;

  pb::SecurityGroupState Group() const {
    std::vector<pb::SecurityGroupRule> rules = {Rule("gnat-egress", kGroup, "egress")};
    if (icmp) rules.push_back(Rule("gnat-icmp", kGroup, "ingress", "icmp"));
    return testing::Group(kGroup, rules, {"10.77.1.11", "10.77.1.12", "10.77.1.13"});
  }

  pb::HostState Host1() const {
    pb::HostState st;
    st.set_host("gnat-h1");
    pb::HostNetwork n = VxlanNetwork(kNet, kVni, subnet);
    n.add_peer_ips(kH2);
    (*n.mutable_remote_macs())[vm3.mac_address()] = kH2;
    *st.add_networks() = n;
    *st.add_networks() = FlatNetwork(kExt, "gnatext", ext);
    *st.add_ports() = vm1;
    *st.add_ports() = vm2;
    *st.add_security_groups() = Group();
    *st.add_dhcp() = Dhcp(dhcp, subnet, {vm1, vm2, vm3});
    pb::HostRouter* r = st.add_routers();
    r->mutable_router()->set_id(kRouter);
    r->mutable_router()->mutable_external_gateway()->set_network_id(kExt);
    r->mutable_router()->mutable_external_gateway()->set_enable_snat(true);
    pb::RouterLeg* leg = r->add_interfaces();
    *leg->mutable_port() = qr;
    *leg->add_subnets() = subnet;
    *r->mutable_gateway()->mutable_port() = qg;
    *r->mutable_gateway()->add_subnets() = ext;
    r->set_gateway_ip("172.30.99.1");
    pb::FloatingNat* fip = r->add_floating_ips();
    fip->set_floating_ip_address("172.30.99.20");
    fip->set_fixed_ip_address("10.77.1.11");
    return st;
  }

  pb::HostState Host2() const {
    pb::HostState st;
    st.set_host("gnat-h2");
    pb::HostNetwork n = VxlanNetwork(kNet, kVni, subnet);
    n.add_peer_ips(kH1);
    for (const pb::Port* p : {&vm1, &vm2, &dhcp, &qr})
      (*n.mutable_remote_macs())[p->mac_address()] = kH1;
    *st.add_networks() = n;
    *st.add_ports() = vm3;
    *st.add_security_groups() = Group();
    return st;
  }
};

const std::string kBridge = std::string("brq") + std::string(kNet).substr(0, 11);

void ApplyOk(NetnsLab& lab, const std::string& host, const pb::HostState& st,
             const std::string& ip) {
  ApplyOutcome out = lab.Apply(host, st, ip, {"gnatext:gn-ext"});
  INFO(host << ":\n" << out.output);
  REQUIRE(out.exit_code == 0);
}

bool Pings(NetnsLab& lab, const std::string& from, const std::string& to, int count = 3) {
  return lab.Exec(from, absl::StrCat("busybox ping -c ", count, " -W 1 -w ", count + 2, " ", to))
             .exit_code == 0;
}

// packets transmitted - received of a busybox ping's summary.
int Lost(const std::string& output) {
  size_t t = output.find(" packets transmitted, ");
  REQUIRE(t != std::string::npos);
  size_t start = output.rfind('\n', t);
  start = start == std::string::npos ? 0 : start + 1;
  int sent = 0, received = 0;
  REQUIRE(absl::SimpleAtoi(output.substr(start, t - start), &sent));
  std::string rest = output.substr(t + 22);
  REQUIRE(absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &received));
  return sent - received;
}

TEST_CASE(
    "two hosts: DHCP, pings over the bridge and VXLAN, security groups, a floating IP, "
    "a re-apply that loses nothing, and nothing left after deleting everything") {
  NetnsLab lab("gnat", {std::string("qdhcp-") + kNet, std::string("qrouter-") + kRouter});
  lab.AddNamespace("h1");
  lab.AddNamespace("h2");
  lab.AddNamespace("ext");
  lab.AddVeth("h1", "gn-ul1", "h2", "gn-ul2");
  lab.MustExec("h1", absl::StrCat("ip addr add ", kH1, "/24 dev gn-ul1"));
  lab.MustExec("h2", absl::StrCat("ip addr add ", kH2, "/24 dev gn-ul2"));
  lab.AddVeth("h1", "gn-ext", "ext", "eth0");
  lab.MustExec("ext", "ip addr add 172.30.99.1/24 dev eth0");

  World w;
  // The agent reports every port it wired.
  {
    ApplyOutcome out = lab.Apply("h1", w.Host1(), kH1, {"gnatext:gn-ext"});
    INFO(out.output);
    REQUIRE(out.exit_code == 0);
    for (const pb::Port* p : {&w.vm1, &w.vm2, &w.dhcp, &w.qr, &w.qg}) {
      CHECK_THAT(out.output, Catch::Contains(p->id() + " ACTIVE"));
    }
  }
  ApplyOk(lab, "h2", w.Host2(), kH2);
  CHECK_THAT(lab.MustExec("h1", "ip -d link show vxlan-7701"), Catch::Contains("local 10.251.0.1"));
  CHECK_THAT(lab.MustExec("h1", "bridge fdb show dev vxlan-7701"),
             Catch::Contains("00:00:00:00:00:00 dst 10.251.0.2"));
  CHECK_THAT(lab.MustExec("h1", "bridge fdb show dev vxlan-7701"),
             Catch::Contains("fa:16:3e:77:01:13 dst 10.251.0.2"));

  lab.PlugVm("h1", "vm1", w.vm1.tap_name(), w.vm1.mac_address(), kBridge);
  lab.PlugVm("h1", "vm2", w.vm2.tap_name(), w.vm2.mac_address(), kBridge);
  lab.PlugVm("h2", "vm3", w.vm3.tap_name(), w.vm3.mac_address(), kBridge);

  INFO("DHCP: each VM gets its port's address from dnsmasq on h1 (vm3 across VXLAN)");
  for (const auto& [vm, ip] : std::vector<std::pair<std::string, std::string>>{
           {"vm1", "10.77.1.11"}, {"vm2", "10.77.1.12"}, {"vm3", "10.77.1.13"}}) {
    CommandResult r = lab.Dhcp(vm);
    INFO(vm << ": " << r.output);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(lab.MustExec(vm, "ip -4 addr show dev eth0"), Catch::Contains(ip + "/24"));
    CHECK_THAT(lab.MustExec(vm, "ip route show default"), Catch::Contains("via 10.77.1.1"));
  }

  {
    INFO("dnsmasq has dropped root, and still re-reads its hosts file on SIGHUP (a port change)");
    const std::string dir = absl::StrCat(lab.StatePath("h1"), "/dhcp/", kNet);
    std::string pid(absl::StripAsciiWhitespace(lab.MustExec("", "cat " + dir + "/pid")));
    struct passwd* nobody = getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    CHECK(lab.MustExec("", "awk '/^Uid:/{print $2}' /proc/" + pid + "/status") ==
          absl::StrCat(nobody->pw_uid, "\n"));
    lab.MustExec("", ": > " + dir + "/dnsmasq.log && kill -HUP " + pid);
    std::string log;
    for (int i = 0; i < 50 && !absl::StrContains(log, dir + "/host"); ++i) {
      lab.MustExec("", "sleep 0.1");
      log = lab.MustExec("", "cat " + dir + "/dnsmasq.log");
    }
    INFO(log);
    CHECK_THAT(log, Catch::Contains("read " + dir + "/host"));
    CHECK_THAT(log, !Catch::Contains("ermission denied"));
    CommandResult again = lab.Dhcp("vm1");
    INFO(again.output);
    CHECK(again.exit_code == 0);
  }

  // Pings on one host and across the two hosts over VXLAN.
  CHECK(Pings(lab, "vm1", "10.77.1.12"));
  CHECK(Pings(lab, "vm1", "10.77.1.13"));
  CHECK(Pings(lab, "vm3", "10.77.1.11"));

  // Anti-spoofing: vm2 taking another address cannot reach anyone.
  lab.MustExec("vm2", "ip addr add 10.77.1.99/24 dev eth0");
  CHECK_FALSE(lab.Exec("vm2", "busybox ping -c 2 -W 1 -w 3 -I 10.77.1.99 10.77.1.11").exit_code ==
              0);
  lab.MustExec("vm2", "ip addr del 10.77.1.99/24 dev eth0");

  // Removing the ICMP rule stops the pings; adding it back restores them.
  w.icmp = false;
  ApplyOk(lab, "h1", w.Host1(), kH1);
  ApplyOk(lab, "h2", w.Host2(), kH2);
  CHECK_FALSE(Pings(lab, "vm1", "10.77.1.12", 2));
  CHECK_FALSE(Pings(lab, "vm1", "10.77.1.13", 2));
  w.icmp = true;
  ApplyOk(lab, "h1", w.Host1(), kH1);
  ApplyOk(lab, "h2", w.Host2(), kH2);
  CHECK(Pings(lab, "vm1", "10.77.1.12"));
  CHECK(Pings(lab, "vm1", "10.77.1.13"));

  // The floating IP answers from the external namespace, through the router's DNAT.
  CHECK(Pings(lab, "ext", "172.30.99.20"));
  // And vm2 (no floating IP) reaches outside through the router's SNAT.
  CHECK(Pings(lab, "vm2", "172.30.99.1"));

  // A restart re-applies the same state: nothing to do, and a running ping loses nothing,
  // even when the rules are re-applied (forced by forgetting what was applied).
  {
    std::string ping_out = lab.dir() + "/ping.out";
    lab.MustExec("vm1",
                 absl::StrCat("(busybox ping -i 0.05 -c 60 10.77.1.13 > ", ping_out, " 2>&1 &)"));
    ApplyOutcome again = lab.Apply("h1", w.Host1(), kH1, {"gnatext:gn-ext"});
    CHECK(again.exit_code == 0);
    CHECK(again.steps == 0);
    ApplyOutcome again2 = lab.Apply("h2", w.Host2(), kH2, {"gnatext:gn-ext"});
    CHECK(again2.steps == 0);
    lab.MustExec("", "rm -f " + lab.StatePath("h1") + "/firewall.nft " + lab.StatePath("h2") +
                         "/firewall.nft");
    CHECK(lab.Apply("h1", w.Host1(), kH1, {"gnatext:gn-ext"}).exit_code == 0);
    CHECK(lab.Apply("h2", w.Host2(), kH2, {"gnatext:gn-ext"}).exit_code == 0);
    // Wait for the ping to finish (its summary line).
    std::string out;
    for (int i = 0; i < 200; ++i) {
      out = lab.MustExec("", "cat " + ping_out);
      if (absl::StrContains(out, "packets transmitted")) break;
      lab.MustExec("", "sleep 0.1");
    }
    INFO(out);
    CHECK(Lost(out) == 0);
  }

  // Deleting everything: the VMs go (their taps with them), then the empty state.
  std::string pid(absl::StripAsciiWhitespace(
      lab.MustExec("", absl::StrCat("cat ", lab.StatePath("h1"), "/dhcp/", kNet, "/pid"))));
  REQUIRE(!pid.empty());
  lab.UnplugVm("h1", "vm1", w.vm1.tap_name());
  lab.UnplugVm("h1", "vm2", w.vm2.tap_name());
  lab.UnplugVm("h2", "vm3", w.vm3.tap_name());
  pb::HostState none1, none2;
  none1.set_host("gnat-h1");
  none2.set_host("gnat-h2");
  ApplyOk(lab, "h1", none1, kH1);
  ApplyOk(lab, "h2", none2, kH2);
  for (const char* host : {"h1", "h2"}) {
    std::string links = lab.MustExec(host, "ip -br link show");
    INFO(links);
    CHECK_THAT(links, !Catch::Contains("brq"));
    CHECK_THAT(links, !Catch::Contains("vxlan-"));
    CHECK_THAT(links, !Catch::Contains("tap"));
    CHECK_THAT(links, Catch::Contains("gn-ul"));  // what is not the agent's stays
    CHECK_THAT(lab.MustExec(host, "nft list tables"), !Catch::Contains("gureum"));
  }
  std::string namespaces = lab.MustExec("", "ip netns list");
  CHECK_THAT(namespaces, !Catch::Contains(kNet));
  CHECK_THAT(namespaces, !Catch::Contains(kRouter));
  // dnsmasq is gone (a zombie until the machine's init reaps it counts as gone).
  std::string state =
      lab.Exec("", "awk '/^State/{print $2}' /proc/" + pid + "/status 2>/dev/null").output;
  CHECK((state.empty() || state[0] == 'Z'));
  CHECK(lab.Exec("", absl::StrCat("test -e ", lab.StatePath("h1"), "/dhcp/", kNet)).exit_code != 0);
}

}  // namespace
}  // namespace gureum::network_agent

namespace gureum::network_agent {
namespace {

// (VLAN networks take the same path plus a VLAN device, which this machine's kernel cannot
// make: no 8021q; the planner's VLAN steps are unit-tested.)
TEST_CASE(
    "a flat provider network between two hosts, ports without port security, and only "
    "the agent's devices removed") {
  NetnsLab lab("gnav", {});
  lab.AddNamespace("h1");
  lab.AddNamespace("h2");
  lab.AddVeth("h1", "gv-ul1", "h2", "gv-ul2");
  const char kVlanNet[] = "gnavnet1000-0000-4000-8000-000000000001";
  pb::Subnet subnet = testing::Subnet("gnavsub1", kVlanNet, "10.79.1.0/24", "");
  pb::HostNetwork net = FlatNetwork(kVlanNet, "gnavphys", subnet);
  net.mutable_network()->set_router_external(false);
  pb::Port a =
      testing::Port("gnavvm1port-1", subnet, "fa:16:3e:79:01:11", "10.79.1.11", "compute:nova");
  pb::Port b =
      testing::Port("gnavvm2port-2", subnet, "fa:16:3e:79:01:12", "10.79.1.12", "compute:nova");
  a.set_port_security_enabled(false);
  b.set_port_security_enabled(false);
  pb::HostState s1, s2;
  s1.set_host("gnav-h1");
  s2.set_host("gnav-h2");
  *s1.add_networks() = net;
  *s2.add_networks() = net;
  *s1.add_ports() = a;
  *s2.add_ports() = b;
  for (const auto& [host, state, iface] :
       {std::make_tuple("h1", &s1, "gv-ul1"), std::make_tuple("h2", &s2, "gv-ul2")}) {
    ApplyOutcome out = lab.Apply(host, *state, "10.251.9.1", {std::string("gnavphys:") + iface});
    INFO(out.output);
    REQUIRE(out.exit_code == 0);
    CHECK_THAT(lab.MustExec(host, std::string("ip link show ") + iface),
               Catch::Contains("master brqgnavnet1000"));
    // No secured port: no firewall table at all.
    CHECK_THAT(lab.MustExec(host, "nft list tables"), !Catch::Contains("gureum"));
  }
  const std::string bridge = std::string("brq") + std::string(kVlanNet).substr(0, 11);
  lab.PlugVm("h1", "vm1", a.tap_name(), a.mac_address(), bridge);
  lab.PlugVm("h2", "vm2", b.tap_name(), b.mac_address(), bridge);
  lab.MustExec("vm1", "ip addr add 10.79.1.11/24 dev eth0");
  lab.MustExec("vm2", "ip addr add 10.79.1.12/24 dev eth0");
  CHECK(Pings(lab, "vm1", "10.79.1.12"));
  lab.MustExec("h1", "ip link add gv-foreign type bridge");  // not the agent's

  lab.UnplugVm("h1", "vm1", a.tap_name());
  lab.UnplugVm("h2", "vm2", b.tap_name());
  pb::HostState none;
  none.set_host("gnav-h1");
  ApplyOutcome out = lab.Apply("h1", none, "10.251.9.1", {"gnavphys:gv-ul1"});
  INFO(out.output);
  REQUIRE(out.exit_code == 0);
  std::string links = lab.MustExec("h1", "ip -br link show");
  CHECK_THAT(links, !Catch::Contains("brq"));
  CHECK_THAT(links, Catch::Contains("gv-ul1"));  // the physical interface stays, released
  CHECK_THAT(lab.MustExec("h1", "ip link show gv-ul1"), !Catch::Contains("master"));
  CHECK_THAT(links, Catch::Contains("gv-foreign"));  // and so does what is not the agent's
}

}  // namespace
}  // namespace gureum::network_agent
