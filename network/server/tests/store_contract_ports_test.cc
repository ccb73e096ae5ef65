// The NetworkStore contract (network_store.h), third part: ports, their addresses and
// groups, and the queries of the host state. Run like store_contract_test.cc, on both stores.
#include <algorithm>
#include <tuple>
#include <utility>

#include <catch2/catch.hpp>

#include "common/status/macros.h"
#include "network/server/tests/store_holder.h"

namespace gureum::network::testing {
namespace {

Port NewPort(const std::string& id, const std::string& network, const std::string& mac,
             absl::Time at) {
  Port p;
  p.id = id;
  p.name = "port-" + id;
  p.project_id = "p1";
  p.network_id = network;
  p.mac_address = mac;
  p.vif_type = "unbound";
  p.tags = {"t"};
  p.stamps.created_at = p.stamps.updated_at = at;
  return p;
}

// Two networks (n1 with an IPv4 and an IPv6 subnet, ext external), groups g1 and g2
// (g2's rule names g1 as remote), agents on h1 and h2.
absl::Status Base(NetworkTx& tx) {
  for (const char* id : {"n1", "ext"}) {
    Network n;
    n.id = id;
    n.project_id = "p1";
    n.mtu = 1450;
    n.network_type = "vxlan";
    n.segmentation_id = id[0] == 'n' ? 1 : 2;
    n.router_external = id[0] == 'e';
    n.stamps.created_at = kT0;
    GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(n));
  }
  int k = 0;
  for (auto [id, net, cidr, version] :
       {std::tuple<const char*, const char*, const char*, int>{"s6", "n1", "fd00::/64", 6},
        {"s4", "n1", "10.0.0.0/24", 4},
        {"sx", "ext", "203.0.113.0/24", 4}}) {
    Subnet s;
    s.id = id;
    s.project_id = "p1";
    s.network_id = net;
    s.cidr = cidr;
    s.ip_version = version;
    s.stamps.created_at = kT0 + absl::Seconds(k++);
    GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(s));
  }
  for (const char* id : {"g1", "g2"}) {
    SecurityGroup g;
    g.id = id;
    g.project_id = "p1";
    g.stamps.created_at = kT0;
    if (id[1] == '2') {
      SecurityGroupRule r;
      r.id = "r2";
      r.security_group_id = "g2";
      r.project_id = "p1";
      r.direction = "ingress";
      r.ethertype = "IPv4";
      r.remote_group_id = "g1";
      r.stamps.created_at = kT0;
      g.rules.push_back(r);
    }
    GUREUM_RETURN_IF_ERROR(tx.InsertGroup(g));
  }
  for (auto [host, ip] :
       {std::pair<const char*, const char*>{"h1", "192.0.2.1"}, {"h2", "192.0.2.2"}}) {
    Agent a;
    a.id = std::string("agent-") + host;
    a.host = host;
    a.local_ip = ip;
    a.heartbeat_at = kT0;
    GUREUM_RETURN_IF_ERROR(tx.PutAgent(a));
  }
  return absl::OkStatus();
}

TEST_CASE("store: ports, addresses and groups") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact(Base).ok());
  REQUIRE(
      s.Transact([&](NetworkTx& tx) -> absl::Status {
         Port a = NewPort("a", "n1", "fa:16:3e:00:00:01", kT0 + absl::Seconds(1));
         a.security_group_ids = {"g2", "g1"};
         a.binding_host = "h1";
         a.vif_type = "bridge";
         a.device_id = "vm1";
         a.device_owner = "compute:nova";
         a.compute_owned = true;
         a.compute_nic_index = 1;
         a.allowed_address_pairs = {{"10.0.0.100", ""}};
         a.extra_dhcp_opts = {{"bootfile-name", "pxelinux.0", 4}, {"tftp-server", "fd00::1", 6}};
         GUREUM_RETURN_IF_ERROR(tx.InsertPort(a));
         Port b = NewPort("b", "n1", "fa:16:3e:00:00:02", kT0);
         b.binding_host = "h2";
         return tx.InsertPort(b);
       }).ok());
  // One MAC twice on a network.
  CHECK(s.Transact([&](NetworkTx& tx) {
           return tx.InsertPort(NewPort("c", "n1", "fa:16:3e:00:00:02", kT0));
         }).code() == absl::StatusCode::kAlreadyExists);
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(bool got, tx.AllocateIp("a", {"s6", "fd00::5"}));
             CHECK(got);
             GUREUM_ASSIGN_OR_RETURN(got, tx.AllocateIp("a", {"s4", "10.0.0.9"}));
             CHECK(got);
             GUREUM_ASSIGN_OR_RETURN(got, tx.AllocateIp("a", {"s4", "10.0.0.10"}));
             CHECK(got);
             GUREUM_ASSIGN_OR_RETURN(got, tx.AllocateIp("b", {"s4", "10.0.0.9"}));
             CHECK_FALSE(got);  // taken
             GUREUM_ASSIGN_OR_RETURN(got, tx.AllocateIp("b", {"s4", "10.0.0.3"}));
             CHECK(got);
             GUREUM_ASSIGN_OR_RETURN(auto taken, tx.AllocatedIps("s4"));
             std::sort(taken.begin(), taken.end());
             CHECK(taken == std::vector<std::string>{"10.0.0.10", "10.0.0.3", "10.0.0.9"});
             return absl::OkStatus();
           }).ok());
  REQUIRE(s.ReadOnly([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto a, tx.GetPort("a"));
             REQUIRE(a.has_value());
             CHECK(a->name == "port-a");
             CHECK(a->mtu == 1450);
             CHECK(a->status == "DOWN");
             CHECK(a->vif_type == "bridge");
             CHECK(a->compute_owned);
             CHECK(a->compute_nic_index == 1);
             CHECK(a->tags == std::vector<std::string>{"t"});
             CHECK(a->stamps.revision_number == 1);
             REQUIRE(a->allowed_address_pairs.size() == 1);
             CHECK(a->allowed_address_pairs[0].ip_address == "10.0.0.100");
             CHECK(a->extra_dhcp_opts == std::vector<DhcpOption>{{"bootfile-name", "pxelinux.0", 4},
                                                                 {"tftp-server", "fd00::1", 6}});
             CHECK(a->security_group_ids == std::vector<std::string>{"g1", "g2"});
             // IPv4 first (by the subnet's version), then by address as text.
             REQUIRE(a->fixed_ips.size() == 3);
             CHECK(a->fixed_ips[0].ip_address == "10.0.0.10");
             CHECK(a->fixed_ips[1].ip_address == "10.0.0.9");
             CHECK(a->fixed_ips[2].subnet_id == "s6");
             GUREUM_ASSIGN_OR_RETURN(auto none, tx.GetPort("nope"));
             CHECK_FALSE(none.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto all, tx.ListPorts("", {}));
             REQUIRE(all.size() == 2);
             CHECK(all[0].id == "b");  // creation order
             GUREUM_ASSIGN_OR_RETURN(auto other, tx.ListPorts("p2", {}));
             CHECK(other.empty());
             GUREUM_ASSIGN_OR_RETURN(auto in_g1, tx.ListPorts("p1", {{"security_groups", {"g1"}}}));
             REQUIRE(in_g1.size() == 1);
             CHECK(in_g1[0].id == "a");
             GUREUM_ASSIGN_OR_RETURN(auto on_h2, tx.ListPorts("", {{"binding:host_id", {"h2"}}}));
             REQUIRE(on_h2.size() == 1);
             CHECK(on_h2[0].id == "b");
             GUREUM_ASSIGN_OR_RETURN(
                 auto dev, tx.ListPorts("", {{"device_id", {"vm1"}}, {"device_owner", {"x"}}}));
             CHECK(dev.empty());
             GUREUM_ASSIGN_OR_RETURN(auto hosts, tx.HostsOfNetwork("n1"));
             CHECK(hosts == std::vector<std::string>{"h1", "h2"});
             GUREUM_ASSIGN_OR_RETURN(auto macs, tx.RemoteMacs("n1", "h1"));
             REQUIRE(macs.size() == 1);
             CHECK(macs[0] ==
                   std::make_pair(std::string("fa:16:3e:00:00:02"), std::string("192.0.2.2")));
             GUREUM_ASSIGN_OR_RETURN(auto members, tx.MemberAddresses("g1"));
             CHECK(members ==
                   std::vector<std::string>{"10.0.0.10", "10.0.0.9", "fd00::5", "10.0.0.100"});
             GUREUM_ASSIGN_OR_RETURN(auto group_hosts, tx.HostsOfGroup("g1"));
             CHECK(group_hosts == std::vector<std::string>{"h1"});
             GUREUM_ASSIGN_OR_RETURN(bool has, tx.GroupHasPorts("g2"));
             CHECK(has);
             GUREUM_ASSIGN_OR_RETURN(has, tx.NetworkHasPorts("n1"));
             CHECK(has);
             GUREUM_ASSIGN_OR_RETURN(has, tx.SubnetHasPorts("s4"));
             CHECK(has);
             GUREUM_ASSIGN_OR_RETURN(has, tx.SubnetHasPorts("sx"));
             CHECK_FALSE(has);
             GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.CountOwned("p1", "port"));
             CHECK(n == 2);
             return absl::OkStatus();
           }).ok());
  // Updates, status reports, groups and addresses let go.
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto a, tx.GetPort("a"));
             a->name = "renamed";
             a->extra_dhcp_opts = {{"67", "boot.ipxe", 4}};
             a->binding_host = "h2";
             a->status = "DOWN";
             GUREUM_RETURN_IF_ERROR(tx.UpdatePort(*a, kT0 + absl::Seconds(9)));
             GUREUM_RETURN_IF_ERROR(tx.SetPortStatus("a", "h1", "ACTIVE"));  // not bound there
             GUREUM_RETURN_IF_ERROR(tx.SetPortStatus("b", "h2", "ACTIVE"));
             GUREUM_RETURN_IF_ERROR(tx.SetPortGroups("a", {"g2"}));
             return tx.ReleaseIps("b");
           }).ok());
  REQUIRE(s.ReadOnly([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto a, tx.GetPort("a"));
             CHECK(a->name == "renamed");
             CHECK(a->extra_dhcp_opts == std::vector<DhcpOption>{{"67", "boot.ipxe", 4}});
             CHECK(a->binding_host == "h2");
             CHECK(a->status == "DOWN");
             CHECK(a->stamps.revision_number == 2);
             CHECK(a->stamps.updated_at == kT0 + absl::Seconds(9));
             CHECK(a->security_group_ids == std::vector<std::string>{"g2"});
             GUREUM_ASSIGN_OR_RETURN(auto b, tx.GetPort("b"));
             CHECK(b->status == "ACTIVE");
             CHECK(b->stamps.revision_number == 1);
             CHECK(b->fixed_ips.empty());
             GUREUM_ASSIGN_OR_RETURN(bool has, tx.GroupHasPorts("g1"));
             CHECK_FALSE(has);
             return absl::OkStatus();
           }).ok());
}

TEST_CASE("store: deleting ports, a router between subnets, DHCP and the generation") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact(Base).ok());
  int64_t generation = 0;
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(generation, tx.Generation());
             Router r;
             r.id = "r1";
             r.project_id = "p1";
             r.gateway_network_id = "ext";
             r.stamps.created_at = kT0;
             GUREUM_RETURN_IF_ERROR(tx.InsertRouter(r));
             Port leg = NewPort("leg", "n1", "fa:16:3e:00:00:11", kT0);
             leg.device_id = "r1";
             leg.device_owner = "network:router_interface";
             GUREUM_RETURN_IF_ERROR(tx.InsertPort(leg));
             GUREUM_ASSIGN_OR_RETURN(bool ok, tx.AllocateIp("leg", {"s4", "10.0.0.1"}));
             CHECK(ok);
             GUREUM_RETURN_IF_ERROR(
                 tx.InsertPort(NewPort("vm", "n1", "fa:16:3e:00:00:12", kT0 + absl::Seconds(1))));
             GUREUM_ASSIGN_OR_RETURN(ok, tx.AllocateIp("vm", {"s4", "10.0.0.5"}));
             CHECK(ok);
             Port fport = NewPort("fport", "ext", "fa:16:3e:00:00:13", kT0);
             fport.device_owner = "network:floatingip";
             GUREUM_RETURN_IF_ERROR(tx.InsertPort(fport));
             FloatingIp f;
             f.id = "f1";
             f.project_id = "p1";
             f.floating_network_id = "ext";
             f.floating_ip_address = "203.0.113.7";
             f.floating_port_id = "fport";
             f.port_id = "vm";
             f.fixed_ip_address = "10.0.0.5";
             f.router_id = "r1";
             f.status = "ACTIVE";
             f.stamps.created_at = kT0;
             GUREUM_RETURN_IF_ERROR(tx.InsertFloatingIp(f));
             GUREUM_RETURN_IF_ERROR(tx.BindDhcp("n1", "h2"));
             return tx.BumpGeneration();
           }).ok());
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(int64_t now, tx.Generation());
             CHECK(now > generation);
             GUREUM_ASSIGN_OR_RETURN(std::string r, tx.RouterBetween("s4", "ext"));
             CHECK(r == "r1");
             GUREUM_ASSIGN_OR_RETURN(r, tx.RouterBetween("s4", "n1"));
             CHECK(r.empty());
             GUREUM_ASSIGN_OR_RETURN(r, tx.RouterBetween("s6", "ext"));
             CHECK(r.empty());
             GUREUM_ASSIGN_OR_RETURN(auto dhcp, tx.DhcpNetworksOn("h2"));
             CHECK(dhcp == std::vector<std::string>{"n1"});
             GUREUM_ASSIGN_OR_RETURN(auto hosts, tx.HostsOfNetwork("n1"));
             CHECK(hosts == std::vector<std::string>{"h2"});  // the DHCP host
             // Deleting the port frees its address and disassociates the floating IP.
             GUREUM_RETURN_IF_ERROR(tx.DeletePort("vm"));
             GUREUM_ASSIGN_OR_RETURN(auto gone, tx.GetPort("vm"));
             CHECK_FALSE(gone.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto taken, tx.AllocatedIps("s4"));
             CHECK(taken == std::vector<std::string>{"10.0.0.1"});
             GUREUM_ASSIGN_OR_RETURN(auto f, tx.GetFloatingIp("f1"));
             CHECK(f->port_id.empty());
             CHECK(f->fixed_ip_address.empty());
             CHECK(f->router_id.empty());
             CHECK(f->status == "DOWN");
             // And deleting the floating IP its floating port.
             GUREUM_ASSIGN_OR_RETURN(bool deleted, tx.DeleteFloatingIp("f1"));
             CHECK(deleted);
             GUREUM_ASSIGN_OR_RETURN(auto fport, tx.GetPort("fport"));
             CHECK_FALSE(fport.has_value());
             GUREUM_ASSIGN_OR_RETURN(bool gateway, tx.NetworkIsGateway("ext"));
             CHECK(gateway);
             return absl::OkStatus();
           }).ok());
}

}  // namespace
}  // namespace gureum::network::testing
