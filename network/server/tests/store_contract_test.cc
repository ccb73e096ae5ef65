// The NetworkStore contract (network_store.h), run on the fake (unit) and on PostgreSQL
// (integration) through tests/store_holder.h: security groups, their rules, quotas. Networks,
// subnets, agents, floating IPs and routers are in store_contract_l3_test.cc.
#include <catch2/catch.hpp>

#include "common/status/macros.h"
#include "network/server/tests/store_holder.h"

namespace gureum::network::testing {
namespace {

SecurityGroupRule Rule(const std::string& id, const std::string& group,
                       const std::string& direction, const std::string& ethertype,
                       absl::Time at = kT0) {
  SecurityGroupRule r;
  r.id = id;
  r.security_group_id = group;
  r.project_id = "p1";
  r.direction = direction;
  r.ethertype = ethertype;
  r.stamps.created_at = r.stamps.updated_at = at;
  return r;
}

SecurityGroup Group(const std::string& id, const std::string& project, absl::Time at = kT0) {
  SecurityGroup g;
  g.id = id;
  g.name = "g-" + id;
  g.project_id = project;
  g.description = "about " + id;
  g.tags = {"b", "a"};
  g.stamps.created_at = g.stamps.updated_at = at;
  return g;
}

TEST_CASE("store: security groups with their rules, round trip and lists") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  SecurityGroup g = Group("g1", "p1");
  g.rules = {Rule("r1", "g1", "egress", "IPv4"), Rule("r2", "g1", "egress", "IPv6")};
  REQUIRE(Tx(s, [&](NetworkTx& tx) { return tx.InsertGroup(g); }).ok());
  REQUIRE(Tx(s, [&](NetworkTx& tx) {
            return tx.InsertGroup(Group("g2", "p2", kT0 + absl::Seconds(1)));
          }).ok());
  REQUIRE(s.ReadOnly([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetGroup("g1"));
             REQUIRE(got.has_value());
             CHECK(got->name == "g-g1");
             CHECK(got->description == "about g1");
             CHECK(got->tags == std::vector<std::string>{"b", "a"});
             CHECK(got->stateful);
             CHECK_FALSE(got->is_default);
             CHECK(got->stamps.created_at == kT0);
             CHECK(got->stamps.revision_number == 1);
             REQUIRE(got->rules.size() == 2);
             CHECK(got->rules[0].id == "r1");
             CHECK(got->rules[0].project_id == "p1");
             CHECK(got->rules[0].port_range_min == -1);
             CHECK(got->rules[1].ethertype == "IPv6");
             GUREUM_ASSIGN_OR_RETURN(auto none, tx.GetGroup("nope"));
             CHECK_FALSE(none.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto owner, tx.GetGroupProject("g1"));
             CHECK(owner == std::optional<std::string>("p1"));
             GUREUM_ASSIGN_OR_RETURN(auto no_owner, tx.GetGroupProject("nope"));
             CHECK_FALSE(no_owner.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto all, tx.ListGroups("", {}));
             REQUIRE(all.size() == 2);
             CHECK(all[0].id == "g1");
             CHECK(all[1].id == "g2");
             GUREUM_ASSIGN_OR_RETURN(auto mine, tx.ListGroups("p2", {}));
             REQUIRE(mine.size() == 1);
             CHECK(mine[0].id == "g2");
             GUREUM_ASSIGN_OR_RETURN(auto named, tx.ListGroups("", {{"name", {"g-g2", "x"}}}));
             REQUIRE(named.size() == 1);
             CHECK(named[0].id == "g2");
             GUREUM_ASSIGN_OR_RETURN(auto tenant,
                                     tx.ListGroups("", {{"tenant_id", {"p1"}}, {"bogus", {"1"}}}));
             REQUIRE(tenant.size() == 1);
             CHECK(tenant[0].id == "g1");
             return absl::OkStatus();
           }).ok());
}

TEST_CASE("store: a failed transaction leaves nothing behind") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  absl::Status st = Tx(s, [&](NetworkTx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(tx.InsertGroup(Group("g1", "p1")));
    return absl::CancelledError("changed my mind");
  });
  CHECK(absl::IsCancelled(st));
  REQUIRE(s.ReadOnly([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetGroup("g1"));
             CHECK_FALSE(got.has_value());
             return absl::OkStatus();
           }).ok());
  CHECK_FALSE(s.ReadOnly([&](NetworkTx& tx) { return tx.InsertGroup(Group("g2", "p1")); }).ok());
}

TEST_CASE("store: one default group per project, made once") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  SecurityGroup d = Group("d1", "p1");
  d.name = "default";
  d.is_default = true;
  d.rules = {Rule("r1", "d1", "ingress", "IPv4")};
  d.rules[0].remote_group_id = "d1";
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(std::string none, tx.FindDefaultGroup("p1"));
             CHECK(none.empty());
             GUREUM_ASSIGN_OR_RETURN(bool made, tx.InsertDefaultGroup(d));
             CHECK(made);
             SecurityGroup again = Group("d2", "p1");
             again.is_default = true;
             GUREUM_ASSIGN_OR_RETURN(bool twice, tx.InsertDefaultGroup(again));
             CHECK_FALSE(twice);
             GUREUM_ASSIGN_OR_RETURN(std::string found, tx.FindDefaultGroup("p1"));
             CHECK(found == "d1");
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetGroup("d1"));
             CHECK(got->is_default);
             REQUIRE(got->rules.size() == 1);
             CHECK(got->rules[0].remote_group_id == "d1");
             GUREUM_ASSIGN_OR_RETURN(auto naming, tx.ListRules("", {{"remote_group_id", {"d1"}}}));
             REQUIRE(naming.size() == 1);
             CHECK(naming[0].security_group_id == "d1");
             GUREUM_ASSIGN_OR_RETURN(auto missing, tx.GetGroup("d2"));
             CHECK_FALSE(missing.has_value());
             return absl::OkStatus();
           }).ok());
  SecurityGroup second = Group("d3", "p1");
  second.is_default = true;
  CHECK(absl::IsAlreadyExists(s.Transact([&](NetworkTx& tx) { return tx.InsertGroup(second); })));
}

TEST_CASE("store: group updates bump the revision, deletes take the rules along") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  SecurityGroup g = Group("g1", "p1");
  g.rules = {Rule("r1", "g1", "egress", "IPv4")};
  REQUIRE(s.Transact([&](NetworkTx& tx) { return tx.InsertGroup(g); }).ok());
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             g.name = "renamed";
             g.description = "";
             g.tags = {"t"};
             GUREUM_RETURN_IF_ERROR(tx.UpdateGroup(g, kT0 + absl::Seconds(5)));
             GUREUM_RETURN_IF_ERROR(tx.TouchGroup("g1"));
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetGroup("g1"));
             CHECK(got->name == "renamed");
             CHECK(got->description.empty());
             CHECK(got->tags == std::vector<std::string>{"t"});
             CHECK(got->stamps.updated_at == kT0 + absl::Seconds(5));
             CHECK(got->stamps.created_at == kT0);
             CHECK(got->stamps.revision_number == 3);
             GUREUM_ASSIGN_OR_RETURN(bool ports, tx.GroupHasPorts("g1"));
             CHECK_FALSE(ports);
             GUREUM_RETURN_IF_ERROR(tx.DeleteGroup("g1"));
             GUREUM_ASSIGN_OR_RETURN(auto gone, tx.GetGroup("g1"));
             CHECK_FALSE(gone.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto rule, tx.GetRule("r1"));
             CHECK_FALSE(rule.has_value());
             return absl::OkStatus();
           }).ok());
}

TEST_CASE("store: rules are unique by their tuple, listed and filtered") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(
      s.Transact([&](NetworkTx& tx) -> absl::Status {
         GUREUM_RETURN_IF_ERROR(tx.InsertGroup(Group("g1", "p1")));
         GUREUM_RETURN_IF_ERROR(tx.InsertGroup(Group("g2", "p2")));
         SecurityGroupRule tcp = Rule("r1", "g1", "ingress", "IPv4");
         tcp.protocol = "tcp";
         tcp.port_range_min = 22;
         tcp.port_range_max = 22;
         tcp.remote_ip_prefix = "10.0.0.0/8";
         GUREUM_ASSIGN_OR_RETURN(auto first, tx.InsertRule(tcp));
         CHECK_FALSE(first.has_value());
         SecurityGroupRule same = tcp;
         same.id = "r2";
         same.description = "a different description does not matter";
         GUREUM_ASSIGN_OR_RETURN(auto dup, tx.InsertRule(same));
         REQUIRE(dup.has_value());
         CHECK(*dup == "r1");
         SecurityGroupRule remote = Rule("r3", "g2", "ingress", "IPv4", kT0 + absl::Seconds(1));
         remote.project_id = "p2";
         remote.remote_group_id = "g1";
         GUREUM_ASSIGN_OR_RETURN(auto third, tx.InsertRule(remote));
         CHECK_FALSE(third.has_value());
         GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetRule("r1"));
         REQUIRE(got.has_value());
         CHECK(got->protocol == "tcp");
         CHECK(got->port_range_max == 22);
         CHECK(got->remote_ip_prefix == "10.0.0.0/8");
         CHECK(got->stamps.revision_number == 1);
         GUREUM_ASSIGN_OR_RETURN(auto all, tx.ListRules("", {}));
         REQUIRE(all.size() == 2);
         CHECK(all[0].id == "r1");
         GUREUM_ASSIGN_OR_RETURN(auto p2, tx.ListRules("p2", {}));
         REQUIRE(p2.size() == 1);
         CHECK(p2[0].id == "r3");
         GUREUM_ASSIGN_OR_RETURN(auto by_remote, tx.ListRules("", {{"remote_group_id", {"g1"}}}));
         REQUIRE(by_remote.size() == 1);
         GUREUM_ASSIGN_OR_RETURN(auto by_proto, tx.ListRules("", {{"protocol", {"udp"}}}));
         CHECK(by_proto.empty());
         GUREUM_RETURN_IF_ERROR(tx.DeleteRule("r3"));
         GUREUM_ASSIGN_OR_RETURN(auto still, tx.ListRules("", {{"remote_group_id", {"g1"}}}));
         CHECK(still.empty());
         return absl::OkStatus();
       }).ok());
  // A rule of an unknown group is refused (the foreign key).
  absl::Status orphan = s.Transact([&](NetworkTx& tx) -> absl::Status {
    return tx.InsertRule(Rule("r9", "nope", "egress", "IPv4")).status();
  });
  CHECK(absl::IsFailedPrecondition(orphan));
}

TEST_CASE("store: quotas, limits and counts") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto none, tx.GetQuotaLimit("p1", "security_group"));
             CHECK_FALSE(none.has_value());
             GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit("p1", "security_group", 3));
             GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit("p1", "security_group", 4));
             GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit("p1", "port", -1));
             GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit("p2", "port", 7));
             GUREUM_ASSIGN_OR_RETURN(auto four, tx.GetQuotaLimit("p1", "security_group"));
             CHECK(four == std::optional<int64_t>(4));
             GUREUM_ASSIGN_OR_RETURN(auto limits, tx.ListQuotaLimits("p1"));
             CHECK(limits == std::map<std::string, int64_t>{{"port", -1}, {"security_group", 4}});
             GUREUM_ASSIGN_OR_RETURN(auto projects, tx.QuotaProjects());
             CHECK(projects == std::vector<std::string>{"p1", "p2"});
             GUREUM_RETURN_IF_ERROR(tx.LockQuota("p1", "security_group"));
             GUREUM_RETURN_IF_ERROR(tx.InsertGroup(Group("g1", "p1")));
             GUREUM_RETURN_IF_ERROR(tx.InsertGroup(Group("g2", "p1")));
             SecurityGroup with_rule = Group("g3", "p2");
             with_rule.rules = {Rule("r1", "g3", "egress", "IPv4")};
             GUREUM_RETURN_IF_ERROR(tx.InsertGroup(with_rule));
             GUREUM_ASSIGN_OR_RETURN(int64_t groups, tx.CountOwned("p1", "security_group"));
             CHECK(groups == 2);
             GUREUM_ASSIGN_OR_RETURN(int64_t rules, tx.CountOwned("p2", "security_group_rule"));
             CHECK(rules == 1);
             GUREUM_ASSIGN_OR_RETURN(int64_t nets, tx.CountOwned("p1", "network"));
             CHECK(nets == 0);
             CHECK(absl::IsInvalidArgument(tx.CountOwned("p1", "bogus").status()));
             GUREUM_RETURN_IF_ERROR(tx.DeleteQuotaLimits("p1"));
             GUREUM_ASSIGN_OR_RETURN(auto after, tx.ListQuotaLimits("p1"));
             CHECK(after.empty());
             GUREUM_ASSIGN_OR_RETURN(auto other, tx.ListQuotaLimits("p2"));
             CHECK(other.size() == 1);
             GUREUM_ASSIGN_OR_RETURN(auto left, tx.QuotaProjects());
             CHECK(left == std::vector<std::string>{"p2"});
             return tx.BumpGeneration();
           }).ok());
}

}  // namespace
}  // namespace gureum::network::testing
