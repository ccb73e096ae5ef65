#include "network/agent/dhcp_config.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_join.h"
#include "network/agent/tests/host_states.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

TEST_CASE("dnsmasq files: static hosts, router, DNS, MTU and classless routes") {
  pb::Subnet s = testing::Subnet("sub1", "net1", "10.0.0.0/24", "10.0.0.1");
  s.add_dns_nameservers("8.8.8.8");
  s.add_dns_nameservers("1.1.1.1");
  auto* hr = s.add_host_routes();
  hr->set_destination("192.168.5.0/24");
  hr->set_nexthop("10.0.0.254");
  pb::Port dhcp = testing::Port("dhcpport0001", s, "fa:16:3e:00:00:02", "10.0.0.2", "network:dhcp");
  pb::Port vm = testing::Port("vmport000001", s, "FA:16:3E:00:00:05", "10.0.0.5", "compute:nova");
  pb::DhcpNetwork d = Dhcp(dhcp, s, {vm});
  CHECK(DhcpHostsFile(d) == "fa:16:3e:00:00:05,host-10-0-0-5,10.0.0.5\n");
  pb::DhcpNetwork odd = d;
  odd.mutable_hosts(0)->set_hostname("x\ndhcp-option=3,6.6.6.6");
  CHECK(DhcpHostsFile(odd) == "fa:16:3e:00:00:05,10.0.0.5\n");
  odd.mutable_hosts(0)->set_mac_address("fa:16:3e:00:00:05\n00:11:22:33:44:55,10.0.0.9");
  CHECK(DhcpHostsFile(odd).empty());
  std::string opts = DhcpOptsFile(d, 1450);
  CHECK_THAT(opts, Catch::Contains("tag:subnet-sub1,option:router,10.0.0.1\n"));
  CHECK_THAT(opts, Catch::Contains("tag:subnet-sub1,option:dns-server,8.8.8.8,1.1.1.1\n"));
  CHECK_THAT(opts, Catch::Contains("tag:subnet-sub1,option:mtu,1450\n"));
  CHECK_THAT(opts,
             Catch::Contains(
                 "option:classless-static-route,192.168.5.0/24,10.0.0.254,0.0.0.0/0,10.0.0.1\n"));
  DhcpPaths paths{"/state/dhcp/net1"};
  std::string args = absl::StrJoin(DnsmasqArgs(d, paths, "ns-dhcpport000", 600, "dnsmasq"), " ");
  CHECK_THAT(args,
             Catch::Contains("--dhcp-range=set:subnet-sub1,10.0.0.0,static,255.255.255.0,600s"));
  CHECK_THAT(args, Catch::Contains("--dhcp-hostsfile=/state/dhcp/net1/host"));
  CHECK_THAT(args, Catch::Contains("--interface=ns-dhcpport000"));
  CHECK_THAT(args, Catch::Contains("--pid-file=/state/dhcp/net1/pid"));
  CHECK_THAT(args, Catch::Contains("--user=root --group=root"));
  std::string dropped = absl::StrJoin(
      DnsmasqArgs(d, paths, "ns-dhcpport000", 600, "dnsmasq", "nobody", "nogroup"), " ");
  CHECK_THAT(dropped, Catch::Contains("--user=nobody --group=nogroup"));
  CHECK_THAT(dropped, !Catch::Contains("root"));
}

TEST_CASE("dnsmasq files: a port's extra DHCP options go to its tag only") {
  pb::Subnet s = testing::Subnet("sub1", "net1", "10.0.0.0/24", "10.0.0.1");
  pb::Port dhcp = testing::Port("dhcpport0001", s, "fa:16:3e:00:00:02", "10.0.0.2", "network:dhcp");
  pb::Port pxe = testing::Port("pxeport00001", s, "fa:16:3e:00:00:07", "10.0.0.7", "compute:nova");
  pb::Port plain =
      testing::Port("vmport000001", s, "fa:16:3e:00:00:05", "10.0.0.5", "compute:nova");
  pb::DhcpNetwork d = Dhcp(dhcp, s, {pxe, plain});
  for (auto& h : *d.mutable_hosts()) {
    if (h.ip_address() != "10.0.0.7") continue;
    h.set_tag("port-pxeport00001");
    for (auto [name, value] :
         {std::pair{"bootfile-name", "pxelinux.0"}, std::pair{"tftp-server", "123.123.123.123"},
          std::pair{"x\ndhcp-option", "3,6.6.6.6"},
          std::pair{"server-ip-address", "1.2.3.4\ndhcp-range=x"}}) {
      auto* o = h.add_extra_dhcp_opts();
      o->set_opt_name(name);
      o->set_opt_value(value);
      o->set_ip_version(4);
    }
  }
  std::string hosts = DhcpHostsFile(d);
  CHECK_THAT(hosts,
             Catch::Contains("fa:16:3e:00:00:07,set:port-pxeport00001,host-10-0-0-7,10.0.0.7\n"));
  CHECK_THAT(hosts, Catch::Contains("fa:16:3e:00:00:05,host-10-0-0-5,10.0.0.5\n"));
  std::string opts = DhcpOptsFile(d, 1450);
  CHECK_THAT(opts, Catch::Contains("tag:port-pxeport00001,option:bootfile-name,pxelinux.0\n"));
  CHECK_THAT(opts, Catch::Contains("tag:port-pxeport00001,option:tftp-server,123.123.123.123\n"));
  // Names or values that would add a line are left out.
  CHECK_THAT(opts, !Catch::Contains("6.6.6.6"));
  CHECK_THAT(opts, !Catch::Contains("dhcp-range"));
}

TEST_CASE("subnets without DHCP and IPv6 subnets get no range") {
  pb::Subnet s = testing::Subnet("sub1", "net1", "10.0.0.0/24", "10.0.0.1");
  s.set_enable_dhcp(false);
  pb::Subnet v6 = testing::Subnet("sub6", "net1", "2001:db8::/64", "2001:db8::1");
  pb::Port dhcp = testing::Port("dhcpport0001", s, "fa:16:3e:00:00:02", "10.0.0.2", "network:dhcp");
  pb::DhcpNetwork d = Dhcp(dhcp, s, {});
  *d.add_subnets() = v6;
  std::string args = absl::StrJoin(DnsmasqArgs(d, DhcpPaths{"/x"}, "ns-x", 600, "dnsmasq"), " ");
  CHECK_THAT(args, !Catch::Contains("--dhcp-range"));
  CHECK(Ipv4Netmask("10.0.0.0/8") == "255.0.0.0");
  CHECK(Ipv4Netmask("10.0.0.0/26") == "255.255.255.192");
  CHECK(Ipv4Netmask("nonsense").empty());
}

}  // namespace
}  // namespace gureum::network_agent
