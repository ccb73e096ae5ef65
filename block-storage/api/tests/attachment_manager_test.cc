// Attachments and snapshots through the managers on fakes.
#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "block-storage/api/tests/manager_fixture.h"

namespace gureum::block_storage::testing {
namespace {

constexpr char kServer[] = "11111111-2222-4333-8444-555555555555";
constexpr char kServer2[] = "11111111-2222-4333-8444-666666666666";

TEST_CASE("attach: reserve, export to the connector, complete, detach") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  AttachmentManager& am = w.managers.attachments();
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto att = am.Create(Member(), v.id, kServer, &conn, "rw");
  REQUIRE(att.ok());
  CHECK(att->status == "attaching");
  CHECK(att->connection_info.protocol == "nbd");
  CHECK(att->connection_info.port == 10809);
  CHECK(att->connector_host == "compute1");
  CHECK(w.Reload(v.id).status == "attaching");
  // The volume is taken: another attach, a delete and a plain extend are 400.
  CHECK(absl::IsInvalidArgument(am.Create(Member(), v.id, kServer2, nullptr, "rw").status()));
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Member(), v.id, false)));
  REQUIRE(am.Complete(Member(), att->id, "/dev/vdb").ok());
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(absl::IsInvalidArgument(am.Create(Member(), v.id, kServer2, nullptr, "rw").status()));
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Member(), v.id, false)));
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Extend(Member(), v.id, 2, false).status()));
  // Detach: the export ends on the agent, the volume is available again.
  REQUIRE(am.Delete(Member(), att->id).ok());
  auto unexports = w.Pending("node1");
  REQUIRE(unexports.size() == 1);
  CHECK(unexports[0].unexport_volume().attachment_id() == att->id);
  CHECK(w.Reload(v.id).status == "available");
  CHECK(absl::IsNotFound(am.Get(Member(), att->id).status()));
}

TEST_CASE("attach of an in-use volume is extended in place from 3.42, and compute is told") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto att = w.managers.attachments().Create(Member(), v.id, kServer, &conn, "rw");
  REQUIRE(att.ok());
  REQUIRE(w.managers.attachments().Complete(Member(), att->id, "/dev/vdb").ok());
  REQUIRE(w.managers.volumes().Extend(Member(), v.id, 3, true).ok());
  CHECK(w.compute.events.empty());  // not before the agent grew it
  w.Deliver();
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(w.Reload(v.id).size_gb == 3);
  // Nova's volume-extended for the server it is attached to, once.
  CHECK(w.compute.events == std::vector<std::string>{std::string(kServer) + " " + v.id});
  // compute down: the volume still grew, the failure is only logged.
  w.compute.fail = absl::UnavailableError("compute is down");
  REQUIRE(w.managers.volumes().Extend(Member(), v.id, 4, true).ok());
  w.Deliver();
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(w.Reload(v.id).size_gb == 4);
  CHECK(w.compute.events.size() == 1);
}

TEST_CASE("extend of an available volume tells compute nothing") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  REQUIRE(w.managers.volumes().Extend(Member(), v.id, 2, false).ok());
  w.Deliver();
  CHECK(w.Reload(v.id).size_gb == 2);
  CHECK(w.compute.events.empty());
}

TEST_CASE("the compute agent (service user) finishes an attach the user reserved") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  AttachmentManager& am = w.managers.attachments();
  auto att = am.Create(Member(), v.id, kServer, nullptr, "rw");
  REQUIRE(att.ok());
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  // The service user is no admin of p1, yet may finish the attach; a member of p2 may not.
  CHECK(absl::IsNotFound(am.Update(Member("p2"), att->id, conn).status()));
  auto exported = am.Update(Service(), att->id, conn);
  INFO(exported.status().ToString());
  REQUIRE(exported.ok());
  CHECK(exported->connection_info.protocol == "nbd");
  REQUIRE(am.Complete(Service(), att->id, "/dev/vdb").ok());
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(w.managers.volumes().Get(Service(), v.id).ok());
  // The service role lists nothing of other projects' volumes as its own; it may delete
  // one (compute, for a deleted server's delete_on_termination volumes), never while attached.
  CHECK(w.managers.volumes().List(Service(), {}, false)->empty());
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Service(), v.id, false)));
  REQUIRE(am.Delete(Service(), att->id).ok());
  CHECK(w.Reload(v.id).status == "available");
}

TEST_CASE("multiattach volumes take several attachments") {
  World w;
  w.AddBackend("node1");
  VolumeCreate c;
  c.size_gb = 1;
  c.multiattach = true;
  auto v = w.managers.volumes().Create(Member(), c);
  REQUIRE(v.ok());
  w.Deliver();
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto a1 = w.managers.attachments().Create(Member(), v->id, kServer, &conn, "rw");
  REQUIRE(a1.ok());
  REQUIRE(w.managers.attachments().Complete(Member(), a1->id, "").ok());
  auto a2 = w.managers.attachments().Create(Member(), v->id, kServer2, &conn, "rw");
  REQUIRE(a2.ok());
  REQUIRE(w.managers.attachments().Delete(Member(), a1->id).ok());
  CHECK(w.Reload(v->id).status != "available");  // a2 remains
  REQUIRE(w.managers.attachments().Delete(Member(), a2->id).ok());
  CHECK(w.Reload(v->id).status == "available");
}

TEST_CASE("an export the agent fails or never answers ends the wait with an error") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  w.FailAgent("node1", "no free port in the export range");
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto failed = w.managers.attachments().Create(Member(), v.id, kServer, &conn, "rw");
  CHECK_FALSE(failed.ok());
  CHECK(absl::StrContains(failed.status().message(), "no free port"));
  auto atts = w.managers.attachments().List(Member(), v.id, "", false);
  REQUIRE(atts->size() == 1);
  CHECK((*atts)[0].status == "error_attaching");
  // It can be deleted, which frees the volume.
  REQUIRE(w.managers.attachments().Delete(Member(), (*atts)[0].id).ok());
  CHECK(w.Reload(v.id).status == "available");
  // An agent that is gone: the wait ends at export_timeout.
  w.FailAgent("node1", "");
  w.SilenceAgent("node1");
  auto timed_out = w.managers.attachments().Create(Member(), v.id, kServer, &conn, "rw");
  CHECK(absl::IsDeadlineExceeded(timed_out.status()));
  CHECK(w.managers.attachments().List(Member(), v.id, "", false)->at(0).status ==
        "error_attaching");
}

TEST_CASE("bad attachment input is 400, other projects' attachments are 404") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  AttachmentManager& am = w.managers.attachments();
  CHECK(absl::IsInvalidArgument(am.Create(Member(), v.id, "not-a-uuid", nullptr, "rw").status()));
  CHECK(absl::IsInvalidArgument(am.Create(Member(), v.id, kServer, nullptr, "rx").status()));
  Connector no_ip{.host = "compute1", .ip = ""};
  CHECK(absl::IsInvalidArgument(am.Create(Member(), v.id, kServer, &no_ip, "rw").status()));
  CHECK(w.Reload(v.id).status == "available");
  auto att = am.Create(Member(), v.id, kServer, nullptr, "rw");
  REQUIRE(att.ok());
  CHECK(att->status == "reserved");
  CHECK(absl::IsNotFound(am.Get(Member("p2"), att->id).status()));
  CHECK(absl::IsNotFound(am.Delete(Member("p2"), att->id)));
  Connector conn{.host = "evil", .ip = "198.51.100.1"};
  CHECK(absl::IsNotFound(am.Update(Member("p2"), att->id, conn).status()));
  CHECK(am.List(Member("p2"), "", "", true)->empty());
  // Completing an attachment with no export is refused.
  CHECK(absl::IsInvalidArgument(am.Complete(Member(), att->id, "")));
}

TEST_CASE("snapshots: of an available volume, of an in-use one only with force") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member(), 2);
  SnapshotManager& sm = w.managers.snapshots();
  auto s = sm.Create(Member(), {.volume_id = v.id, .name = "snap"});
  REQUIRE(s.ok());
  CHECK(s->status == "creating");
  CHECK(s->size_gb == 2);
  w.Deliver();
  CHECK(sm.Get(Member(), s->id)->status == "available");
  // The volume has a snapshot: it cannot be deleted.
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Member(), v.id, false)));
  // A new volume from it lives on the same backend and is at least as big.
  VolumeCreate from;
  from.snapshot_id = s->id;
  auto v2 = w.managers.volumes().Create(Member(), from);
  REQUIRE(v2.ok());
  CHECK(v2->size_gb == 2);
  CHECK(v2->backend_key == v.backend_key);
  auto cast = w.Pending("node1");
  REQUIRE(cast.size() == 1);
  CHECK(cast[0].create_volume().source().snapshot_id() == s->id);
  from.size_gb = 1;
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Create(Member(), from).status()));
  w.Deliver();

  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto att = w.managers.attachments().Create(Member(), v.id, kServer, &conn, "rw");
  REQUIRE(w.managers.attachments().Complete(Member(), att->id, "").ok());
  CHECK(absl::IsInvalidArgument(sm.Create(Member(), {.volume_id = v.id}).status()));
  auto forced = sm.Create(Member(), {.volume_id = v.id, .force = true});
  REQUIRE(forced.ok());
  auto forced_cast = w.Pending("node1");
  REQUIRE(forced_cast.size() == 1);
  CHECK(forced_cast[0].create_snapshot().in_use());
  w.Deliver();

  CHECK(absl::IsNotFound(sm.Get(Member("p2"), s->id).status()));
  CHECK(absl::IsNotFound(sm.Delete(Member("p2"), s->id)));
  REQUIRE(sm.Delete(Member(), s->id).ok());
  w.Deliver();
  CHECK(absl::IsNotFound(sm.Get(Member(), s->id).status()));
}

TEST_CASE("snapshot quota counts snapshots and their gigabytes") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member(), 3);
  REQUIRE(w.managers.quotas().Update(Admin(), "p1", {{"snapshots", 1}, {"gigabytes", 7}}).ok());
  REQUIRE(w.managers.snapshots().Create(Member(), {.volume_id = v.id}).ok());
  absl::Status s = w.managers.snapshots().Create(Member(), {.volume_id = v.id}).status();
  CHECK(absl::IsResourceExhausted(s));
  auto report = w.managers.quotas().Show(Member(), "p1");
  REQUIRE(report.ok());
  CHECK(report->in_use["snapshots"] == 1);
  CHECK(report->in_use["gigabytes"] == 6);
  CHECK(report->in_use["volumes"] == 1);
}

TEST_CASE("types: admins manage, private types need access, the default stays") {
  World w;
  TypeManager& tm = w.managers.types();
  CHECK(absl::IsPermissionDenied(tm.Create(Member(), {.name = "x"}).status()));
  auto priv = tm.Create(Admin(), {.name = "gold", .is_public = false});
  REQUIRE(priv.ok());
  CHECK(absl::IsAlreadyExists(tm.Create(Admin(), {.name = "gold"}).status()));
  CHECK(absl::IsNotFound(tm.Get(Member(), "gold").status()));
  REQUIRE(tm.AddAccess(Admin(), priv->id, "p1").ok());
  CHECK(tm.Get(Member(), "gold").ok());
  CHECK(absl::IsNotFound(tm.Get(Member("p2"), "gold").status()));
  auto def = tm.Default();
  REQUIRE(def.ok());
  CHECK(absl::IsInvalidArgument(tm.Delete(Admin(), def->id)));
  REQUIRE(tm.SetExtraSpecs(Admin(), priv->id, {{"volume_backend_name", "file"}}).ok());
  CHECK(tm.Get(Admin(), priv->id)->extra_specs.at("volume_backend_name") == "file");
  REQUIRE(tm.Delete(Admin(), priv->id).ok());
}

TEST_CASE("services and zones come from the agents' reports") {
  World w;
  w.AddBackend("node1");
  w.AddBackend("node2");
  w.clock.Advance(absl::Seconds(45));
  w.AddBackend("node2");  // node2 keeps reporting
  w.clock.Advance(absl::Seconds(30));
  auto services = w.managers.backends().ListServices(Admin());
  REQUIRE(services.ok());
  REQUIRE(services->size() == 2);
  std::map<std::string, bool> up;
  for (const Backend& b : *services) up[b.host] = w.managers.backends().IsUp(b);
  CHECK_FALSE(up["node1"]);
  CHECK(up["node2"]);
  CHECK(absl::IsPermissionDenied(w.managers.backends().ListServices(Member()).status()));
  REQUIRE(w.managers.backends().SetServiceDisabled(Admin(), "node2", true, "maintenance").ok());
  VolumeCreate c;
  c.size_gb = 1;
  auto v = w.managers.volumes().Create(Member(), c);
  REQUIRE(v.ok());
  CHECK(v->status == "error");  // node1 down, node2 disabled
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("quota class defaults: admins change what every project starts from") {
  World w;
  w.AddBackend("node1");
  QuotaManager& qm = w.managers.quotas();
  CHECK(
      absl::IsPermissionDenied(qm.UpdateDefaults(Member(), "default", {{"volumes", 1}}).status()));
  CHECK(absl::IsNotFound(qm.UpdateDefaults(Admin(), "gold", {{"volumes", 1}}).status()));
  CHECK(absl::IsInvalidArgument(qm.UpdateDefaults(Admin(), "default", {{"bogus", 1}}).status()));
  REQUIRE(qm.UpdateDefaults(Admin(), "default", {{"volumes", 1}}).ok());
  CHECK(qm.Defaults()->at("volumes") == 1);
  w.MakeVolume(Member());
  CHECK(absl::IsResourceExhausted(w.managers.volumes().Create(Member(), {.size_gb = 1}).status()));
  // A project's own limit still wins over the class's.
  REQUIRE(qm.Update(Admin(), "p1", {{"volumes", 3}}).ok());
  CHECK(w.managers.volumes().Create(Member(), {.size_gb = 1}).ok());
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("a detach whose unexport cannot be sent changes nothing") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto att = w.managers.attachments().Create(Member(), v.id, kServer, &conn, "rw");
  REQUIRE(att.ok());
  REQUIRE(w.managers.attachments().Complete(Member(), att->id, "/dev/vdb").ok());
  w.bus.FailNext(absl::UnavailableError("broker down"));
  CHECK(absl::IsUnavailable(w.managers.attachments().Delete(Member(), att->id)));
  CHECK(w.managers.attachments().Get(Member(), att->id).ok());
  CHECK(w.Reload(v.id).status == "in-use");
  REQUIRE(w.managers.attachments().Delete(Member(), att->id).ok());
  CHECK(w.Reload(v.id).status == "available");
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("cascade delete takes the volume's snapshots along, only when they are settled") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member(), 2);
  SnapshotManager& sm = w.managers.snapshots();
  auto s1 = sm.Create(Member(), {.volume_id = v.id, .name = "one"});
  REQUIRE(s1.ok());
  // Without cascade: 400, and nothing changes.
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Member(), v.id, false)));
  // A snapshot still being made: 400 with the reason, nothing changes.
  absl::Status busy = w.managers.volumes().Delete(Member(), v.id, false, true);
  CHECK(absl::IsInvalidArgument(busy));
  CHECK(busy.message().find("is creating") != std::string::npos);
  w.Deliver();
  CHECK(w.Reload(v.id).status == "available");
  auto s2 = sm.Create(Member(), {.volume_id = v.id, .name = "two"});
  REQUIRE(s2.ok());
  w.Deliver();
  // Another project: 404.
  CHECK(absl::IsNotFound(w.managers.volumes().Delete(Member("p2"), v.id, false, true)));
  REQUIRE(w.managers.volumes().Delete(Member(), v.id, false, true).ok());
  CHECK(w.Reload(v.id).status == "deleting");
  CHECK(w.store.GetSnapshot(s1->id)->status == "deleting");
  // No new snapshot of a deleting volume.
  CHECK(!sm.Create(Member(), {.volume_id = v.id, .name = "three"}).ok());
  w.Deliver();
  CHECK(absl::IsNotFound(w.store.GetVolume(v.id).status()));
  CHECK(absl::IsNotFound(w.store.GetSnapshot(s1->id).status()));
  CHECK(absl::IsNotFound(w.store.GetSnapshot(s2->id).status()));
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("legacy os-attach, os-detach, os-force_detach and begin/roll detaching") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  AttachmentManager& am = w.managers.attachments();
  CHECK(absl::IsInvalidArgument(am.LegacyAttach(Member(), v.id, "vm", "/dev/vdb", "rw").status()));
  CHECK(absl::IsInvalidArgument(am.LegacyAttach(Member(), v.id, kServer, "", "rw").status()));
  CHECK(absl::IsNotFound(am.LegacyAttach(Member("p2"), v.id, kServer, "/dev/vdb", "rw").status()));
  auto att = am.LegacyAttach(Member(), v.id, kServer, "/dev/vdb", "rw");
  REQUIRE(att.ok());
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(am.Get(Member(), att->id)->mountpoint == "/dev/vdb");
  // Not multiattach: a second one is refused.
  CHECK(
      absl::IsInvalidArgument(am.LegacyAttach(Member(), v.id, kServer, "/dev/vdc", "rw").status()));
  REQUIRE(am.LegacyDetaching(Member(), v.id, true).ok());
  CHECK(w.Reload(v.id).status == "detaching");
  CHECK(absl::IsInvalidArgument(am.LegacyDetaching(Member(), v.id, true)));
  REQUIRE(am.LegacyDetaching(Member(), v.id, false).ok());
  CHECK(w.Reload(v.id).status == "in-use");
  CHECK(absl::IsNotFound(am.LegacyDetach(Member("p2"), v.id, "", false)));
  REQUIRE(am.LegacyDetach(Member(), v.id, "", false).ok());
  CHECK(w.Reload(v.id).status == "available");
  REQUIRE(am.LegacyDetach(Member(), v.id, "", false).ok());  // detached already: nothing to do
  CHECK(w.Reload(v.id).status == "available");

  // Force detach (admins) of a volume an admin set to error.
  att = am.LegacyAttach(Member(), v.id, kServer, "/dev/vdb", "rw");
  REQUIRE(att.ok());
  REQUIRE(w.managers.volumes().ResetStatus(Admin(), v.id, "error").ok());
  CHECK(absl::IsInvalidArgument(am.LegacyDetach(Member(), v.id, att->id, false)));
  CHECK(absl::IsPermissionDenied(am.LegacyDetach(Member(), v.id, att->id, true)));
  CHECK(absl::IsNotFound(am.LegacyDetach(Admin(), v.id, "no-such-attachment", true)));
  REQUIRE(am.LegacyDetach(Admin(), v.id, att->id, true).ok());
  CHECK(w.Reload(v.id).status == "available");
  CHECK(am.List(Member(), v.id, "", false)->empty());
}

}  // namespace
}  // namespace gureum::block_storage::testing
