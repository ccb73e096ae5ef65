// The BlockStorageStore contract, continued (see store_contract_test.cc): attachments,
// volume types and their access, backends and ClaimBackend.
#include <catch2/catch.hpp>

#include "block-storage/api/tests/store_holder.h"

namespace gureum::block_storage::testing {
namespace {

VolumeChange Reserve() {
  VolumeChange c;
  c.from = {"available", "in-use"};
  c.status = "reserved";
  return c;
}

TEST_CASE("store: attachments: create with the volume's change, refuse a second one") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1"), {}).ok());
  Attachment a = MakeAttachment("a1", "v1", "i1");
  a.mountpoint = "/dev/vdb";
  REQUIRE(s.CreateAttachment(a, Reserve(), kT0 + absl::Seconds(1)).ok());
  auto v = s.GetVolume("v1");
  CHECK(v->status == "reserved");
  CHECK(v->updated_at == kT0 + absl::Seconds(1));
  auto got = s.GetAttachment("a1");
  REQUIRE(got.ok());
  CHECK(got->volume_id == "v1");
  CHECK(got->project_id == "p1");
  CHECK(got->instance_uuid == "i1");
  CHECK(got->status == "reserved");
  CHECK(got->mode == "rw");
  CHECK(got->mountpoint == "/dev/vdb");
  CHECK(got->connection_info.protocol.empty());
  CHECK(got->created_at == kT0);

  // Not multiattach: a second attachment is refused whatever the guard allows, and the
  // volume's change does not happen.
  VolumeChange again = Reserve();
  again.from = {"reserved"};
  again.status = "attaching";
  CHECK(s.CreateAttachment(MakeAttachment("a2", "v1", "i2"), again, kT0) ==
        absl::FailedPreconditionError("attached"));
  CHECK(s.GetVolume("v1")->status == "reserved");
  CHECK(absl::IsNotFound(s.GetAttachment("a2").status()));
  // The guard first: the volume's status is the answer.
  CHECK(s.CreateAttachment(MakeAttachment("a2", "v1", "i2"), Reserve(), kT0) ==
        absl::FailedPreconditionError("reserved"));
  CHECK(absl::IsNotFound(s.CreateAttachment(MakeAttachment("a3", "nope", "i1"), Reserve(), kT0)));
  CHECK(s.GetAttachment("nope").status() ==
        absl::NotFoundError(
            "Volume attachment could not be found with filter: attachment_id = nope."));
  CHECK(absl::IsNotFound(s.ChangeAttachment("nope", {}, kT0).status()));
  CHECK(absl::IsNotFound(s.DeleteAttachment("nope", kT0).status()));

  // A volume with an attachment cannot be deleted, nor changed under require_no_attachments.
  CHECK(s.DeleteVolume("v1") == absl::FailedPreconditionError("attached"));
  VolumeChange del;
  del.status = "deleting";
  del.require_no_attachments = true;
  CHECK(s.ChangeVolume("v1", del, kT0).status() == absl::FailedPreconditionError("attached"));
}

TEST_CASE("store: attachment changes are compare-and-set and may set the volume's status") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1"), {}).ok());
  REQUIRE(s.CreateAttachment(MakeAttachment("a1", "v1", "i1"), Reserve(), kT0).ok());
  AttachmentChange connect;
  connect.from = {"reserved"};
  connect.status = "attaching";
  connect.connector_host = "compute-2";
  connect.connector_ip = "10.0.0.2";
  connect.connection_info =
      ConnectionInfo{"nbd", "10.0.0.9", 10809, "vol-v1", "", "qcow2", /*read_only=*/true};
  connect.task_id = "t1";
  connect.volume_status = "attaching";
  auto changed = s.ChangeAttachment("a1", connect, kT0 + absl::Seconds(2));
  REQUIRE(changed.ok());
  CHECK(changed->status == "attaching");
  CHECK(changed->updated_at == kT0 + absl::Seconds(2));
  auto got = s.GetAttachment("a1");
  CHECK(got->connector_host == "compute-2");
  CHECK(got->connector_ip == "10.0.0.2");
  CHECK(got->connection_info.protocol == "nbd");
  CHECK(got->connection_info.host == "10.0.0.9");
  CHECK(got->connection_info.port == 10809);
  CHECK(got->connection_info.export_name == "vol-v1");
  CHECK(got->connection_info.format == "qcow2");
  CHECK(got->connection_info.read_only);
  CHECK(got->task_id == "t1");
  CHECK(s.GetVolume("v1")->status == "attaching");

  // Wrong status: nothing changes, neither the attachment nor the volume.
  AttachmentChange complete;
  complete.from = {"reserved"};
  complete.status = "attached";
  complete.volume_status = "in-use";
  CHECK(s.ChangeAttachment("a1", complete, kT0).status() ==
        absl::FailedPreconditionError("attaching"));
  CHECK(s.GetVolume("v1")->status == "attaching");
  complete.from = {"attaching"};
  complete.mountpoint = "/dev/vdc";
  complete.error = "";
  REQUIRE(s.ChangeAttachment("a1", complete, kT0).ok());
  CHECK(s.GetAttachment("a1")->status == "attached");
  CHECK(s.GetAttachment("a1")->mountpoint == "/dev/vdc");
  CHECK(s.GetVolume("v1")->status == "in-use");
}

TEST_CASE("store: multiattach volumes take several attachments, the last delete frees the volume") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  Volume v = MakeVolume("v1", "p1");
  v.multiattach = true;
  REQUIRE(s.CreateVolume(v, {}).ok());
  REQUIRE(s.CreateVolume(MakeVolume("v2", "p1"), {}).ok());
  VolumeChange keep;  // a multiattach volume in use keeps its status
  keep.from = {"available", "in-use"};
  keep.status = "in-use";
  REQUIRE(s.CreateAttachment(MakeAttachment("a1", "v1", "i1", 0), keep, kT0).ok());
  REQUIRE(s.CreateAttachment(MakeAttachment("a2", "v1", "i2", 1), keep, kT0).ok());
  Attachment other = MakeAttachment("a3", "v2", "i1", 2);
  other.project_id = "p2";
  REQUIRE(s.CreateAttachment(other, keep, kT0).ok());
  CHECK(s.CreateAttachment(MakeAttachment("a1", "v1", "i9"), keep, kT0) ==
        absl::AlreadyExistsError("Volume attachment a1 already exists."));

  auto ids = [](const absl::StatusOr<std::vector<Attachment>>& as) {
    std::vector<std::string> out;
    for (const Attachment& a : *as) out.push_back(a.id);
    return out;
  };
  CHECK(ids(s.ListAttachments("", "", "")) == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(ids(s.ListAttachments("p1", "", "")) == std::vector<std::string>{"a1", "a2"});
  CHECK(ids(s.ListAttachments("", "v1", "")) == std::vector<std::string>{"a1", "a2"});
  CHECK(ids(s.ListAttachments("", "", "i1")) == std::vector<std::string>{"a1", "a3"});
  CHECK(ids(s.ListAttachments("p1", "v1", "i2")) == std::vector<std::string>{"a2"});

  auto after = s.DeleteAttachment("a1", kT0 + absl::Seconds(5));
  REQUIRE(after.ok());
  CHECK(after->status == "in-use");  // a2 is still there
  CHECK(after->updated_at == kT0);
  after = s.DeleteAttachment("a2", kT0 + absl::Seconds(6));
  REQUIRE(after.ok());
  CHECK(after->status == "available");
  CHECK(after->updated_at == kT0 + absl::Seconds(6));
  CHECK(s.GetVolume("v1")->status == "available");
  CHECK(absl::IsNotFound(s.GetAttachment("a2").status()));
  CHECK(s.DeleteVolume("v1").ok());
}

TEST_CASE("store: volume types: names unique, access for private ones, not deleted in use") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  VolumeType gold = MakeType("t1", "gold");
  gold.extra_specs["x"] = "y";
  REQUIRE(s.CreateType(gold).ok());
  REQUIRE(s.CreateType(MakeType("t2", "bronze", /*is_public=*/false)).ok());
  REQUIRE(s.CreateType(MakeType("t3", "silver", /*is_public=*/false)).ok());
  CHECK(s.CreateType(MakeType("t4", "gold")) ==
        absl::AlreadyExistsError("Volume Type gold already exists."));
  CHECK(absl::IsAlreadyExists(s.CreateType(MakeType("t1", "other"))));
  auto got = s.GetType("t1");
  REQUIRE(got.ok());
  CHECK(got->name == "gold");
  CHECK(got->description == "type gold");
  CHECK(got->is_public);
  CHECK(got->extra_specs == Metadata{{"volume_backend_name", "file"}, {"x", "y"}});
  CHECK(got->created_at == kT0);
  CHECK(s.GetTypeByName("bronze")->id == "t2");
  CHECK(s.GetType("nope").status() == absl::NotFoundError("Volume type nope could not be found."));
  CHECK(s.GetTypeByName("nope").status() ==
        absl::NotFoundError("Volume type with name nope could not be found."));

  auto names = [](const absl::StatusOr<std::vector<VolumeType>>& ts) {
    std::vector<std::string> out;
    for (const VolumeType& t : *ts) out.push_back(t.name);
    return out;
  };
  CHECK(names(s.ListTypes("")) == std::vector<std::string>{"bronze", "gold", "silver"});
  CHECK(names(s.ListTypes("p1")) == std::vector<std::string>{"gold"});
  REQUIRE(s.AddTypeAccess("t2", "p1").ok());
  REQUIRE(s.AddTypeAccess("t2", "p0").ok());
  REQUIRE(s.AddTypeAccess("t3", "p2").ok());
  CHECK(s.AddTypeAccess("t2", "p1") ==
        absl::AlreadyExistsError("Volume type access for t2 / p1 combination already exists."));
  CHECK(absl::IsNotFound(s.AddTypeAccess("nope", "p1")));
  CHECK(names(s.ListTypes("p1")) == std::vector<std::string>{"bronze", "gold"});
  CHECK(*s.ListTypeAccess("t2") == std::vector<std::string>{"p0", "p1"});
  CHECK(s.ListTypeAccess("t1")->empty());
  CHECK(absl::IsNotFound(s.ListTypeAccess("nope").status()));
  REQUIRE(s.RemoveTypeAccess("t2", "p1").ok());
  CHECK(s.RemoveTypeAccess("t2", "p1") ==
        absl::NotFoundError("Volume type access not found for t2 / p1 combination."));
  CHECK(names(s.ListTypes("p1")) == std::vector<std::string>{"gold"});

  VolumeType update = MakeType("t2", "copper", /*is_public=*/true);
  update.description = "new";
  update.extra_specs = {{"volume_backend_name", "lvm"}};
  REQUIRE(s.UpdateType(update).ok());
  got = s.GetType("t2");
  CHECK(got->name == "copper");
  CHECK(got->description == "new");
  CHECK(got->is_public);
  CHECK(got->extra_specs == Metadata{{"volume_backend_name", "lvm"}});
  update.name = "gold";
  CHECK(s.UpdateType(update) == absl::AlreadyExistsError("Volume Type gold already exists."));
  CHECK(s.GetType("t2")->name == "copper");
  CHECK(absl::IsNotFound(s.UpdateType(MakeType("nope", "x"))));

  Volume v = MakeVolume("v1", "p1");
  v.volume_type_id = "t1";
  REQUIRE(s.CreateVolume(v, {}).ok());
  CHECK(s.DeleteType("t1") == absl::FailedPreconditionError("in use"));
  CHECK(s.GetType("t1").ok());
  REQUIRE(s.DeleteVolume("v1").ok());
  REQUIRE(s.DeleteType("t1").ok());
  CHECK(absl::IsNotFound(s.GetType("t1").status()));
  CHECK(absl::IsNotFound(s.DeleteType("t1")));
  REQUIRE(s.DeleteType("t3").ok());  // its access goes with it
  CHECK(names(s.ListTypes("p2")) == std::vector<std::string>{"copper"});
  REQUIRE(s.CreateType(MakeType("t3", "silver", false)).ok());
  CHECK(s.ListTypeAccess("t3")->empty());
}

Backend MakeBackend(const std::string& host, int64_t total_gb, int second = 0) {
  Backend b;
  b.key = host + "@file";
  b.host = host;
  b.backend = "file";
  b.driver = "file";
  b.availability_zone = "nova";
  b.total_gb = total_gb;
  b.free_gb = total_gb - 1;
  b.allocated_gb = 999;  // computed by the store, not taken from the report
  b.updated_at = kT0 + absl::Seconds(second);
  return b;
}

TEST_CASE("store: backends: reports replace all but disabled, allocated is computed") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.ReportBackend(MakeBackend("h2", 50)).ok());
  REQUIRE(s.ReportBackend(MakeBackend("h1", 100)).ok());
  REQUIRE(s.SetBackendDisabled("h1@file", true, "maintenance").ok());
  CHECK(s.SetBackendDisabled("nope", true, "") ==
        absl::NotFoundError("Backend nope could not be found."));
  Backend again = MakeBackend("h1", 120, 30);
  again.driver = "file2";
  REQUIRE(s.ReportBackend(again).ok());

  Volume a = MakeVolume("a", "p1", 10);
  a.backend_key = "h1@file";
  Volume b = MakeVolume("b", "p2", 5);
  b.backend_key = "h1@file";
  b.status = "error";
  REQUIRE(s.CreateVolume(a, {}).ok());
  REQUIRE(s.CreateVolume(b, {}).ok());
  REQUIRE(s.CreateVolume(MakeVolume("c", "p1", 7), {}).ok());  // not placed
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s1", "a", "p1", 10), {}, {}).ok());

  auto backends = s.ListBackends();
  REQUIRE(backends.ok());
  REQUIRE(backends->size() == 2);
  const Backend& h1 = (*backends)[0];
  CHECK(h1.key == "h1@file");
  CHECK(h1.host == "h1");
  CHECK(h1.backend == "file");
  CHECK(h1.driver == "file2");
  CHECK(h1.availability_zone == "nova");
  CHECK(h1.total_gb == 120);
  CHECK(h1.free_gb == 119);
  CHECK(h1.allocated_gb == 25);  // a, b and a's snapshot
  CHECK(h1.disabled);
  CHECK(h1.disabled_reason == "maintenance");
  CHECK(h1.updated_at == kT0 + absl::Seconds(30));
  CHECK((*backends)[1].key == "h2@file");
  CHECK((*backends)[1].allocated_gb == 0);
  CHECK_FALSE((*backends)[1].disabled);
  REQUIRE(s.SetBackendDisabled("h1@file", false, "").ok());
  CHECK_FALSE(s.ListBackends()->at(0).disabled);
}

TEST_CASE("store: ClaimBackend places a volume only where it fits") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.ReportBackend(MakeBackend("h1", 10)).ok());
  for (auto [id, size] : {std::pair<const char*, int64_t>{"a", 4}, {"b", 4}, {"c", 3}}) {
    Volume v = MakeVolume(id, "p1", size);
    v.status = "creating";
    REQUIRE(s.CreateVolume(v, {}).ok());
  }
  REQUIRE(s.ClaimBackend("a", "h1@file", 10, kT0 + absl::Seconds(1)).ok());
  auto a = s.GetVolume("a");
  CHECK(a->backend_key == "h1@file");
  CHECK(a->updated_at == kT0 + absl::Seconds(1));
  // Claiming again does not count the volume twice.
  REQUIRE(s.ClaimBackend("a", "h1@file", 4, kT0).ok());
  REQUIRE(s.ClaimBackend("b", "h1@file", 10, kT0).ok());
  absl::Status full = s.ClaimBackend("c", "h1@file", 10, kT0 + absl::Seconds(9));
  CHECK(absl::IsResourceExhausted(full));
  auto c = s.GetVolume("c");
  CHECK(c->backend_key.empty());
  CHECK(c->updated_at == kT0);
  REQUIRE(s.ClaimBackend("c", "h1@file", 11, kT0).ok());
  CHECK(s.ListBackends()->at(0).allocated_gb == 11);
  CHECK(s.ClaimBackend("c", "nope", 100, kT0) ==
        absl::NotFoundError("Backend nope could not be found."));
  CHECK(s.ClaimBackend("nope", "h1@file", 100, kT0) ==
        absl::NotFoundError("Volume nope could not be found."));
}

}  // namespace
}  // namespace gureum::block_storage::testing
