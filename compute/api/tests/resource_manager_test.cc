// The rules of compute-api's other resources on fakes: flavors and their access,
// keypairs, server groups, quotas, services and host states, hypervisors, aggregates and
// availability zones.
#include <catch2/catch.hpp>

#include "common/status/status.h"
#include "compute/api/keypair_crypto.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

FlavorRecord Flavor(const std::string& id, const std::string& name) {
  return {.id = id, .name = name, .vcpus = 1, .ram_mb = 512, .disk_gb = 1};
}

TEST_CASE("flavors: admins manage them, with Nova's validation") {
  World w;
  CHECK(absl::IsPermissionDenied(
      w.managers.flavors().CreateFlavor(Member(), Flavor("1", "tiny")).status()));
  auto made = w.managers.flavors().CreateFlavor(Admin(), Flavor("auto", "tiny"));
  REQUIRE(made.ok());
  CHECK(IsUuid(made->id));
  CHECK(w.store.GetFlavor(made->id)->name == "tiny");
  absl::Status bad = w.managers.flavors().CreateFlavor(Admin(), Flavor("2", " padded")).status();
  CHECK(absl::IsInvalidArgument(bad));
  CHECK(bad.message() ==
        "An invalid 'name' value was provided. The name must be: printable characters. Can not "
        "start or end with whitespace.");
  FlavorRecord no_cpu = Flavor("3", "nocpu");
  no_cpu.vcpus = 0;
  CHECK(w.managers.flavors().CreateFlavor(Admin(), no_cpu).status().message() ==
        "Invalid input for field/attribute vcpus: must be >= 1");
  CHECK(absl::IsInvalidArgument(
      w.managers.flavors().CreateFlavor(Admin(), Flavor("bad/id", "x")).status()));
  CHECK(absl::IsAlreadyExists(
      w.managers.flavors().CreateFlavor(Admin(), Flavor("4", "tiny")).status()));
  CHECK(absl::IsPermissionDenied(w.managers.flavors().DeleteFlavor(Member(), made->id)));
  auto specs =
      w.managers.flavors().SetExtraSpecs(Admin(), made->id, {{"hw:cpu_policy", "dedicated"}});
  REQUIRE(specs.ok());
  CHECK(specs->at("hw:cpu_policy") == "dedicated");
  CHECK(absl::IsInvalidArgument(
      w.managers.flavors().SetExtraSpecs(Admin(), made->id, {{"", "x"}}).status()));
  CHECK(w.managers.flavors().UpdateFlavor(Admin(), made->id, "small and cheap")->description ==
        "small and cheap");
  REQUIRE(w.managers.flavors().DeleteFlavor(Admin(), made->id).ok());
  CHECK(absl::IsNotFound(w.managers.flavors().GetFlavor(Admin(), made->id).status()));
}

TEST_CASE("flavors: a private flavor is seen by admins and the projects given access") {
  World w;
  REQUIRE(w.store.CreateFlavor(Flavor("pub", "public")).ok());
  FlavorRecord priv = Flavor("priv", "private");
  priv.is_public = false;
  REQUIRE(w.store.CreateFlavor(priv).ok());
  CHECK(w.managers.flavors().ListFlavors(Member(), {})->size() == 1);
  CHECK(w.managers.flavors().ListFlavors(Admin(), {})->size() == 2);
  absl::Status hidden = w.managers.flavors().GetFlavor(Member(), "priv").status();
  CHECK(absl::IsNotFound(hidden));
  CHECK(hidden.message() == "Flavor priv could not be found.");
  CHECK(absl::IsPermissionDenied(w.managers.flavors().AddFlavorAccess(Member(), "priv", "p1")));
  // Nova's is_public=true (the list's default): public flavors and, for admins too, only
  // the private ones their project was given.
  CHECK(w.managers.flavors().ListFlavors(Admin(), {.is_public = true})->size() == 1);
  CHECK(w.managers.flavors().ListFlavors(Admin(), {.is_public = false})->size() == 1);
  REQUIRE(w.managers.flavors().AddFlavorAccess(Admin(), "priv", "p1").ok());
  CHECK(w.managers.flavors().GetFlavor(Member(), "priv").ok());
  CHECK(w.managers.flavors().ListFlavors(Member(), {.is_public = true})->size() == 2);
  CHECK(w.managers.flavors().ListFlavors(Member("p2"), {.is_public = true})->size() == 1);
  CHECK(absl::IsNotFound(w.managers.flavors().GetFlavor(Member("p2"), "priv").status()));
  CHECK(*w.managers.flavors().FlavorAccess(Admin(), "priv") == std::vector<std::string>{"p1"});
  absl::Status on_public = w.managers.flavors().AddFlavorAccess(Admin(), "pub", "p1");
  CHECK(HttpStatusCode(on_public) == 409);
  CHECK(on_public.message() == "Can not add access to a public flavor.");
  CHECK(w.managers.flavors().FlavorAccess(Admin(), "pub").status().message() ==
        "Access list not available for public flavors.");
  REQUIRE(w.managers.flavors().RemoveFlavorAccess(Admin(), "priv", "p1").ok());
  CHECK(absl::IsNotFound(w.managers.flavors().GetFlavor(Member(), "priv").status()));
}

TEST_CASE("keypairs: imported or generated, per user, within the quota") {
  World w;
  auto generated = w.managers.keypairs().CreateKeypair(Member(), "gen", "", "");
  REQUIRE(generated.ok());
  CHECK(!generated->private_key.empty());
  CHECK(generated->keypair.type == "ssh");
  CHECK(generated->keypair.user_id == "u1");
  CHECK(generated->keypair.fingerprint == *PublicKeyFingerprint(generated->keypair.public_key));
  auto imported =
      w.managers.keypairs().CreateKeypair(Member(), "imp", generated->keypair.public_key, "ssh");
  REQUIRE(imported.ok());
  CHECK(imported->private_key.empty());
  CHECK(!w.managers.keypairs().CreateKeypair(Member(), "junk", "ssh-rsa not-a-key", "").ok());
  CHECK(w.managers.keypairs().CreateKeypair(Member(), "bad/name", "", "").status().message() ==
        "Keypair data is invalid: Keypair name contains unsafe characters");
  CHECK(absl::IsInvalidArgument(
      w.managers.keypairs().CreateKeypair(Member(), "t", "", "pgp").status()));
  CHECK(w.managers.keypairs().ListKeypairs(Member())->size() == 2);
  // Another user's keypairs: not for a member, an admin may name the user.
  CHECK(w.managers.keypairs().ListKeypairs(Member("p1", "u2"))->empty());
  CHECK(absl::IsPermissionDenied(
      w.managers.keypairs().ListKeypairs(Member("p1", "u2"), "u1").status()));
  CHECK(w.managers.keypairs().GetKeypair(Admin(), "gen", "u1").ok());
  // The quota of key pairs is per user, checked by the store.
  REQUIRE(w.store.SetQuotaLimit("p1", "key_pairs", 2).ok());
  absl::Status over = w.managers.keypairs().CreateKeypair(Member(), "third", "", "").status();
  CHECK(HttpStatusCode(over) == 403);
  CHECK(over.message() ==
        "Quota exceeded for key_pairs: Requested 1, but already used 2 of 2 key_pairs");
  REQUIRE(w.managers.keypairs().DeleteKeypair(Member(), "gen").ok());
  CHECK(absl::IsNotFound(w.managers.keypairs().GetKeypair(Member(), "gen").status()));
}

TEST_CASE("server groups: policies, scoping and the quota") {
  World w;
  CHECK(absl::IsInvalidArgument(
      w.managers.groups().CreateServerGroup(Member(), "g", "spread", 0).status()));
  CHECK(absl::IsInvalidArgument(
      w.managers.groups().CreateServerGroup(Member(), "g", "affinity", 2).status()));
  auto g = w.managers.groups().CreateServerGroup(Member(), "web", "anti-affinity", 2);
  REQUIRE(g.ok());
  CHECK(g->project_id == "p1");
  CHECK(g->max_server_per_host == 2);
  CHECK(absl::IsNotFound(w.managers.groups().GetServerGroup(Member("p2"), g->uuid).status()));
  CHECK(absl::IsNotFound(w.managers.groups().DeleteServerGroup(Member("p2"), g->uuid)));
  CHECK(w.managers.groups().ListServerGroups(Member("p2"), false)->empty());
  CHECK(absl::IsPermissionDenied(w.managers.groups().ListServerGroups(Member(), true).status()));
  CHECK(w.managers.groups().ListServerGroups(Admin(), true)->size() == 1);
  REQUIRE(w.store.SetQuotaLimit("p1", "server_groups", 1).ok());
  absl::Status over = w.managers.groups().CreateServerGroup(Member(), "db", "affinity", 0).status();
  CHECK(HttpStatusCode(over) == 403);
  REQUIRE(w.managers.groups().DeleteServerGroup(Member(), g->uuid).ok());
  CHECK(w.managers.groups().ListServerGroups(Member(), false)->empty());
}

TEST_CASE("quotas: admins set them, readers of the project see them") {
  World w;
  CHECK(absl::IsPermissionDenied(
      w.managers.quotas().UpdateQuotas(Member(), "p1", {{"instances", 5}}).status()));
  CHECK(w.managers.quotas().UpdateQuotas(Admin(), "p1", {{"bogus", 5}}).status().message() ==
        "Bad key(s) bogus in quota_set");
  CHECK(w.managers.quotas().UpdateQuotas(Admin(), "p1", {{"cores", -2}}).status().message() ==
        "Quota limit -2 for cores must be -1 or greater.");
  auto set = w.managers.quotas().UpdateQuotas(Admin(), "p1", {{"instances", 5}, {"ram", -1}});
  REQUIRE(set.ok());
  CHECK(set->instances == 5);
  CHECK(set->ram == -1);
  CHECK(w.managers.quotas().GetQuotas(Member(), "p1")->instances == 5);
  CHECK(absl::IsPermissionDenied(w.managers.quotas().GetQuotas(Member(), "p2").status()));
  CHECK(w.managers.quotas().GetQuotaUsage(Member(), "p1")->instances == 0);
  REQUIRE(w.managers.quotas().ResetQuotas(Admin(), "p1").ok());
  CHECK(w.managers.quotas().GetQuotas(Member(), "p1")->instances == QuotaLimits{}.instances);
}

TEST_CASE("hosts: up from heartbeats, forced down, zones from aggregates") {
  World w;
  w.AddHost("h1");
  w.AddHost("h2");
  REQUIRE(
      w.store.RecordHeartbeat({.uuid = "cond", .host = "api", .binary = "gureum-conductor"}).ok());
  auto agg = w.managers.hosts().CreateAggregate(Admin(), "rack1", "az1");
  REQUIRE(agg.ok());
  CHECK(agg->metadata.at("availability_zone") == "az1");
  CHECK(w.managers.hosts().AddAggregateHost(Admin(), agg->id, "nowhere").status().message() ==
        "Compute host nowhere could not be found.");
  REQUIRE(w.managers.hosts().AddAggregateHost(Admin(), agg->id, "h1").ok());

  auto states = w.managers.hosts().ListHostStates();
  REQUIRE(states.ok());
  REQUIRE(states->size() == 3);
  CHECK(states->at(0).up);
  CHECK(states->at(0).availability_zone == "az1");
  CHECK(states->at(0).aggregates.size() == 1);
  CHECK(states->at(1).availability_zone == "nova");
  CHECK(states->at(2).availability_zone == "internal");

  w.clock.Advance(absl::Seconds(30));
  w.AddHost("h2");  // h2 beats again, h1 stays silent
  w.clock.Advance(absl::Seconds(31));
  states = w.managers.hosts().ListHostStates();
  CHECK_FALSE(states->at(0).up);
  CHECK(states->at(1).up);

  CHECK(absl::IsPermissionDenied(w.managers.hosts().ListServices(Member()).status()));
  auto down = w.managers.hosts().UpdateService(Admin(), "svc-h2", std::nullopt, std::nullopt, true);
  REQUIRE(down.ok());
  CHECK(down->service.forced_down);
  CHECK_FALSE(down->up);
  auto disabled =
      w.managers.hosts().UpdateService(Admin(), "svc-h2", false, std::string("maintenance"), false);
  CHECK(disabled->up);
  CHECK(disabled->service.disabled_reason == "maintenance");
  CHECK(absl::IsInvalidArgument(
      w.managers.hosts()
          .UpdateService(Admin(), "svc-h2", false, std::string(256, 'x'), std::nullopt)
          .status()));

  CHECK(absl::IsPermissionDenied(
      w.managers.hosts().ListAvailabilityZones(Member(), /*detail=*/true).status()));
  CHECK(w.managers.hosts().ListAvailabilityZones(Admin(), /*detail=*/true).ok());
  // The scheduler's view: admins and the service role.
  CHECK(absl::IsPermissionDenied(w.managers.hosts().ListHostStatesForScheduler(Member()).status()));
  RequestContext scheduler = Member("service", "scheduler");
  scheduler.caller.roles = {"service"};
  CHECK(w.managers.hosts().ListHostStatesForScheduler(scheduler)->size() == 3);

  auto zones = w.managers.hosts().ListAvailabilityZones(Member());
  REQUIRE(zones.ok());
  REQUIRE(zones->size() == 3);
  CHECK(zones->at(0).name == "nova");
  CHECK_FALSE(zones->at(0).available);  // h2 is up but disabled
  CHECK(zones->at(1).name == "az1");
  CHECK_FALSE(zones->at(1).available);  // h1 is silent
}

TEST_CASE("hosts: a service hosting servers cannot be deleted, aggregates keep their hosts") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  w.AddHost("h2");
  Instance i = w.ActiveServer("h1");
  absl::Status busy = w.managers.hosts().DeleteService(Admin(), "svc-h1");
  CHECK(absl::IsFailedPrecondition(busy));
  CHECK(busy.message() ==
        "Unable to delete compute service that is hosting instances. Migrate or delete the "
        "instances first.");
  REQUIRE(w.managers.hosts().DeleteService(Admin(), "svc-h2").ok());
  CHECK(w.managers.hosts().ListServices(Admin())->size() == 1);

  auto agg = w.managers.hosts().CreateAggregate(Admin(), "rack1", "");
  REQUIRE(agg.ok());
  REQUIRE(w.managers.hosts().AddAggregateHost(Admin(), agg->id, "h1").ok());
  CHECK(absl::IsInvalidArgument(w.managers.hosts().DeleteAggregate(Admin(), agg->id)));
  auto zoned =
      w.managers.hosts().UpdateAggregate(Admin(), agg->id, std::nullopt, std::string("az9"));
  REQUIRE(zoned.ok());
  CHECK(zoned->availability_zone == "az9");
  CHECK(zoned->metadata.at("availability_zone") == "az9");
  auto meta =
      w.managers.hosts().SetAggregateMetadata(Admin(), agg->id, {{"availability_zone", "az8"}});
  CHECK(meta->availability_zone == "az8");
  REQUIRE(w.managers.hosts().RemoveAggregateHost(Admin(), agg->id, "h1").ok());
  REQUIRE(w.managers.hosts().DeleteAggregate(Admin(), agg->id).ok());
  CHECK(absl::IsNotFound(w.managers.hosts().GetAggregate(Admin(), agg->id).status()));
  CHECK(absl::IsPermissionDenied(w.managers.hosts().ListAggregates(Member()).status()));
  (void)i;
}

TEST_CASE("hypervisors: compute hosts with their usage from Placement") {
  World w;
  w.AddHost("h1");
  w.AddHost("h2");
  ProviderUsage p{.uuid = "rp1", .name = "h1"};
  p.inventories["VCPU"] = {.total = 8};
  p.usages["VCPU"] = 3;
  w.placement.SetProviders({p});
  auto hvs = w.managers.hosts().ListHypervisors(Admin());
  REQUIRE(hvs.ok());
  REQUIRE(hvs->size() == 2);
  REQUIRE(hvs->at(0).provider.has_value());
  CHECK(hvs->at(0).provider->usages.at("VCPU") == 3);
  CHECK(hvs->at(0).host.service.host == "h1");
  CHECK_FALSE(hvs->at(1).provider.has_value());
  CHECK(absl::IsPermissionDenied(w.managers.hosts().ListHypervisors(Member()).status()));
}

}  // namespace
}  // namespace gureum::compute::testing
