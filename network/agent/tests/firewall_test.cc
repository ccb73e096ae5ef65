#include "network/agent/firewall.h"

#include <catch2/catch.hpp>

#include "network/agent/router_nat.h"
#include "network/agent/tests/host_states.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

pb::HostState OneVm(const std::vector<pb::SecurityGroupRule>& rules) {
  pb::HostState st;
  *st.add_networks() = VxlanNetwork("net00000000001", 100, kSubnet);
  *st.add_ports() = testing::Port("port0000000aa", kSubnet, "fa:16:3e:00:00:01", "10.0.0.5",
                                  "compute:nova", {"sg1"});
  *st.add_security_groups() = Group("sg1", rules, {"10.0.0.5", "10.0.0.6"});
  return st;
}

TEST_CASE("security group rules become nftables matches on the port's chains") {
  std::vector<std::string> warnings;
  std::string text = FirewallRules(
      OneVm({Rule("r1", "sg1", "ingress", "icmp"), Rule("r2", "sg1", "ingress", "tcp", 22, 22),
             Rule("r3", "sg1", "ingress", "udp", 1000, 2000, "192.168.0.0/16"),
             Rule("r4", "sg1", "ingress", "", -1, -1, "", "sg1"), Rule("r5", "sg1", "egress"),
             Rule("r6", "sg1", "ingress", "icmp", 8, 0)}),
      &warnings);
  CHECK(warnings.empty());
  CHECK_THAT(text, Catch::Contains("iifname \"tapport0000000\" jump spoof_1"));
  CHECK_THAT(text,
             Catch::Contains("oifname \"tapport0000000\" meta mark set meta mark | 0x00010000"));
  CHECK_THAT(text, Catch::Contains("ether saddr != { fa:16:3e:00:00:01 } drop"));
  CHECK_THAT(text, Catch::Contains("ether type ip ip saddr != { 10.0.0.5 } drop"));
  CHECK_THAT(text, Catch::Contains("ether type arp arp saddr ether != { fa:16:3e:00:00:01 } drop"));
  CHECK_THAT(text, Catch::Contains("ether type arp arp saddr ip != { 0.0.0.0, 10.0.0.5 } drop"));
  CHECK_THAT(text, Catch::Contains("meta nfproto ipv4 meta l4proto icmp return  # rule r1"));
  CHECK_THAT(text,
             Catch::Contains("meta nfproto ipv4 meta l4proto tcp th dport 22 return  # rule r2"));
  CHECK_THAT(text, Catch::Contains("th dport 1000-2000 ip saddr 192.168.0.0/16 return  # rule r3"));
  CHECK_THAT(text, Catch::Contains("ip saddr @rg_sg1_v4 return  # rule r4"));
  CHECK_THAT(text, Catch::Contains("elements = { 10.0.0.5, 10.0.0.6 }"));
  CHECK_THAT(text, Catch::Contains("icmp type 8 icmp code 0 return  # rule r6"));
  // r5 (egress, anything) sits in the egress chain, which ends with a drop.
  auto egress = text.find("chain egress_1");
  auto ingress = text.find("chain ingress_1");
  REQUIRE(egress != std::string::npos);
  REQUIRE(ingress != std::string::npos);
  CHECK(text.find("# rule r5") > egress);
  CHECK(text.find("# rule r5") < ingress);
  CHECK_THAT(text, Catch::Contains("ct state established,related return"));
  CHECK_THAT(text, Catch::Contains("ct zone set"));
  // Deterministic: the same state gives the same text.
  std::string again = FirewallRules(
      OneVm({Rule("r1", "sg1", "ingress", "icmp"), Rule("r2", "sg1", "ingress", "tcp", 22, 22),
             Rule("r3", "sg1", "ingress", "udp", 1000, 2000, "192.168.0.0/16"),
             Rule("r4", "sg1", "ingress", "", -1, -1, "", "sg1"), Rule("r5", "sg1", "egress"),
             Rule("r6", "sg1", "ingress", "icmp", 8, 0)}),
      &warnings);
  CHECK(again == text);
}

TEST_CASE("ports with the same groups share one pair of chains") {
  std::vector<std::string> warnings;
  pb::HostState st = OneVm({Rule("r1", "sg1", "ingress", "icmp")});
  *st.add_ports() = testing::Port("port0000000bb", kSubnet, "fa:16:3e:00:00:02", "10.0.0.6",
                                  "compute:nova", {"sg1"});
  *st.add_ports() =
      testing::Port("port0000000cc", kSubnet, "fa:16:3e:00:00:03", "10.0.0.7", "compute:nova", {});
  std::string text = FirewallRules(st, &warnings);
  CHECK_THAT(
      text,
      Catch::Contains(
          "0x00000001 : jump egress_1, 0x00000002 : jump egress_1, 0x00000003 : jump egress_2"));
  CHECK_THAT(
      text,
      Catch::Contains(
          "0x00010000 : jump ingress_1, 0x00020000 : jump ingress_1, 0x00030000 : jump ingress_2"));
  // The rule is written once; the group-less port's chains drop what is not DHCP/ND.
  CHECK(text.find("# rule r1") == text.rfind("# rule r1"));
  CHECK_THAT(text, !Catch::Contains("chain egress_3"));
  CHECK_THAT(text, Catch::Contains("jump spoof_3"));
}

TEST_CASE("removing a rule removes its match") {
  std::vector<std::string> warnings;
  std::string with = FirewallRules(OneVm({Rule("r1", "sg1", "ingress", "icmp")}), &warnings);
  std::string without = FirewallRules(OneVm({}), &warnings);
  CHECK_THAT(with, Catch::Contains("# rule r1"));
  CHECK_THAT(without, !Catch::Contains("# rule r1"));
  CHECK(with != without);
}

TEST_CASE("ports without port security get no chains, admin-down ports drop everything") {
  std::vector<std::string> warnings;
  pb::HostState st = OneVm({});
  st.mutable_ports(0)->set_port_security_enabled(false);
  CHECK(FirewallRules(st, &warnings).empty());
  st.mutable_ports(0)->set_admin_state_up(false);
  std::string text = FirewallRules(st, &warnings);
  CHECK_THAT(text, Catch::Contains("iifname \"tapport0000000\" drop"));
  CHECK_THAT(text, Catch::Contains("oifname \"tapport0000000\" drop"));
}

TEST_CASE("allowed address pairs widen the anti-spoofing sets") {
  std::vector<std::string> warnings;
  pb::HostState st = OneVm({});
  auto* pair = st.mutable_ports(0)->add_allowed_address_pairs();
  pair->set_ip_address("10.0.0.0/28");
  pair->set_mac_address("fa:16:3e:00:00:99");
  std::string text = FirewallRules(st, &warnings);
  CHECK_THAT(text, Catch::Contains("ether saddr != { fa:16:3e:00:00:01, fa:16:3e:00:00:99 } drop"));
  // 10.0.0.5 lies inside the pair's prefix: one element, no overlapping intervals.
  CHECK_THAT(text, Catch::Contains("ip saddr != { 10.0.0.0/28 } drop"));
}

TEST_CASE("rules that cannot be expressed are skipped with a warning") {
  std::vector<std::string> warnings;
  std::string text = FirewallRules(OneVm({Rule("bad1", "sg1", "ingress", "nonsense"),
                                          Rule("bad2", "sg1", "ingress", "tcp", 90, 80),
                                          Rule("bad3", "sg1", "ingress", "", -1, -1, "fe80::/64")}),
                                   &warnings);
  CHECK(warnings.size() == 3);
  CHECK_THAT(text, !Catch::Contains("# rule bad"));
}

TEST_CASE("ids, names and MACs that could inject nftables syntax are refused") {
  std::vector<std::string> warnings;
  pb::HostState st = OneVm(
      {Rule("r1\n  }\n  chain evil {", "sg1", "ingress", "icmp"), Rule("r2", "sg1", "ingress")});
  std::string text = FirewallRules(st, &warnings);
  CHECK_THAT(text, !Catch::Contains("evil"));
  CHECK_THAT(text, Catch::Contains("# rule r2"));
  st = OneVm({});
  st.mutable_ports(0)->set_tap_name("tap\" accept");
  warnings.clear();
  CHECK(FirewallRules(st, &warnings).empty());
  CHECK(warnings.size() == 1);
  st = OneVm({});
  st.mutable_ports(0)->set_mac_address("fa:16:3e:00:00:01 } accept");
  CHECK(FirewallRules(st, &warnings).empty());
}

TEST_CASE("MergePrefixes drops contained and duplicate elements and clears host bits") {
  CHECK(MergePrefixes({"10.0.0.5", "10.0.0.0/24", "10.0.0.5", "10.1.2.3/16", "junk", "fe80::1"}) ==
        std::vector<std::string>{"10.0.0.0/24", "10.1.0.0/16", "fe80::1"});
  CHECK(AddressFamily("10.0.0.1") == 4);
  CHECK(AddressFamily("2001:db8::/32") == 6);
  CHECK(AddressFamily("10.0.0.1/33") == 0);
}

TEST_CASE("a router's NAT: DNAT and SNAT per floating IP, SNAT for the subnets") {
  pb::HostRouter r;
  r.mutable_router()->mutable_external_gateway()->set_enable_snat(true);
  auto* f = r.add_floating_ips();
  f->set_floating_ip_address("172.24.0.20");
  f->set_fixed_ip_address("10.0.0.5");
  std::string text = RouterNatRules(r, "qg-abc", "172.24.0.10", {"10.0.0.0/24"});
  CHECK_THAT(text, Catch::Contains("ip daddr 172.24.0.20 dnat to 10.0.0.5"));
  CHECK_THAT(text, Catch::Contains("oifname \"qg-abc\" ip saddr 10.0.0.5 snat to 172.24.0.20"));
  CHECK_THAT(text,
             Catch::Contains("oifname \"qg-abc\" ip saddr { 10.0.0.0/24 } snat to 172.24.0.10"));
  CHECK(text.find("snat to 172.24.0.20") < text.find("snat to 172.24.0.10"));
  r.mutable_router()->mutable_external_gateway()->set_enable_snat(false);
  r.clear_floating_ips();
  CHECK(RouterNatRules(r, "qg-abc", "172.24.0.10", {"10.0.0.0/24"}).empty());
  CHECK(RouterNatRules(r, "", "", {}).empty());
}

}  // namespace
}  // namespace gureum::network_agent
