// The BlockStorageStore contract (block_storage_store.h), run on the fake
// (block_storage_store_test) and on PostgreSQL (block_storage_store_pg_test) through
// store_holder.h: volumes (round trip, compare-and-set, listing), snapshots, quotas.
// Attachments, types and backends are in store_contract_attach_test.cc.
#include <catch2/catch.hpp>

#include "block-storage/api/tests/store_holder.h"

namespace gureum::block_storage::testing {
namespace {

std::vector<std::string> Ids(const std::vector<Volume>& vs) {
  std::vector<std::string> out;
  for (const Volume& v : vs) out.push_back(v.id);
  return out;
}

std::vector<std::string> Ids(const std::vector<Snapshot>& ss) {
  std::vector<std::string> out;
  for (const Snapshot& s : ss) out.push_back(s.id);
  return out;
}

TEST_CASE("store: a volume keeps every field, unknown ids are NotFound in Cinder's words") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  Volume v = MakeVolume("v1", "p1", 3);
  v.description = "data";
  v.previous_status = "creating";
  v.volume_type_id = "t1";
  v.backend_key = "host1@file";
  v.source_volume_id = "v0";
  v.snapshot_id = "s0";
  v.image_id = "i0";
  v.bootable = v.multiattach = v.read_only = true;
  v.metadata = {{"k", "v"}, {"a", "b"}};
  v.image_metadata = {{"os_distro", "debian"}};
  v.error = "why";
  v.task_id = "task";
  CHECK(s.CreateVolume(v, {}) == absl::NotFoundError("Volume type t1 could not be found."));
  REQUIRE(s.CreateType(MakeType("t1", "gold")).ok());
  REQUIRE(s.CreateVolume(v, {}).ok());
  auto got = s.GetVolume("v1");
  REQUIRE(got.ok());
  CHECK(got->project_id == "p1");
  CHECK(got->user_id == "u1");
  CHECK(got->name == "vol-v1");
  CHECK(got->description == "data");
  CHECK(got->status == "available");
  CHECK(got->previous_status == "creating");
  CHECK(got->size_gb == 3);
  CHECK(got->volume_type_id == "t1");
  CHECK(got->availability_zone == "nova");
  CHECK(got->backend_key == "host1@file");
  CHECK(got->source_volume_id == "v0");
  CHECK(got->snapshot_id == "s0");
  CHECK(got->image_id == "i0");
  CHECK(got->bootable);
  CHECK(got->multiattach);
  CHECK(got->read_only);
  CHECK(got->metadata == v.metadata);
  CHECK(got->image_metadata == v.image_metadata);
  CHECK(got->error == "why");
  CHECK(got->task_id == "task");
  CHECK(got->created_at == kT0);
  CHECK(got->updated_at == kT0);

  absl::Status dup = s.CreateVolume(v, {});
  CHECK(absl::IsAlreadyExists(dup));
  CHECK(dup.message() == "Volume v1 already exists.");
  CHECK(s.GetVolume("nope").status() == absl::NotFoundError("Volume nope could not be found."));
  CHECK(s.ChangeVolume("nope", {}, kT0).status() ==
        absl::NotFoundError("Volume nope could not be found."));
  CHECK(s.DeleteVolume("nope") == absl::NotFoundError("Volume nope could not be found."));
  CHECK(s.GetSnapshot("nope").status() == absl::NotFoundError("Snapshot nope could not be found."));
  CHECK(s.DeleteSnapshot("nope") == absl::NotFoundError("Snapshot nope could not be found."));
  CHECK(s.ChangeSnapshot("nope", {}, kT0).status() ==
        absl::NotFoundError("Snapshot nope could not be found."));
  CHECK(absl::IsNotFound(s.CreateSnapshot(MakeSnapshot("s1", "nope", "p1"), {}, {})));

  // The schema's CHECKs: an unknown status or a size under 1 GB.
  Volume bad = MakeVolume("v2", "p1");
  bad.status = "bogus";
  CHECK(absl::IsInvalidArgument(s.CreateVolume(bad, {})));
  bad = MakeVolume("v2", "p1", 0);
  CHECK(absl::IsInvalidArgument(s.CreateVolume(bad, {})));
  CHECK(absl::IsNotFound(s.GetVolume("v2").status()));

  REQUIRE(s.DeleteVolume("v1").ok());
  CHECK(absl::IsNotFound(s.GetVolume("v1").status()));
}

TEST_CASE("store: times are kept to the microsecond") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  const absl::Time fine = kT0 + absl::Nanoseconds(1'234'567);
  const absl::Time kept = kT0 + absl::Microseconds(1'234);
  Volume v = MakeVolume("v1", "p1");
  v.created_at = v.updated_at = fine;
  REQUIRE(s.CreateVolume(v, {}).ok());
  CHECK(s.GetVolume("v1")->created_at == kept);
  CHECK(s.GetVolume("v1")->updated_at == kept);
  VolumeChange c;
  c.name = "x";
  CHECK(s.ChangeVolume("v1", c, fine + absl::Seconds(1))->updated_at == kept + absl::Seconds(1));
  Snapshot snap = MakeSnapshot("s1", "v1", "p1");
  snap.created_at = fine;
  REQUIRE(s.CreateSnapshot(snap, {}, {}).ok());
  CHECK(s.GetSnapshot("s1")->created_at == kept);
  Attachment a = MakeAttachment("a1", "v1", "i1");
  a.created_at = fine;
  REQUIRE(s.CreateAttachment(a, {}, fine).ok());
  CHECK(s.GetAttachment("a1")->created_at == kept);
  CHECK(s.GetVolume("v1")->updated_at == kept);
}

TEST_CASE("store: a volume change is a compare-and-set on its status") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1", 2), {}).ok());

  VolumeChange wrong;
  wrong.from = {"in-use", "error"};
  wrong.status = "deleting";
  wrong.name = "changed";
  auto refused = s.ChangeVolume("v1", wrong, kT0 + absl::Seconds(5));
  CHECK(refused.status() == absl::FailedPreconditionError("available"));
  auto same = s.GetVolume("v1");
  CHECK(same->status == "available");
  CHECK(same->name == "vol-v1");
  CHECK(same->updated_at == kT0);

  VolumeChange extend;
  extend.from = {"available"};
  extend.status = "extending";
  extend.previous_status = "available";
  extend.task_id = "t-1";
  extend.metadata = Metadata{{"x", "y"}};
  extend.image_metadata = Metadata{{"hw", "virtio"}};
  extend.bootable = true;
  extend.read_only = true;
  extend.description = "d";
  extend.backend_key = "h@b";
  extend.error = "e";
  auto changed = s.ChangeVolume("v1", extend, kT0 + absl::Seconds(5));
  REQUIRE(changed.ok());
  CHECK(changed->status == "extending");
  CHECK(changed->previous_status == "available");
  CHECK(changed->task_id == "t-1");
  CHECK(changed->name == "vol-v1");  // unset fields are kept
  CHECK(changed->updated_at == kT0 + absl::Seconds(5));
  auto got = s.GetVolume("v1");
  CHECK(got->status == "extending");
  CHECK(got->metadata == Metadata{{"x", "y"}});
  CHECK(got->image_metadata == Metadata{{"hw", "virtio"}});
  CHECK(got->bootable);
  CHECK(got->read_only);
  CHECK(got->description == "d");
  CHECK(got->backend_key == "h@b");
  CHECK(got->error == "e");
  CHECK(got->updated_at == kT0 + absl::Seconds(5));
  // The same guarded change again loses: the status moved on.
  CHECK(s.ChangeVolume("v1", extend, kT0).status() == absl::FailedPreconditionError("extending"));

  // No guard: any status.
  VolumeChange any;
  any.size_gb = 4;
  any.status = "available";
  REQUIRE(s.ChangeVolume("v1", any, kT0).ok());
  CHECK(s.GetVolume("v1")->size_gb == 4);
  VolumeChange bad;
  bad.status = "bogus";
  CHECK(absl::IsInvalidArgument(s.ChangeVolume("v1", bad, kT0).status()));
  CHECK(s.GetVolume("v1")->status == "available");
}

TEST_CASE("store: require_no_snapshots refuses while the volume has snapshots, which outlive it") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateVolume(MakeVolume("v1", "p1", 2), {}).ok());
  Snapshot snap = MakeSnapshot("s1", "v1", "p1", 2);
  REQUIRE(s.CreateSnapshot(snap, {"available"}, {}).ok());
  VolumeChange del;
  del.from = {"available"};
  del.status = "deleting";
  del.require_no_attachments = true;
  del.require_no_snapshots = true;
  CHECK(s.ChangeVolume("v1", del, kT0).status() == absl::FailedPreconditionError("snapshots"));
  CHECK(s.GetVolume("v1")->status == "available");
  // Without the requirement (force delete) the volume goes and its snapshot stays.
  del.require_no_snapshots = false;
  REQUIRE(s.ChangeVolume("v1", del, kT0).ok());
  REQUIRE(s.DeleteVolume("v1").ok());
  CHECK(s.GetSnapshot("s1")->volume_id == "v1");
}

TEST_CASE("store: volume listing filters, sorts, pages") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  // Created one second apart: a (p1, 5 GB), b (p1, 1 GB, bootable), c (p2), d (p1, error).
  Volume a = MakeVolume("a", "p1", 5, 0);
  a.name = "zeta";
  a.metadata = {{"env", "prod"}, {"tier", "db"}};
  Volume b = MakeVolume("b", "p1", 1, 1);
  b.name = "Alpha";
  b.bootable = true;
  b.metadata = {{"env", "prod"}};
  Volume c = MakeVolume("c", "p2", 2, 2);
  c.availability_zone = "other";
  Volume d = MakeVolume("d", "p1", 3, 3);
  d.name = "beta";
  d.status = "error";
  for (const Volume& v : {a, b, c, d}) REQUIRE(s.CreateVolume(v, {}).ok());

  VolumeQuery q;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d", "c", "b", "a"});
  q.project_id = "p1";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d", "b", "a"});
  q.sort_desc = false;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"a", "b", "d"});
  q.sort_key = "name";  // byte order: upper case first
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"b", "d", "a"});
  q.sort_key = "size";
  q.sort_desc = true;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"a", "d", "b"});
  q.sort_key = "status";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d", "b", "a"});  // ties by id
  q.sort_key = "id";
  q.sort_desc = false;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"a", "b", "d"});
  q.sort_key = "updated_at";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"a", "b", "d"});
  q.sort_key = "size; DROP TABLE volumes";
  CHECK(absl::IsInvalidArgument(s.ListVolumes(q).status()));

  // Pages: the marker's successors, at most `limit`.
  q = VolumeQuery{};
  q.limit = 2;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d", "c"});
  q.marker = "c";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"b", "a"});
  q.marker = "a";
  CHECK(s.ListVolumes(q)->empty());
  q.marker = "nope";
  CHECK(s.ListVolumes(q).status() == absl::NotFoundError("Marker nope could not be found."));
  q.project_id = "p1";
  q.marker = "c";  // another project's: not in this listing
  CHECK(absl::IsNotFound(s.ListVolumes(q).status()));
  q.marker = "d";
  q.limit = 0;
  CHECK(s.ListVolumes(q)->empty());
  q.sort_key = "size";
  q.limit = -1;
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"b"});  // size desc: a d b

  // Filters.
  q = VolumeQuery{};
  q.name = "beta";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d"});
  q = VolumeQuery{};
  q.status = "available";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"c", "b", "a"});
  q = VolumeQuery{};
  q.bootable = "true";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"b"});
  q.bootable = "false";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"d", "c", "a"});
  q = VolumeQuery{};
  q.availability_zone = "other";
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"c"});
  q = VolumeQuery{};
  q.metadata = {{"env", "prod"}};
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"b", "a"});
  q.metadata = {{"env", "prod"}, {"tier", "db"}};
  CHECK(Ids(*s.ListVolumes(q)) == std::vector<std::string>{"a"});
  q.metadata = {{"env", "dev"}};
  CHECK(s.ListVolumes(q)->empty());
}

TEST_CASE("store: stale volumes and snapshots are those in a status not updated since") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  Volume a = MakeVolume("a", "p1", 1, 10);
  a.status = "creating";
  Volume b = MakeVolume("b", "p1", 1, 0);
  b.status = "creating";
  Volume c = MakeVolume("c", "p1", 1, 0);
  Volume d = MakeVolume("d", "p1", 1, 30);
  d.status = "deleting";
  for (const Volume& v : {a, b, c, d}) REQUIRE(s.CreateVolume(v, {}).ok());
  auto stale = s.ListStaleVolumes({"creating", "deleting"}, kT0 + absl::Seconds(20));
  CHECK(Ids(*stale) == std::vector<std::string>{"b", "a"});
  CHECK(s.ListStaleVolumes({}, kT0 + absl::Seconds(100))->empty());

  REQUIRE(s.CreateSnapshot(MakeSnapshot("s1", "c", "p1", 1, 5), {}, {}).ok());
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s2", "c", "p1", 1, 50), {}, {}).ok());
  CHECK(Ids(*s.ListStaleSnapshots({"creating"}, kT0 + absl::Seconds(20))) ==
        std::vector<std::string>{"s1"});
  CHECK(s.ListStaleSnapshots({"available"}, kT0 + absl::Seconds(100))->empty());
}

TEST_CASE("store: snapshots: create guarded by the volume's status, change, list, delete") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  Volume v = MakeVolume("v1", "p1", 4);
  v.status = "in-use";
  REQUIRE(s.CreateVolume(v, {}).ok());
  REQUIRE(s.CreateVolume(MakeVolume("v2", "p2", 1), {}).ok());
  Snapshot s1 = MakeSnapshot("s1", "v1", "p1", 4, 0);
  s1.description = "first";
  s1.metadata = {{"k", "v"}};
  CHECK(s.CreateSnapshot(s1, {"available"}, {}) == absl::FailedPreconditionError("in-use"));
  CHECK(absl::IsNotFound(s.GetSnapshot("s1").status()));
  REQUIRE(s.CreateSnapshot(s1, {"available", "in-use"}, {}).ok());
  CHECK(s.CreateSnapshot(s1, {}, {}) == absl::AlreadyExistsError("Snapshot s1 already exists."));
  auto got = s.GetSnapshot("s1");
  REQUIRE(got.ok());
  CHECK(got->project_id == "p1");
  CHECK(got->user_id == "u1");
  CHECK(got->volume_id == "v1");
  CHECK(got->name == "snap-s1");
  CHECK(got->description == "first");
  CHECK(got->status == "creating");
  CHECK(got->size_gb == 4);
  CHECK(got->metadata == Metadata{{"k", "v"}});
  CHECK(got->created_at == kT0);

  SnapshotChange done;
  done.from = {"creating"};
  done.status = "available";
  done.task_id = "";
  done.name = "renamed";
  done.metadata = Metadata{{"a", "b"}};
  auto changed = s.ChangeSnapshot("s1", done, kT0 + absl::Seconds(3));
  REQUIRE(changed.ok());
  CHECK(changed->status == "available");
  CHECK(changed->name == "renamed");
  CHECK(changed->description == "first");
  CHECK(changed->updated_at == kT0 + absl::Seconds(3));
  CHECK(s.GetSnapshot("s1")->metadata == Metadata{{"a", "b"}});
  CHECK(s.ChangeSnapshot("s1", done, kT0).status() == absl::FailedPreconditionError("available"));
  SnapshotChange bad;
  bad.status = "bogus";
  CHECK(absl::IsInvalidArgument(s.ChangeSnapshot("s1", bad, kT0).status()));

  REQUIRE(s.CreateSnapshot(MakeSnapshot("s2", "v1", "p1", 4, 1), {}, {}).ok());
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s3", "v2", "p2", 1, 2), {}, {}).ok());
  SnapshotQuery q;
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s3", "s2", "s1"});
  q.project_id = "p1";
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s2", "s1"});
  q.status = "available";
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s1"});
  q = SnapshotQuery{};
  q.volume_id = "v2";
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s3"});
  q = SnapshotQuery{};
  q.name = "renamed";
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s1"});
  q = SnapshotQuery{};
  q.sort_key = "name";
  q.sort_desc = false;
  q.marker = "s1";
  q.limit = 1;
  CHECK(Ids(*s.ListSnapshots(q)) == std::vector<std::string>{"s2"});  // renamed, snap-s2, snap-s3
  q.marker = "gone";
  CHECK(s.ListSnapshots(q).status() == absl::NotFoundError("Marker gone could not be found."));
  q.marker = "";
  q.sort_key = "bogus";
  CHECK(absl::IsInvalidArgument(s.ListSnapshots(q).status()));

  REQUIRE(s.DeleteSnapshot("s1").ok());
  CHECK(absl::IsNotFound(s.GetSnapshot("s1").status()));
}

TEST_CASE("store: quotas: limits per project, usage by Cinder's names") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  CHECK(s.GetQuotas("p1")->empty());
  REQUIRE(s.SetQuotas("p1", {{"volumes", 10}, {"gigabytes", -1}}).ok());
  REQUIRE(s.SetQuotas("p1", {{"volumes", 5}, {"snapshots_gold", 2}}).ok());  // merged
  REQUIRE(s.SetQuotas("p2", {{"volumes", 1}}).ok());
  CHECK(*s.GetQuotas("p1") ==
        QuotaLimits{{"volumes", 5}, {"gigabytes", -1}, {"snapshots_gold", 2}});
  CHECK(absl::IsInvalidArgument(s.SetQuotas("p1", {{"volumes", -2}})));
  REQUIRE(s.DeleteQuotas("p1").ok());
  CHECK(s.GetQuotas("p1")->empty());
  CHECK(*s.GetQuotas("p2") == QuotaLimits{{"volumes", 1}});
  REQUIRE(s.DeleteQuotas("nobody").ok());

  REQUIRE(s.CreateType(MakeType("t1", "gold")).ok());
  REQUIRE(s.CreateType(MakeType("t2", "silver")).ok());
  CHECK(*s.GetUsage("p1") == QuotaUsage{{"volumes", 0},
                                        {"gigabytes", 0},
                                        {"snapshots", 0},
                                        {"volumes_gold", 0},
                                        {"gigabytes_gold", 0},
                                        {"snapshots_gold", 0},
                                        {"volumes_silver", 0},
                                        {"gigabytes_silver", 0},
                                        {"snapshots_silver", 0}});
  Volume a = MakeVolume("a", "p1", 3);
  a.volume_type_id = "t1";
  Volume b = MakeVolume("b", "p1", 2);
  b.status = "error";  // counted whatever its status
  REQUIRE(s.CreateVolume(a, {}).ok());
  REQUIRE(s.CreateVolume(b, {}).ok());
  REQUIRE(s.CreateVolume(MakeVolume("c", "p2", 7), {}).ok());
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s1", "a", "p1", 3), {}, {}).ok());
  auto usage = s.GetUsage("p1");
  CHECK(usage->at("volumes") == 2);
  CHECK(usage->at("gigabytes") == 8);  // 3 + 2 + the snapshot's 3
  CHECK(usage->at("snapshots") == 1);
  CHECK(usage->at("volumes_gold") == 1);
  CHECK(usage->at("gigabytes_gold") == 6);
  CHECK(usage->at("snapshots_gold") == 1);
  CHECK(usage->at("volumes_silver") == 0);
  // Per-type names follow the type's current name.
  VolumeType renamed = MakeType("t1", "platinum");
  REQUIRE(s.UpdateType(renamed).ok());
  usage = s.GetUsage("p1");
  CHECK(usage->count("volumes_gold") == 0);
  CHECK(usage->at("volumes_platinum") == 1);
}

TEST_CASE("store: a volume create over a quota writes nothing and names the quota") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateType(MakeType("t1", "lvm")).ok());
  Volume typed = MakeVolume("v1", "p1", 4);
  typed.volume_type_id = "t1";
  REQUIRE(s.CreateVolume(typed, {{"volumes", 2}, {"gigabytes", 10}}).ok());

  auto refused = [&](const Volume& v, const QuotaLimits& q) {
    absl::Status st = s.CreateVolume(v, q);
    CHECK(absl::IsResourceExhausted(st));
    CHECK(absl::IsNotFound(s.GetVolume(v.id).status()));
    return std::string(st.message());
  };
  typed.id = "v2";
  CHECK(refused(typed, {{"volumes", 1}}) == "volumes");
  CHECK(refused(typed, {{"gigabytes", 7}}) == "gigabytes");
  CHECK(refused(typed, {{"per_volume_gigabytes", 3}}) == "per_volume_gigabytes");
  CHECK(refused(typed, {{"volumes_lvm", 1}}) == "volumes_lvm");
  CHECK(refused(typed, {{"gigabytes_lvm", 7}}) == "gigabytes_lvm");
  // At the limit exactly: fits. -1 and absent names: not checked.
  REQUIRE(s.CreateVolume(typed, {{"volumes", 2},
                                 {"gigabytes", 8},
                                 {"per_volume_gigabytes", 4},
                                 {"volumes_lvm", 2},
                                 {"gigabytes_lvm", 8},
                                 {"snapshots", 0},
                                 {"volumes_other", 0}})
              .ok());
  Volume untyped = MakeVolume("v3", "p1", 100);
  REQUIRE(s.CreateVolume(untyped, {{"volumes", -1}, {"gigabytes", -1}, {"volumes_lvm", 0}}).ok());
  // Another project's usage does not count.
  REQUIRE(s.CreateVolume(MakeVolume("w1", "p2", 5), {{"volumes", 1}, {"gigabytes", 5}}).ok());
}

TEST_CASE("store: a snapshot create over a quota writes nothing and names the quota") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateType(MakeType("t1", "lvm")).ok());
  Volume v = MakeVolume("v1", "p1", 4);
  v.volume_type_id = "t1";
  REQUIRE(s.CreateVolume(v, {}).ok());
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s1", "v1", "p1", 4), {}, {{"snapshots", 1}}).ok());
  auto refused = [&](const QuotaLimits& q) {
    absl::Status st = s.CreateSnapshot(MakeSnapshot("s2", "v1", "p1", 4), {}, q);
    CHECK(absl::IsResourceExhausted(st));
    CHECK(absl::IsNotFound(s.GetSnapshot("s2").status()));
    return std::string(st.message());
  };
  CHECK(refused({{"snapshots", 1}}) == "snapshots");
  CHECK(refused({{"gigabytes", 11}}) == "gigabytes");  // 4 + 4 used, 4 more
  CHECK(refused({{"snapshots_lvm", 1}}) == "snapshots_lvm");
  CHECK(refused({{"gigabytes_lvm", 8}}) == "gigabytes_lvm");
  // A snapshot is not a volume: volumes quotas are not checked.
  REQUIRE(s.CreateSnapshot(MakeSnapshot("s2", "v1", "p1", 4), {},
                           {{"volumes", 0}, {"volumes_lvm", 0}, {"gigabytes", 12}})
              .ok());
}

TEST_CASE("store: growing a volume is checked against its quota, shrinking or no quota is not") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateType(MakeType("t1", "lvm")).ok());
  Volume v = MakeVolume("v1", "p1", 4);
  v.volume_type_id = "t1";
  REQUIRE(s.CreateVolume(v, {}).ok());
  REQUIRE(s.CreateVolume(MakeVolume("v2", "p1", 2), {}).ok());
  VolumeChange grow;
  grow.from = {"available"};
  grow.size_gb = 6;
  grow.quota = QuotaLimits{{"gigabytes", 7}};
  CHECK(s.ChangeVolume("v1", grow, kT0).status() == absl::ResourceExhaustedError("gigabytes"));
  grow.quota = QuotaLimits{{"gigabytes_lvm", 5}};
  CHECK(s.ChangeVolume("v1", grow, kT0).status() == absl::ResourceExhaustedError("gigabytes_lvm"));
  grow.quota = QuotaLimits{{"per_volume_gigabytes", 5}};
  CHECK(s.ChangeVolume("v1", grow, kT0).status() ==
        absl::ResourceExhaustedError("per_volume_gigabytes"));
  CHECK(s.GetVolume("v1")->size_gb == 4);
  grow.quota = QuotaLimits{{"gigabytes", 8}, {"gigabytes_lvm", 6}, {"volumes", 0}};
  REQUIRE(s.ChangeVolume("v1", grow, kT0).ok());
  CHECK(s.GetVolume("v1")->size_gb == 6);
  grow.quota.reset();
  grow.size_gb = 100;
  REQUIRE(s.ChangeVolume("v1", grow, kT0).ok());
}

TEST_CASE("store: a retype changes the type, checked against the new type's quotas only") {
  auto h = NewStoreHolder();
  BlockStorageStore& s = h->store();
  REQUIRE(s.CreateType(MakeType("t1", "lvm")).ok());
  REQUIRE(s.CreateType(MakeType("t2", "gold")).ok());
  Volume v = MakeVolume("v1", "p1", 4);
  v.volume_type_id = "t1";
  REQUIRE(s.CreateVolume(v, {}).ok());
  VolumeChange retype{.from = {"available"}, .volume_type_id = "t2"};
  retype.quota = QuotaLimits{{"volumes_gold", 0}};
  CHECK(s.ChangeVolume("v1", retype, kT0).status() == absl::ResourceExhaustedError("volumes_gold"));
  retype.quota = QuotaLimits{{"gigabytes_gold", 3}};
  CHECK(s.ChangeVolume("v1", retype, kT0).status() ==
        absl::ResourceExhaustedError("gigabytes_gold"));
  CHECK(s.GetVolume("v1")->volume_type_id == "t1");
  // The totals do not change with a retype: full ones do not stop it.
  retype.quota = QuotaLimits{{"volumes", 1}, {"gigabytes", 4}, {"gigabytes_gold", 4}};
  REQUIRE(s.ChangeVolume("v1", retype, kT0).ok());
  CHECK(s.GetVolume("v1")->volume_type_id == "t2");
  CHECK(s.GetUsage("p1")->at("volumes_gold") == 1);
  CHECK(s.GetUsage("p1")->at("volumes_lvm") == 0);
}

}  // namespace
}  // namespace gureum::block_storage::testing
