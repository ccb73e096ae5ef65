// Nova's admin APIs that Tempest's compute admin tests read, through the REST adapter on
// fakes only (fake_rest.h): the aggregate shapes (the create answer without hosts and
// metadata, no uuid before 2.41), os-hosts, the hypervisor search, servers and uptime
// routes, os-simple-tenant-usage, os-instance_usage_audit_log, os-resetState, and the
// flavor list's default (public, and private ones given to the caller's project).
#include <catch2/catch.hpp>

#include "absl/time/time.h"
#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

TEST_CASE("aggregates: Nova's create answer, no uuid before 2.41") {
  FakeRest api;
  Reply made = api.AsAdmin("POST", "/os-aggregates", {{"aggregate", {{"name", "rack1"}}}});
  REQUIRE(made.status == 200);
  CHECK_FALSE(made.body["aggregate"].contains("hosts"));
  CHECK_FALSE(made.body["aggregate"].contains("metadata"));
  CHECK_FALSE(made.body["aggregate"].contains("uuid"));
  const int id = made.body["aggregate"]["id"];
  Reply shown = api.AsAdmin("GET", "/os-aggregates/" + std::to_string(id));
  REQUIRE(shown.status == 200);
  CHECK(shown.body["aggregate"].contains("hosts"));
  CHECK(shown.body["aggregate"].contains("metadata"));
  CHECK_FALSE(shown.body["aggregate"].contains("uuid"));
}

TEST_CASE("os-hosts: list, zones, show, status, power actions and their errors") {
  FakeRest api;
  api.world().AddHost("h1");
  Reply hosts = api.AsAdmin("GET", "/os-hosts");
  REQUIRE(hosts.status == 200);
  REQUIRE(hosts.body["hosts"].size() == 1);
  CHECK(hosts.body["hosts"][0] ==
        json{{"host_name", "h1"}, {"service", "compute"}, {"zone", "nova"}});
  CHECK(api.AsAdmin("GET", "/os-hosts?zone=nova").body["hosts"].size() == 1);
  CHECK(api.AsAdmin("GET", "/os-hosts?zone=").body["hosts"].size() == 1);
  CHECK(api.AsAdmin("GET", "/os-hosts?zone=xxx").body["hosts"].empty());
  CHECK(api.Call("GET", "/os-hosts").status == 403);

  Reply detail = api.AsAdmin("GET", "/os-hosts/h1");
  REQUIRE(detail.status == 200);
  CHECK(detail.body["host"][0]["resource"]["host"] == "h1");
  CHECK(detail.body["host"][0]["resource"]["project"] == "(total)");
  CHECK(api.AsAdmin("GET", "/os-hosts/nope").status == 404);
  CHECK(api.Call("GET", "/os-hosts/h1").status == 403);

  Reply disabled = api.AsAdmin("PUT", "/os-hosts/h1", {{"status", "disable"}});
  REQUIRE(disabled.status == 200);
  CHECK(disabled.body == json{{"host", "h1"}, {"status", "disabled"}});
  CHECK(api.AsAdmin("PUT", "/os-hosts/h1", json::object()).status == 400);
  CHECK(api.AsAdmin("PUT", "/os-hosts/h1", {{"status", "up"}}).status == 400);
  CHECK(api.AsAdmin("PUT", "/os-hosts/h1", {{"status", "enable"}, {"x", 1}}).status == 400);
  CHECK(api.AsAdmin("PUT", "/os-hosts/nope", {{"status", "enable"}}).status == 404);
  CHECK(api.Call("PUT", "/os-hosts/h1", {{"status", "enable"}}).status == 403);
  CHECK(api.AsAdmin("GET", "/os-hosts/h1/reboot").status == 501);
  CHECK(api.AsAdmin("GET", "/os-hosts/nope/startup").status == 404);
  CHECK(api.Call("GET", "/os-hosts/h1/shutdown").status == 403);
}

TEST_CASE("hypervisors: search and servers by host name, uptime is 501") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  api.world().AddHost("h1");
  Instance server = api.world().ActiveServer("h1");
  Reply found = api.AsAdmin("GET", "/os-hypervisors/h/search");
  REQUIRE(found.status == 200);
  CHECK(found.body["hypervisors"][0]["hypervisor_hostname"] == "h1");
  CHECK(api.AsAdmin("GET", "/os-hypervisors/zz/search").status == 404);
  Reply servers = api.AsAdmin("GET", "/os-hypervisors/h1/servers");
  REQUIRE(servers.status == 200);
  CHECK(servers.body["hypervisors"][0]["servers"][0]["uuid"] == server.uuid);
  CHECK(api.Call("GET", "/os-hypervisors/h1/servers").status == 403);
  const std::string id = std::to_string(found.body["hypervisors"][0]["id"].get<int64_t>());
  CHECK(api.AsAdmin("GET", "/os-hypervisors/" + id + "/uptime").status == 501);
  CHECK(api.AsAdmin("GET", "/os-hypervisors/999/uptime").status == 404);
  CHECK(api.Call("GET", "/os-hypervisors/" + id + "/uptime").status == 403);
}

std::string QueryTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", t, absl::UTCTimeZone());
}

TEST_CASE("os-simple-tenant-usage: hours of the period, admins for all projects") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  Instance server = api.world().ActiveServer("h1");
  const absl::Time created = server.launched_at.value_or(server.created_at);
  const std::string period = "?start=" + QueryTime(created - absl::Hours(1)) +
                             "&end=" + QueryTime(created + absl::Hours(2));
  Reply mine = api.Call("GET", "/os-simple-tenant-usage/p1" + period);
  REQUIRE(mine.status == 200);
  const json& usage = mine.body["tenant_usage"];
  CHECK(usage["tenant_id"] == "p1");
  CHECK(usage["total_hours"].get<double>() == Approx(2.0));
  CHECK(usage["total_memory_mb_usage"].get<double>() == Approx(1024.0));  // 512 MB, 2 h
  REQUIRE(usage["server_usages"].size() == 1);
  CHECK(usage["server_usages"][0]["instance_id"] == server.uuid);
  CHECK(api.Call("GET", "/os-simple-tenant-usage/p2" + period, nullptr, "token-p1").status == 403);
  CHECK(api.Call("GET", "/os-simple-tenant-usage" + period).status == 403);
  Reply all = api.AsAdmin("GET", "/os-simple-tenant-usage" + period + "&detailed=1");
  REQUIRE(all.status == 200);
  CHECK(all.body["tenant_usages"].size() == 1);
  CHECK(all.body["tenant_usages"][0].contains("server_usages"));
  const std::string reversed = "?start=" + QueryTime(created + absl::Hours(2)) +
                               "&end=" + QueryTime(created - absl::Hours(1));
  CHECK(api.AsAdmin("GET", "/os-simple-tenant-usage/p1" + reversed).status == 400);
  CHECK(api.AsAdmin("GET", "/os-simple-tenant-usage/" + period).status == 404);
  CHECK(api.AsAdmin("GET", "/os-simple-tenant-usage/p1?start=yesterday").status == 400);
}

TEST_CASE("os-instance_usage_audit_log: no audit has run, admins only") {
  FakeRest api;
  api.world().AddHost("h1");
  Reply log = api.AsAdmin("GET", "/os-instance_usage_audit_log");
  REQUIRE(log.status == 200);
  const json& l = log.body["instance_usage_audit_logs"];
  CHECK(l["hosts_not_run"] == json::array({"h1"}));
  CHECK(l["num_hosts_done"] == 0);
  Reply before = api.AsAdmin("GET", "/os-instance_usage_audit_log/2026-12-07%2021%3A00%3A00");
  REQUIRE(before.status == 200);
  CHECK(before.body["instance_usage_audit_log"]["period_beginning"] ==
        "2026-11-01T00:00:00.000000");
  CHECK(api.AsAdmin("GET", "/os-instance_usage_audit_log/invalid_time").status == 400);
  CHECK(api.Call("GET", "/os-instance_usage_audit_log").status == 403);
}

TEST_CASE("os-resetState through REST: 202 for admins, 403 for members, 400 for a bad state") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  Instance server = api.world().ActiveServer("h1");
  const std::string path = "/servers/" + server.uuid + "/action";
  CHECK(api.Call("POST", path, {{"os-resetState", {{"state", "error"}}}}).status == 403);
  CHECK(api.AsAdmin("POST", path, {{"os-resetState", {{"state", "stopped"}}}}).status == 400);
  CHECK(api.AsAdmin("POST", path, {{"os-resetState", {{"state", "error"}}}}).status == 202);
  CHECK(api.AsAdmin("GET", "/servers/" + server.uuid).body["server"]["status"] == "ERROR");
  CHECK(api.AsAdmin("POST", "/servers/nope/action", {{"os-resetState", {{"state", "error"}}}})
            .status == 404);
}

TEST_CASE("flavors: the default list is public ones and those given to the project, admins too") {
  FakeRest api;
  json flavor = {{"name", "private"}, {"vcpus", 1},   {"ram", 512},
                 {"disk", 1},         {"id", "priv"}, {"os-flavor-access:is_public", false}};
  REQUIRE(api.AsAdmin("POST", "/flavors", {{"flavor", flavor}}).status == 200);
  CHECK(api.AsAdmin("GET", "/flavors").body["flavors"].empty());
  CHECK(api.AsAdmin("GET", "/flavors?is_public=None").body["flavors"].size() == 1);
  CHECK(api.AsAdmin("GET", "/flavors?is_public=false").body["flavors"].size() == 1);
  CHECK(api.Call("GET", "/flavors").body["flavors"].empty());
  REQUIRE(api.AsAdmin("POST", "/flavors/priv/action", {{"addTenantAccess", {{"tenant", "p1"}}}})
              .status == 200);
  CHECK(api.Call("GET", "/flavors/detail").body["flavors"].size() == 1);
  CHECK(api.Call("GET", "/flavors", nullptr, "token-p2").body["flavors"].empty());
}

TEST_CASE("servers: an admin's tenant_id filter counts only with all_tenants") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  Instance server = api.world().ActiveServer("h1");  // p1's
  CHECK(api.AsAdmin("GET", "/servers?tenant_id=p1").body["servers"].empty());
  Reply all = api.AsAdmin("GET", "/servers?all_tenants&tenant_id=p1");
  REQUIRE(all.body["servers"].size() == 1);
  CHECK(all.body["servers"][0]["id"] == server.uuid);
  CHECK(api.AsAdmin("GET", "/servers?all_tenants&tenant_id=p2").body["servers"].empty());
}

TEST_CASE("server groups: owner fields from 2.13, no policy and rules before 2.64") {
  FakeRest api;
  Reply made = api.Call("POST", "/os-server-groups",
                        {{"server_group", {{"name", "g"}, {"policies", {"affinity"}}}}});
  REQUIRE(made.status == 200);
  const json& g = made.body["server_group"];
  CHECK(g["policies"] == json::array({"affinity"}));
  for (const char* absent : {"policy", "rules", "project_id", "user_id"}) {
    CHECK_FALSE(g.contains(absent));
  }
  const std::string id = g["id"];
  Reply at13 = api.Call("GET", "/os-server-groups/" + id, nullptr, "token-p1", "2.13");
  REQUIRE(at13.status == 200);
  CHECK(at13.body["server_group"]["project_id"] == "p1");
  CHECK_FALSE(at13.body["server_group"].contains("policy"));
}

}  // namespace
}  // namespace gureum::compute::testing
