// The ComputeStore contract, run on the fake (compute_api_test, unit) and on PostgreSQL
// (compute_api_pg_test, integration): error codes and messages, the quota checks inside
// the inserts, what MutateInstance saves, and the orders of the listings.
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "common/status/status.h"
#include "compute/api/tests/store_holder.h"

namespace gureum::compute::testing {
namespace {

FlavorRecord MakeFlavor(const std::string& id, const std::string& name, int vcpus, int64_t ram) {
  FlavorRecord f;
  f.id = id;
  f.name = name;
  f.vcpus = vcpus;
  f.ram_mb = ram;
  f.disk_gb = 1;
  return f;
}

Instance MakeInstance(const std::string& uuid, const std::string& project, int vcpus = 1,
                      int64_t ram = 512) {
  Instance i;
  i.uuid = uuid;
  i.name = "vm-" + uuid;
  i.project_id = project;
  i.user_id = "u1";
  i.flavor = MakeFlavor("f1", "tiny", vcpus, ram);
  i.image_ref = "img";
  i.image.id = "img";
  i.vm_state = "building";
  i.task_state = "scheduling";
  return i;
}

QuotaRequest Quota(int64_t instances, int64_t cores, int64_t ram) {
  return {.limits = QuotaLimits{}, .instances = instances, .cores = cores, .ram = ram};
}

std::vector<std::string> Uuids(const absl::StatusOr<std::vector<Instance>>& list) {
  std::vector<std::string> out;
  if (!list.ok()) return {"error: " + list.status().ToString()};
  for (const Instance& i : *list) out.push_back(i.uuid);
  return out;
}

TEST_CASE("store: flavors, duplicates, visibility, extra specs and access") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  REQUIRE(s.CreateFlavor(MakeFlavor("2", "small", 1, 2048)).ok());
  REQUIRE(s.CreateFlavor(MakeFlavor("1", "tiny", 1, 512)).ok());
  FlavorRecord priv = MakeFlavor("3", "private", 2, 512);
  priv.is_public = false;
  REQUIRE(s.CreateFlavor(priv).ok());
  absl::Status dup = s.CreateFlavor(MakeFlavor("9", "tiny", 1, 1));
  CHECK(absl::IsAlreadyExists(dup));
  CHECK(dup.message() == "Flavor with ID 9 or name tiny already exists.");
  CHECK(absl::IsAlreadyExists(s.CreateFlavor(MakeFlavor("1", "other", 1, 1))));
  CHECK(absl::IsNotFound(s.GetFlavor("nope").status()));

  FlavorFilter everyone{.project_id = "p1"};
  auto list = s.ListFlavors(everyone);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK(list->at(0).id == "1");  // by ram, then id
  CHECK(list->at(1).id == "2");
  REQUIRE(s.AddFlavorAccess("3", "p1").ok());
  CHECK(absl::IsAlreadyExists(s.AddFlavorAccess("3", "p1")));
  CHECK(absl::IsNotFound(s.AddFlavorAccess("nope", "p1")));
  list = s.ListFlavors(everyone);
  REQUIRE(list->size() == 3);
  CHECK(list->at(0).id == "1");
  CHECK(list->at(1).id == "3");
  CHECK(s.ListFlavors({.all = true, .min_ram = 1024})->size() == 1);
  CHECK(s.ListFlavors({.all = true, .is_public = false})->at(0).id == "3");
  CHECK(*s.ListFlavorAccess("3") == std::vector<std::string>{"p1"});

  REQUIRE(s.SetExtraSpecs("1", {{"a", "1"}, {"b", "2"}}).ok());
  REQUIRE(s.SetExtraSpecs("1", {{"b", "3"}}).ok());
  CHECK(s.GetFlavor("1")->extra_specs == StringMap{{"a", "1"}, {"b", "3"}});
  REQUIRE(s.DeleteExtraSpec("1", "a").ok());
  absl::Status no_key = s.DeleteExtraSpec("1", "a");
  CHECK(absl::IsNotFound(no_key));
  CHECK(no_key.message() == "Flavor 1 has no extra specs with key a.");
  CHECK(absl::IsNotFound(s.SetExtraSpecs("nope", {{"a", "1"}})));
  REQUIRE(s.UpdateFlavorDescription("1", "desc").ok());
  CHECK(s.GetFlavor("1")->description == "desc");
  CHECK(absl::IsNotFound(s.UpdateFlavorDescription("nope", "x")));

  REQUIRE(s.DeleteFlavor("3").ok());
  CHECK(s.ListFlavorAccess("3")->empty());
  absl::Status gone = s.DeleteFlavor("3");
  CHECK(absl::IsNotFound(gone));
  CHECK(gone.message() == "Flavor 3 could not be found.");
  CHECK(absl::IsNotFound(s.RemoveFlavorAccess("3", "p1")));
}

TEST_CASE("store: keypairs are per user, with a quota checked at insert") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  Keypair k{.user_id = "u1", .name = "b", .public_key = "ssh-ed25519 AAA", .fingerprint = "f"};
  REQUIRE(s.CreateKeypair(k, 2).ok());
  absl::Status dup = s.CreateKeypair(k, 2);
  CHECK(absl::IsAlreadyExists(dup));
  CHECK(dup.message() == "Key pair 'b' already exists.");
  k.name = "a";
  REQUIRE(s.CreateKeypair(k, 2).ok());
  k.name = "c";
  absl::Status over = s.CreateKeypair(k, 2);
  CHECK(absl::IsResourceExhausted(over));
  CHECK(HttpStatusCode(over) == 403);
  CHECK(over.message() ==
        "Quota exceeded for key_pairs: Requested 1, but already used 2 of 2 "
        "key_pairs");
  REQUIRE(s.CreateKeypair({.user_id = "u2", .name = "a", .public_key = "k", .fingerprint = "f"}, -1)
              .ok());
  auto mine = s.ListKeypairs("u1");
  REQUIRE(mine->size() == 2);
  CHECK(mine->at(0).name == "a");
  CHECK(mine->at(1).type == "ssh");
  CHECK(s.GetKeypair("u1", "a")->public_key == "ssh-ed25519 AAA");
  absl::Status missing = s.GetKeypair("u2", "b").status();
  CHECK(absl::IsNotFound(missing));
  CHECK(missing.message() == "Keypair b not found for user u2");
  REQUIRE(s.DeleteKeypair("u1", "a").ok());
  CHECK(absl::IsNotFound(s.DeleteKeypair("u1", "a")));
  CHECK(s.GetQuotaUsage("p", "u1")->key_pairs == 1);
}

TEST_CASE("store: instance creates check the quota and are all or nothing") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  QuotaRequest q = Quota(2, 2, 1024);
  q.limits.instances = 3;
  q.limits.cores = 4;
  REQUIRE(s.CreateInstances({MakeInstance("a", "p1"), MakeInstance("b", "p1")}, q, "req-1").ok());
  absl::Status over = s.CreateInstances({MakeInstance("c", "p1"), MakeInstance("d", "p1")}, q, "r");
  CHECK(absl::IsResourceExhausted(over));
  CHECK(HttpStatusCode(over) == 403);
  CHECK(over.message() ==
        "Quota exceeded for instances: Requested 2, but already used 2 of 3 "
        "instances");
  q = Quota(1, 3, 512);
  q.limits.cores = 4;
  CHECK(s.CreateInstances({MakeInstance("c", "p1", 3)}, q, "r").message() ==
        "Quota exceeded for cores: Requested 3, but already used 2 of 4 cores");
  // Another project has its own usage; -1 is unlimited.
  q.limits.cores = -1;
  REQUIRE(s.CreateInstances({MakeInstance("c", "p2", 3)}, q, "r").ok());
  // A duplicate uuid fails the whole batch.
  CHECK(absl::IsAlreadyExists(
      s.CreateInstances({MakeInstance("d", "p1"), MakeInstance("a", "p1")}, Quota(2, 2, 1), "r")));
  CHECK(absl::IsNotFound(s.GetInstance("d").status()));
  QuotaUsage u = *s.GetQuotaUsage("p1", "u1");
  CHECK(u.instances == 2);
  CHECK(u.cores == 2);
  CHECK(u.ram == 1024);
  // Each instance got a "create" action under the request id.
  auto actions = s.ListActions("a");
  REQUIRE(actions->size() == 1);
  CHECK(actions->at(0).action == "create");
  CHECK(actions->at(0).request_id == "req-1");
  CHECK(actions->at(0).project_id == "p1");
  absl::Status missing = s.GetInstance("zz").status();
  CHECK(absl::IsNotFound(missing));
  CHECK(missing.message() == "Instance zz could not be found.");
}

TEST_CASE("store: MutateInstance saves the state columns, and nothing on refusal") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  Instance in = MakeInstance("a", "p1");
  in.key_name = "k";
  in.metadata = {{"m", "1"}};
  in.requested_networks = {{.network_id = "n1", .fixed_ip = "10.0.0.5"}};
  in.network_ids = {"n1"};
  in.security_groups = {"web"};
  in.host = "ignored";  // not written by a create
  in.auto_disk_config = true;
  REQUIRE(s.CreateInstances({in}, Quota(1, 1, 512), "r").ok());
  Instance got = *s.GetInstance("a");
  CHECK(got.host.empty());
  CHECK(got.key_name == "k");
  CHECK(got.requested_networks.at(0).fixed_ip == "10.0.0.5");
  CHECK(got.security_groups == std::vector<std::string>{"web"});
  CHECK(got.flavor.name == "tiny");
  CHECK(got.auto_disk_config);

  auto refused = s.MutateInstance("a", [](Instance& i) {
    i.vm_state = "active";
    return absl::FailedPreconditionError("no");
  });
  CHECK(absl::IsFailedPrecondition(refused.status()));
  CHECK(s.GetInstance("a")->vm_state == "building");

  auto saved = s.MutateInstance("a", [](Instance& i) {
    i.vm_state = "active";
    i.task_state.clear();
    i.host = "h1";
    i.locked = true;
    i.locked_by = "owner";
    i.new_flavor = MakeFlavor("f2", "big", 2, 1024);
    i.vifs = {{.port_id = "p", .network_id = "n1", .ips = {{.address = "10.0.0.5"}}}};
    i.key_name = "changed";  // not a column the update writes
    i.hostname = "changed";
    i.auto_disk_config = false;
    i.access_ip_v4 = "192.0.2.1";
    i.deleted_at = absl::FromUnixSeconds(1700000000);
    i.diagnostics = {{"cpu0_time", 123456789012}, {"memory", 524288}};
    i.diagnostics_at = absl::FromUnixSeconds(1700000001);
    return absl::OkStatus();
  });
  REQUIRE(saved.ok());
  got = *s.GetInstance("a");
  CHECK(got.vm_state == "active");
  CHECK(got.task_state.empty());
  CHECK(got.host == "h1");
  CHECK(got.locked);
  CHECK(got.new_flavor->id == "f2");
  CHECK(got.vifs.at(0).ips.at(0).address == "10.0.0.5");
  CHECK(got.key_name == "k");
  CHECK(got.hostname.empty());
  CHECK_FALSE(got.auto_disk_config);
  CHECK(got.access_ip_v4 == "192.0.2.1");
  CHECK(got.deleted_at == absl::FromUnixSeconds(1700000000));
  CHECK(got.diagnostics ==
        std::map<std::string, int64_t>{{"cpu0_time", 123456789012}, {"memory", 524288}});
  CHECK(got.diagnostics_at == absl::FromUnixSeconds(1700000001));
  CHECK(saved->host == "h1");
  CHECK(absl::IsNotFound(
      s.MutateInstance("zz", [](Instance&) { return absl::OkStatus(); }).status()));
  CHECK(Uuids(s.ListInstancesOnHost("h1")) == std::vector<std::string>{"a"});
  CHECK(s.ListInstancesOnHost("h2")->empty());
}

TEST_CASE("store: instance listings filter, sort and page") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  for (const char* uuid : {"b", "a", "c"}) {
    Instance i = MakeInstance(uuid, "p1");
    i.name = std::string("web-") + uuid;
    REQUIRE(s.CreateInstances({i}, Quota(1, 1, 512), "r").ok());
    clock.Advance(absl::Seconds(1));
  }
  REQUIRE(s.CreateInstances({MakeInstance("d", "p2")}, Quota(1, 1, 512), "r").ok());
  InstanceFilter f{.project_id = "p1"};
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"c", "a", "b"});  // newest first
  f.sort_desc = false;
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"b", "a", "c"});
  f.sort_key = "display_name";
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"a", "b", "c"});
  f.marker = "a";
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"b", "c"});
  f.limit = 1;
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"b"});
  f.marker = "nope";
  absl::Status bad_marker = s.ListInstances(f).status();
  CHECK(absl::IsInvalidArgument(bad_marker));
  CHECK(bad_marker.message() == "marker [nope] not found");
  f = {.project_id = "p1", .sort_key = "bogus"};
  CHECK(absl::IsInvalidArgument(s.ListInstances(f).status()));
  f = {.project_id = "p1", .name_regex = "-[ab]$"};
  f.sort_desc = false;
  f.sort_key = "uuid";
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"a", "b"});
  f = {.all_projects = true, .sort_key = "uuid"};
  f.sort_desc = false;
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"a", "b", "c", "d"});
  f.uuids = {"d", "a"};
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"a", "d"});
  REQUIRE(s.MutateInstance("b", [](Instance& i) {
             i.host = "h1";
             return absl::OkStatus();
           }).ok());
  f = {.all_projects = true, .host = "h1"};
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"b"});
  REQUIRE(s.MutateInstance("c", [](Instance& i) {
             i.vm_state = "soft-delete";
             return absl::OkStatus();
           }).ok());
  f = {.all_projects = true, .not_vm_state = "soft-delete", .sort_key = "uuid"};
  f.sort_desc = false;
  CHECK(Uuids(s.ListInstances(f)) == std::vector<std::string>{"a", "b", "d"});
  // A NULL key sorts last in both directions.
  f = {.project_id = "p1", .sort_key = "host"};
  CHECK(Uuids(s.ListInstances(f)).at(0) == "b");
  f.sort_desc = false;
  CHECK(Uuids(s.ListInstances(f)).at(0) == "b");
}

TEST_CASE("store: faults, actions and their events") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  REQUIRE(s.CreateInstances({MakeInstance("a", "p1")}, Quota(1, 1, 512), "req-1").ok());
  REQUIRE(s.AddFault({.instance_uuid = "a", .code = 500, .message = "first"}).ok());
  REQUIRE(s.AddFault({.instance_uuid = "a", .code = 400, .message = "second", .host = "h"}).ok());
  CHECK(absl::IsFailedPrecondition(s.AddFault({.instance_uuid = "zz", .message = "x"})));
  auto faults = s.ListFaults("a", 1);
  REQUIRE(faults->size() == 1);
  CHECK(faults->at(0).message == "second");
  CHECK(faults->at(0).host == "h");
  CHECK(s.ListFaults("a", 10)->size() == 2);

  auto id = s.StartAction({.instance_uuid = "a",
                           .request_id = "req-2",
                           .action = "stop",
                           .project_id = "p1",
                           .user_id = "u1"});
  REQUIRE(id.ok());
  const absl::Time t = absl::FromUnixSeconds(1'700'000'100);
  REQUIRE(s.AddActionEvent("a", {.event = "compute_stop_instance", .start_time = t}).ok());
  REQUIRE(s.AddActionEvent("a", {.event = "compute_stop_instance",
                                 .result = "Error",
                                 .host = "h1",
                                 .start_time = t,
                                 .finish_time = t + absl::Seconds(1)})
              .ok());
  REQUIRE(s.AddActionEvent("zz", {.event = "x", .start_time = t}).ok());  // nothing to attach to
  auto actions = s.ListActions("a");
  REQUIRE(actions->size() == 2);
  CHECK(actions->at(0).action == "stop");  // newest first
  CHECK(actions->at(0).id == *id);
  CHECK(actions->at(0).events.empty());
  CHECK(actions->at(0).message == "Error");
  CHECK(actions->at(1).action == "create");
  auto stop = s.GetAction("a", "req-2");
  REQUIRE(stop.ok());
  REQUIRE(stop->events.size() == 2);
  CHECK(stop->events[1].result == "Error");
  CHECK(stop->events[1].host == "h1");
  CHECK(stop->finish_time == t + absl::Seconds(1));
  CHECK(!s.GetAction("a", "req-1")->finish_time.has_value());
  absl::Status missing = s.GetAction("a", "req-9").status();
  CHECK(missing.message() == "Action for request_id req-9 on instance a not found");

  // Deleting the instance drops its faults; its actions stay.
  REQUIRE(s.DeleteInstance("a").ok());
  CHECK(absl::IsNotFound(s.DeleteInstance("a")));
  CHECK(s.ListFaults("a", 10)->empty());
  CHECK(s.ListActions("a")->size() == 2);
}

TEST_CASE("store: server groups, members and their quota") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  ServerGroup g{.uuid = "g1", .name = "web", .project_id = "p1", .user_id = "u1"};
  g.policy = "anti-affinity";
  REQUIRE(s.CreateServerGroup(g, 2).ok());
  clock.Advance(absl::Seconds(1));
  g.uuid = "g2";
  REQUIRE(s.CreateServerGroup(g, 2).ok());
  g.uuid = "g3";
  absl::Status over = s.CreateServerGroup(g, 2);
  CHECK(absl::IsResourceExhausted(over));
  CHECK(over.message() ==
        "Quota exceeded, too many server groups. (Requested 1, but already "
        "used 2 of 2 server_groups)");
  g.project_id = "p2";
  REQUIRE(s.CreateServerGroup(g, 2).ok());
  Instance a = MakeInstance("b", "p1");
  a.server_group = "g1";
  Instance b = MakeInstance("a", "p1");
  b.server_group = "g1";
  REQUIRE(s.CreateInstances({a, b}, Quota(2, 2, 1024), "r").ok());
  Instance orphan = MakeInstance("c", "p1");
  orphan.server_group = "nope";
  CHECK(absl::IsFailedPrecondition(s.CreateInstances({orphan}, Quota(1, 1, 512), "r")));
  auto got = s.GetServerGroup("g1");
  REQUIRE(got.ok());
  CHECK(got->members == std::vector<std::string>{"a", "b"});
  CHECK(got->policy == "anti-affinity");
  auto mine = s.ListServerGroups("p1");
  REQUIRE(mine->size() == 2);
  CHECK(mine->at(0).uuid == "g1");
  CHECK(mine->at(0).members.size() == 2);
  CHECK(s.ListServerGroups("")->size() == 3);
  CHECK(s.GetQuotaUsage("p1", "u1")->server_groups == 2);
  REQUIRE(s.DeleteInstance("a").ok());
  CHECK(s.GetServerGroup("g1")->members == std::vector<std::string>{"b"});
  REQUIRE(s.DeleteServerGroup("g1").ok());
  absl::Status gone = s.GetServerGroup("g1").status();
  CHECK(absl::IsNotFound(gone));
  CHECK(gone.message() == "Instance group g1 could not be found.");
  CHECK(absl::IsNotFound(s.DeleteServerGroup("g1")));
}

TEST_CASE("store: quota limits override the defaults per project") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  QuotaLimits defaults;
  defaults.cores = 7;
  REQUIRE(s.SetQuotaLimit("p1", "instances", 3).ok());
  REQUIRE(s.SetQuotaLimit("p1", "instances", 4).ok());
  REQUIRE(s.SetQuotaLimit("p1", "ram", -1).ok());
  QuotaLimits l = *s.GetQuotaLimits("p1", defaults);
  CHECK(l.instances == 4);
  CHECK(l.ram == -1);
  CHECK(l.cores == 7);
  CHECK(s.GetQuotaLimits("p2", defaults)->instances == 10);
  REQUIRE(s.DeleteQuotas("p1").ok());
  CHECK(s.GetQuotaLimits("p1", defaults)->instances == 10);
}

TEST_CASE("store: the quota class default comes between the defaults and a project's own") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  CHECK(s.GetQuotaClass("default")->empty());
  REQUIRE(s.SetQuotaClassLimit("default", "instances", 30).ok());
  REQUIRE(s.SetQuotaClassLimit("default", "cores", 40).ok());
  REQUIRE(s.SetQuotaClassLimit("default", "cores", 50).ok());
  REQUIRE(s.SetQuotaClassLimit("default", "fixed_ips", 7).ok());
  REQUIRE(s.SetQuotaClassLimit("gold", "ram", 1).ok());
  CHECK(*s.GetQuotaClass("default") ==
        std::map<std::string, int64_t>{{"cores", 50}, {"fixed_ips", 7}, {"instances", 30}});
  CHECK(*s.GetQuotaClass("gold") == std::map<std::string, int64_t>{{"ram", 1}});
  REQUIRE(s.SetQuotaLimit("p1", "instances", 3).ok());
  QuotaLimits l = *s.GetQuotaLimits("p1", QuotaLimits{});
  CHECK(l.instances == 3);  // the project's own
  CHECK(l.cores == 50);     // the class's
  CHECK(l.ram == 51200);    // the default (the class gold is not used)
  CHECK(s.GetQuotaLimits("p2", QuotaLimits{})->instances == 30);
}

TEST_CASE("store: services register on the first heartbeat and refresh after") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  ServiceRecord hb{.uuid = "s1", .host = "h1", .binary = "gureum-compute"};
  hb.availability_zone = "az1";
  hb.hypervisor_type = "QEMU";
  hb.running_vms = 2;
  auto first = s.RecordHeartbeat(hb);
  REQUIRE(first.ok());
  CHECK(first->report_count == 1);
  CHECK(first->enabled);
  CHECK(first->last_seen_at.has_value());
  hb.uuid = "other";  // the (host, binary) pair is the key; the first uuid stays
  hb.hypervisor_type.clear();
  hb.running_vms = 0;
  auto again = s.RecordHeartbeat(hb);
  REQUIRE(again.ok());
  CHECK(again->uuid == "s1");
  CHECK(again->report_count == 2);
  CHECK(again->hypervisor_type == "QEMU");
  CHECK(again->running_vms == 0);
  REQUIRE(s.RecordHeartbeat({.uuid = "s2", .host = "h2", .binary = "gureum-compute"}).ok());
  auto all = s.ListServices();
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).host == "h1");  // by id
  CHECK(s.GetService(std::to_string(all->at(1).id))->uuid == "s2");
  CHECK(s.GetService("s1")->host == "h1");
  absl::Status missing = s.GetService("zz").status();
  CHECK(absl::IsNotFound(missing));
  CHECK(missing.message() == "Service zz could not be found.");

  auto off = s.UpdateService("s1", false, std::string("maintenance"), std::nullopt);
  REQUIRE(off.ok());
  CHECK(!off->enabled);
  CHECK(off->disabled_reason == "maintenance");
  off = s.UpdateService("s1", std::nullopt, std::nullopt, true);
  CHECK(off->disabled_reason == "maintenance");
  CHECK(off->forced_down);
  auto on = s.UpdateService("s1", true, std::string("ignored"), false);
  CHECK(on->enabled);
  CHECK(on->disabled_reason.empty());
  CHECK(!on->forced_down);
  CHECK(absl::IsNotFound(s.UpdateService("zz", true, std::nullopt, std::nullopt).status()));
  REQUIRE(s.DeleteService("s2").ok());
  CHECK(absl::IsNotFound(s.DeleteService("s2")));
  CHECK(s.ListServices()->size() == 1);
}

TEST_CASE("store: aggregates, their hosts and metadata") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  auto a = s.CreateAggregate({.uuid = "u1", .name = "rack1", .availability_zone = "az1"});
  REQUIRE(a.ok());
  CHECK(a->name == "rack1");
  absl::Status dup = s.CreateAggregate({.uuid = "u2", .name = "rack1"}).status();
  CHECK(absl::IsAlreadyExists(dup));
  CHECK(dup.message() == "Aggregate rack1 already exists.");
  auto b = s.CreateAggregate({.uuid = "u3", .name = "rack2"});
  REQUIRE(b.ok());
  CHECK(b->id != a->id);
  CHECK(absl::IsAlreadyExists(s.UpdateAggregate(b->id, "rack1", std::nullopt).status()));
  auto renamed = s.UpdateAggregate(a->id, "rack9", std::string());
  REQUIRE(renamed.ok());
  CHECK(renamed->name == "rack9");
  CHECK(renamed->availability_zone.empty());
  CHECK(s.UpdateAggregate(a->id, std::nullopt, "az2")->name == "rack9");
  CHECK(absl::IsNotFound(s.UpdateAggregate(999, "x", std::nullopt).status()));

  REQUIRE(s.AddAggregateHost(a->id, "h2").ok());
  REQUIRE(s.AddAggregateHost(a->id, "h1").ok());
  CHECK(absl::IsAlreadyExists(s.AddAggregateHost(a->id, "h1")));
  CHECK(absl::IsNotFound(s.AddAggregateHost(999, "h1")));
  CHECK(s.GetAggregate(a->id)->hosts == std::vector<std::string>{"h1", "h2"});
  absl::Status busy = s.DeleteAggregate(a->id);
  CHECK(absl::IsInvalidArgument(busy));
  REQUIRE(s.RemoveAggregateHost(a->id, "h1").ok());
  absl::Status no_host = s.RemoveAggregateHost(a->id, "h1");
  CHECK(absl::IsNotFound(no_host));
  CHECK(no_host.message() == absl::StrCat("Aggregate ", a->id, " has no host h1."));

  REQUIRE(s.SetAggregateMetadata(a->id, {{"ssd", "true"}, {"gpu", "1"}}).ok());
  REQUIRE(s.SetAggregateMetadata(a->id, {{"gpu", std::nullopt}}).ok());
  CHECK(s.GetAggregate(a->id)->metadata == StringMap{{"ssd", "true"}});
  auto all = s.ListAggregates();
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).id == a->id);
  REQUIRE(s.RemoveAggregateHost(a->id, "h2").ok());
  REQUIRE(s.DeleteAggregate(a->id).ok());
  absl::Status gone = s.GetAggregate(a->id).status();
  CHECK(absl::IsNotFound(gone));
  CHECK(gone.message() == absl::StrCat("Aggregate ", a->id, " could not be found."));
}

TEST_CASE("store: migrations, newest first") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  REQUIRE(s.CreateMigration({.uuid = "m1",
                             .instance_uuid = "a",
                             .migration_type = "resize",
                             .status = "pre-migrating",
                             .source_host = "h1",
                             .old_flavor_id = "1",
                             .new_flavor_id = "2"})
              .ok());
  clock.Advance(absl::Seconds(1));
  REQUIRE(s.CreateMigration(
               {.uuid = "m2", .instance_uuid = "b", .migration_type = "migration", .status = "x"})
              .ok());
  CHECK(absl::IsAlreadyExists(s.CreateMigration(
      {.uuid = "m1", .instance_uuid = "a", .migration_type = "resize", .status = "x"})));
  REQUIRE(s.SetMigrationStatus("m1", "finished").ok());
  REQUIRE(s.SetMigrationStatus("nope", "finished").ok());
  auto mine = s.ListMigrations("a");
  REQUIRE(mine->size() == 1);
  CHECK(mine->at(0).status == "finished");
  CHECK(mine->at(0).source_host == "h1");
  CHECK(mine->at(0).dest_host.empty());
  CHECK(mine->at(0).new_flavor_id == "2");
  auto all = s.ListMigrations("");
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).uuid == "m2");
  // Nova's integer ids, in creation order.
  CHECK(all->at(1).id > 0);
  CHECK(all->at(0).id > all->at(1).id);
}

}  // namespace
}  // namespace gureum::compute::testing
