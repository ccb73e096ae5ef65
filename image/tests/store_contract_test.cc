// The ImageStore contract, run on the fake (image_core_test) and on PostgreSQL
// (image_pg_test).
#include <catch2/catch.hpp>

#include "image/tests/store_holder.h"

namespace gureum::image {
namespace {

Image MakeImage(const std::string& id, const std::string& owner, int second) {
  Image i;
  i.id = id;
  i.name = "img-" + id;
  i.owner = owner;
  i.disk_format = "raw";
  i.container_format = "bare";
  i.visibility = kPrivate;
  i.tags = {"a", "b"};
  i.properties = {{"hw_disk_bus", "virtio"}, {"kernel_id", "k1"}};
  i.created_at = i.updated_at = absl::FromUnixSeconds(1700000000 + second);
  return i;
}

TEST_CASE("store: create, get, update keep every field", "[store]") {
  auto holder = testing::NewStoreHolder();
  ImageStore& s = holder->store();
  Image i = MakeImage("11111111-1111-1111-1111-111111111111", "p1", 0);
  REQUIRE(s.CreateImage(i, -1).ok());
  CHECK(absl::IsAlreadyExists(s.CreateImage(i, -1)));
  auto got = s.GetImage(i.id);
  REQUIRE(got.ok());
  CHECK(got->name == i.name);
  CHECK(got->tags == i.tags);
  CHECK(got->properties == i.properties);
  CHECK(got->status == kQueued);
  CHECK_FALSE(got->size.has_value());
  CHECK(got->created_at == i.created_at);

  i.name = "renamed";
  i.properties["os_distro"] = "debian";
  i.is_protected = true;
  i.owner = "p9";  // an admin gave it to another project
  REQUIRE(s.UpdateImage(i).ok());
  got = s.GetImage(i.id);
  CHECK(got->name == "renamed");
  CHECK(got->owner == "p9");
  CHECK(got->properties.at("os_distro") == "debian");
  CHECK(got->is_protected);
  CHECK(absl::IsNotFound(s.GetImage("nope").status()));
  CHECK(s.GetImage("nope").status().message() == "No image found with ID nope.");
}

TEST_CASE("store: status transitions are compare-and-set, upload completion checks bytes",
          "[store]") {
  auto holder = testing::NewStoreHolder();
  ImageStore& s = holder->store();
  Image i = MakeImage("22222222-2222-2222-2222-222222222222", "p1", 0);
  REQUIRE(s.CreateImage(i, -1).ok());
  REQUIRE(s.SetStatus(i.id, {kQueued}, kSaving, absl::Now()).ok());
  // A second upload cannot start.
  CHECK(absl::IsFailedPrecondition(s.SetStatus(i.id, {kQueued}, kSaving, absl::Now())));
  Image done = i;
  done.size = 100;
  done.checksum = "md5";
  done.os_hash_algo = "sha512";
  done.os_hash_value = "sha";
  done.location = "file:///x";
  CHECK(absl::IsResourceExhausted(s.CompleteUpload(done, 99)));
  CHECK(s.GetImage(i.id)->status == kSaving);
  REQUIRE(s.CompleteUpload(done, 100).ok());
  auto got = s.GetImage(i.id);
  CHECK(got->status == kActive);
  CHECK(got->size == 100);
  CHECK(got->location == "file:///x");
  auto usage = s.GetUsage("p1");
  CHECK(usage->image_count == 1);
  CHECK(usage->total_bytes == 100);
  CHECK(absl::IsFailedPrecondition(s.CompleteUpload(done, -1)));
}

TEST_CASE("store: uploads interrupted by a restart are killed", "[store]") {
  auto holder = testing::NewStoreHolder();
  ImageStore& s = holder->store();
  REQUIRE(s.CreateImage(MakeImage("s1", "p1", 0), -1).ok());
  REQUIRE(s.CreateImage(MakeImage("s2", "p1", 1), -1).ok());
  REQUIRE(s.SetStatus("s1", {kQueued}, kSaving, absl::Now()).ok());
  CHECK(s.KillInterruptedUploads(absl::Now()).value() == 1);
  CHECK(s.GetImage("s1")->status == kKilled);
  CHECK(s.GetImage("s2")->status == kQueued);
  CHECK(s.KillInterruptedUploads(absl::Now()).value() == 0);
}

TEST_CASE("store: image count quota is checked on create", "[store]") {
  auto holder = testing::NewStoreHolder();
  ImageStore& s = holder->store();
  REQUIRE(s.CreateImage(MakeImage("a1", "p1", 0), 2).ok());
  REQUIRE(s.CreateImage(MakeImage("a2", "p1", 1), 2).ok());
  absl::Status full = s.CreateImage(MakeImage("a3", "p1", 2), 2);
  CHECK(absl::IsResourceExhausted(full));
  CHECK(absl::IsNotFound(s.GetImage("a3").status()));
  CHECK(s.CreateImage(MakeImage("b1", "p2", 3), 2).ok());  // other project unaffected
}

TEST_CASE("store: listing follows visibility and membership", "[store]") {
  auto holder = testing::NewStoreHolder();
  ImageStore& s = holder->store();
  Image own = MakeImage("i1", "p1", 1);
  Image other_private = MakeImage("i2", "p2", 2);
  Image pub = MakeImage("i3", "p2", 3);
  pub.visibility = kPublic;
  Image shared = MakeImage("i4", "p2", 4);
  shared.visibility = kShared;
  Image community = MakeImage("i5", "p2", 5);
  community.visibility = kCommunity;
  Image shared_not_member = MakeImage("i6", "p2", 6);
  shared_not_member.visibility = kShared;
  for (const Image& i : {own, other_private, pub, shared, community, shared_not_member}) {
    REQUIRE(s.CreateImage(i, -1).ok());
  }
  REQUIRE(s.AddMember({"i4", "p1", kMemberPending, absl::Now(), absl::Now()}).ok());
  CHECK(absl::IsAlreadyExists(s.AddMember({"i4", "p1", kMemberPending, absl::Now(), absl::Now()})));

  auto ids = [&](ImageQuery q) {
    std::vector<std::string> out;
    auto listed = s.ListImages(q);
    REQUIRE(listed.ok());
    std::vector<Image> images = *std::move(listed);
    for (const Image& i : images) out.push_back(i.id);
    return out;
  };
  ImageQuery q;
  q.project_id = "p1";
  q.limit = 100;
  CHECK(ids(q) == std::vector<std::string>{"i3", "i1"});  // pending share not listed
  Member m = s.GetMember("i4", "p1").value();
  m.status = kMemberAccepted;
  REQUIRE(s.UpdateMember(m).ok());
  CHECK(ids(q) == std::vector<std::string>{"i4", "i3", "i1"});
  q.visibility = kCommunity;
  CHECK(ids(q) == std::vector<std::string>{"i5"});
  q.visibility.reset();
  q.limit = 2;
  CHECK(ids(q) == std::vector<std::string>{"i4", "i3"});
  q.marker = "i3";
  CHECK(ids(q) == std::vector<std::string>{"i1"});
  ImageQuery admin;
  admin.all_projects = true;
  admin.limit = 100;
  CHECK(ids(admin).size() == 6);
  admin.tags = {"a"};
  admin.name = "img-i2";
  CHECK(ids(admin) == std::vector<std::string>{"i2"});

  REQUIRE(s.DeleteImage("i4").ok());
  CHECK(absl::IsNotFound(s.GetMember("i4", "p1").status()));
  CHECK(absl::IsNotFound(s.DeleteImage("i4").status()));
  CHECK(absl::IsNotFound(s.DeleteMember("i6", "p1")));
}

}  // namespace
}  // namespace gureum::image
