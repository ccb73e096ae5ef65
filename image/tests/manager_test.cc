// ImageManager cases, run on the fake store (image_core_test) and PostgreSQL
// (image_pg_test), with real files in a temporary directory.
#include <catch2/catch.hpp>

#include "common/status/macros.h"
#include "image/tests/manager_fixture.h"
#include "image/tests/test_util.h"

namespace gureum::image {
namespace {

using testing::Admin;
using testing::ManagerFixture;
using testing::Member;

ImageCreate Raw(const std::string& name) {
  ImageCreate c;
  c.name = name;
  c.disk_format = "raw";
  c.container_format = "bare";
  return c;
}

absl::StatusOr<Image> UploadAll(ImageManager& m, const Caller& caller, const std::string& id,
                                const std::string& data, size_t piece = 1 << 20) {
  GUREUM_ASSIGN_OR_RETURN(std::unique_ptr<Upload> up, m.BeginUpload(caller, id));
  for (size_t off = 0; off < data.size(); off += piece) {
    GUREUM_RETURN_IF_ERROR(up->Write(data.data() + off, std::min(piece, data.size() - off)));
  }
  return up->Finish();
}

std::string ReadAll(DataReader& r) {
  std::string out;
  char buf[65536];
  for (;;) {
    size_t n = r.Read(buf, sizeof(buf)).value();
    if (n == 0) return out;
    out.append(buf, n);
  }
}

TEST_CASE("manager: upload hashes on the fly, activates, and downloads byte for byte",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  auto image = f.manager.CreateImage(alice, Raw("debian"));
  REQUIRE(image.ok());
  CHECK(image->status == kQueued);
  CHECK(image->visibility == kShared);
  CHECK(image->owner == "p1");
  std::string data = testing::RandomBytes(3 * (1 << 20) + 123);
  auto active = UploadAll(f.manager, alice, image->id, data);
  REQUIRE(active.ok());
  CHECK(active->status == kActive);
  CHECK(active->size == static_cast<int64_t>(data.size()));
  CHECK(active->virtual_size == static_cast<int64_t>(data.size()));
  CHECK(active->checksum == testing::HexDigest(EVP_md5(), data));
  CHECK(active->os_hash_algo == "sha512");
  CHECK(active->os_hash_value == testing::HexDigest(EVP_sha512(), data));
  auto got = f.manager.GetImage(alice, image->id);
  CHECK(got->os_hash_value == active->os_hash_value);
  auto dl = f.manager.OpenDownload(alice, image->id);
  REQUIRE(dl.ok());
  REQUIRE(dl->reader);
  CHECK(ReadAll(*dl->reader) == data);
  // Uploading again to an active image is a conflict.
  CHECK(absl::IsFailedPrecondition(f.manager.BeginUpload(alice, image->id).status()));
  // Deleting removes the data.
  REQUIRE(f.manager.DeleteImage(alice, image->id).ok());
  CHECK(f.StoredFiles() == 0);
}

TEST_CASE("manager: data in another format than disk_format is refused, nothing stored",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  auto image = f.manager.CreateImage(alice, Raw("fake-raw"));
  absl::Status s = UploadAll(f.manager, alice, image->id, testing::Qcow2(1 << 30)).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK_THAT(std::string(s.message()), Catch::Contains("disk_format is raw"));
  CHECK(f.manager.GetImage(alice, image->id)->status == kQueued);
  CHECK(f.StoredFiles() == 0);
}

TEST_CASE("manager: qcow2 with a backing file is refused, a clean qcow2 gets its virtual size",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  ImageCreate c = Raw("q");
  c.disk_format = "qcow2";
  auto bad = f.manager.CreateImage(alice, c);
  absl::Status s = UploadAll(f.manager, alice, bad->id, testing::Qcow2(1 << 30, true)).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(f.StoredFiles() == 0);
  auto good = f.manager.CreateImage(alice, c);
  auto active = UploadAll(f.manager, alice, good->id, testing::Qcow2(1 << 30));
  REQUIRE(active.ok());
  CHECK(active->virtual_size == (1 << 30));
}

TEST_CASE("manager: an upload cut half-way leaves the image killed and nothing stored",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  auto image = f.manager.CreateImage(alice, Raw("cut"));
  {
    auto up = f.manager.BeginUpload(alice, image->id);
    REQUIRE(up.ok());
    std::string half = testing::RandomBytes(2 << 20);
    REQUIRE((*up)->Write(half.data(), half.size()).ok());
    CHECK(f.manager.GetImage(alice, image->id)->status == kSaving);
    CHECK(f.StoredFiles() == 1);  // the partial file
  }                               // the client went away
  auto got = f.manager.GetImage(alice, image->id);
  CHECK(got->status == kKilled);
  CHECK_FALSE(got->size.has_value());
  CHECK(f.StoredFiles() == 0);
  auto dl = f.manager.OpenDownload(alice, image->id);
  REQUIRE(dl.ok());
  CHECK(dl->reader == nullptr);  // no data: REST answers 204
}

TEST_CASE("manager: another project's private image is not found, shared needs membership",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  Caller bob = Member("p2");
  ImageCreate c = Raw("secret");
  c.visibility = kPrivate;
  auto image = f.manager.CreateImage(alice, c);
  REQUIRE(UploadAll(f.manager, alice, image->id, "data").ok());
  CHECK(absl::IsNotFound(f.manager.GetImage(bob, image->id).status()));
  CHECK(absl::IsNotFound(f.manager.OpenDownload(bob, image->id).status()));
  CHECK(absl::IsNotFound(f.manager.DeleteImage(bob, image->id)));
  CHECK(absl::IsNotFound(f.manager.UpdateImage(bob, image->id, {}).status()));
  CHECK(f.manager.ListImages(bob, {}).value().empty());
  // Admin and the compute agents' service role see it.
  CHECK(f.manager.GetImage(Admin(), image->id).ok());
  auto dl = f.manager.OpenDownload(testing::Service(), image->id);
  REQUIRE(dl.ok());
  CHECK(ReadAll(*dl->reader) == "data");
  // Members only on shared images.
  CHECK(absl::IsPermissionDenied(f.manager.AddMember(alice, image->id, "p2").status()));
  ImageUpdate u;
  u.visibility = kShared;
  REQUIRE(f.manager.UpdateImage(alice, image->id, u).ok());
  REQUIRE(f.manager.AddMember(alice, image->id, "p2").ok());
  CHECK(f.manager.GetImage(bob, image->id).ok());        // pending members see it
  CHECK(f.manager.ListImages(bob, {}).value().empty());  // but it is not listed yet
  // Only the member accepts.
  CHECK(absl::IsPermissionDenied(
      f.manager.UpdateMember(alice, image->id, "p2", kMemberAccepted).status()));
  REQUIRE(f.manager.UpdateMember(bob, image->id, "p2", kMemberAccepted).ok());
  CHECK(f.manager.ListImages(bob, {}).value().size() == 1);
  // A member cannot change or delete it.
  CHECK(absl::IsPermissionDenied(f.manager.DeleteImage(bob, image->id)));
  REQUIRE(f.manager.RemoveMember(alice, image->id, "p2").ok());
  CHECK(absl::IsNotFound(f.manager.GetImage(bob, image->id).status()));
}

TEST_CASE("manager: the service role uploads into another project's queued image, nothing more",
          "[manager][policy]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  ImageCreate c = Raw("from-volume");
  c.visibility = kPrivate;
  auto image = f.manager.CreateImage(alice, c);
  REQUIRE(image.ok());
  // A member of another project may not upload, not even into a public queued image.
  ImageCreate open = Raw("open");
  auto other = f.manager.CreateImage(Admin(), open);
  REQUIRE(other.ok());
  ImageUpdate pub;
  pub.visibility = kPublic;
  REQUIRE(f.manager.UpdateImage(Admin(), other->id, pub).ok());
  CHECK(absl::IsNotFound(f.manager.BeginUpload(Member("p2"), image->id).status()));
  CHECK(absl::IsPermissionDenied(f.manager.BeginUpload(Member("p2"), other->id).status()));
  // The service role (a volume agent) uploads into alice's queued image...
  auto active = UploadAll(f.manager, testing::Service(), image->id, "volume bytes");
  REQUIRE(active.ok());
  CHECK(active->status == kActive);
  CHECK(active->owner == "p1");
  // ...but not into an active one, and it may not change or delete it.
  CHECK(absl::IsFailedPrecondition(f.manager.BeginUpload(testing::Service(), image->id).status()));
  CHECK(
      absl::IsPermissionDenied(f.manager.UpdateImage(testing::Service(), image->id, {}).status()));
  CHECK(absl::IsPermissionDenied(f.manager.DeleteImage(testing::Service(), image->id)));
}

TEST_CASE("manager: a token with no role on its project reads no image (issue 16, hole 4)",
          "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  ImageCreate priv = Raw("private");
  priv.visibility = kPrivate;
  auto own = f.manager.CreateImage(alice, priv);
  REQUIRE(own.ok());
  REQUIRE(UploadAll(f.manager, alice, own->id, "data").ok());
  ImageCreate pub = Raw("public");
  pub.visibility = kPublic;
  auto shared_pub = f.manager.CreateImage(Admin(), pub);
  REQUIRE(shared_pub.ok());
  for (const std::vector<std::string>& roles :
       {std::vector<std::string>{}, std::vector<std::string>{"heat_stack_user"}}) {
    Caller norole = Member("p1");
    norole.roles = roles;
    for (const std::string& id : {own->id, shared_pub->id}) {
      CHECK(absl::IsPermissionDenied(f.manager.GetImage(norole, id).status()));
      CHECK(absl::IsPermissionDenied(f.manager.OpenDownload(norole, id).status()));
      CHECK(absl::IsPermissionDenied(f.manager.ListMembers(norole, id).status()));
    }
    CHECK(absl::IsPermissionDenied(f.manager.ListImages(norole, {}).status()));
  }
  // A reader of the project still reads its own and public images, not others' private ones.
  Caller reader = testing::Reader("p1");
  CHECK(f.manager.GetImage(reader, own->id).ok());
  CHECK(f.manager.OpenDownload(reader, own->id).ok());
  CHECK(f.manager.GetImage(reader, shared_pub->id).ok());
  CHECK(f.manager.ListImages(reader, {}).value().size() == 2);
  CHECK(absl::IsNotFound(f.manager.GetImage(testing::Reader("p2"), own->id).status()));
}

TEST_CASE(
    "manager: names, tags and property keys are at most 255 characters, without NUL "
    "(issue 16, hole 9)",
    "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  ImageCreate c = Raw(std::string(256, 'n'));
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, c).status()));
  c = Raw(std::string("a\0b", 3));
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, c).status()));
  c = Raw("ok");
  c.tags = {std::string(256, 't')};
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, c).status()));
  c = Raw("ok");
  c.properties = {{std::string(256, 'k'), "v"}};
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, c).status()));
  c = Raw("ok");
  c.properties = {{"k", std::string("x\0y", 3)}};
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, c).status()));
  auto image = f.manager.CreateImage(alice, Raw(std::string(255, 'n')));
  REQUIRE(image.ok());
  CHECK(absl::IsInvalidArgument(f.manager.AddTag(alice, image->id, std::string("t\0", 2))));
  ImageUpdate u;
  u.name = std::string(900 * 1024, 'n');
  absl::Status s = f.manager.UpdateImage(alice, image->id, u).status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message().size() < 200);
}

TEST_CASE(
    "manager: protected images cannot be deleted; only admins publicize; readers "
    "cannot create",
    "[manager]") {
  ManagerFixture f;
  Caller alice = Member("p1");
  ImageCreate c = Raw("keep");
  c.is_protected = true;
  auto image = f.manager.CreateImage(alice, c);
  absl::Status s = f.manager.DeleteImage(alice, image->id);
  CHECK(absl::IsPermissionDenied(s));
  CHECK_THAT(std::string(s.message()), Catch::Contains("protected"));
  ImageUpdate u;
  u.visibility = kPublic;
  CHECK(absl::IsPermissionDenied(f.manager.UpdateImage(alice, image->id, u).status()));
  CHECK(f.manager.UpdateImage(Admin(), image->id, u).ok());
  ImageCreate pub = Raw("pub");
  pub.visibility = kPublic;
  CHECK(absl::IsPermissionDenied(f.manager.CreateImage(alice, pub).status()));
  CHECK(absl::IsPermissionDenied(f.manager.CreateImage(testing::Reader("p1"), Raw("r")).status()));
  ImageCreate other = Raw("for-p2");
  other.owner = "p2";
  CHECK(absl::IsPermissionDenied(f.manager.CreateImage(alice, other).status()));
  auto for_p2 = f.manager.CreateImage(Admin(), other);
  REQUIRE(for_p2.ok());
  CHECK(for_p2->owner == "p2");
  CHECK(f.manager.GetImage(Member("p2"), for_p2->id).ok());
  ImageCreate bad = Raw("bad");
  bad.disk_format = "qcow3";
  CHECK(absl::IsInvalidArgument(f.manager.CreateImage(alice, bad).status()));
  u = {};
  u.is_protected = false;
  REQUIRE(f.manager.UpdateImage(alice, image->id, u).ok());
  CHECK(f.manager.DeleteImage(alice, image->id).ok());
}

TEST_CASE("manager: quotas on image count and total bytes answer with the usage", "[manager]") {
  ImageManagerOptions o;
  o.image_count_quota = 2;
  o.image_size_total_quota = 3 << 20;
  ManagerFixture f(o);
  Caller alice = Member("p1");
  auto a = f.manager.CreateImage(alice, Raw("a"));
  auto b = f.manager.CreateImage(alice, Raw("b"));
  absl::Status s = f.manager.CreateImage(alice, Raw("c")).status();
  CHECK(absl::IsResourceExhausted(s));
  CHECK_THAT(std::string(s.message()), Catch::Contains("usage: 2 images of 2"));
  REQUIRE(UploadAll(f.manager, alice, a->id, testing::RandomBytes(2 << 20)).ok());
  s = UploadAll(f.manager, alice, b->id, testing::RandomBytes(2 << 20)).status();
  CHECK(absl::IsResourceExhausted(s));
  CHECK_THAT(std::string(s.message()), Catch::Contains("image_size_total_quota"));
  CHECK(f.manager.GetImage(alice, b->id)->status == kQueued);
  CHECK(f.StoredFiles() == 1);
  auto usage = f.manager.GetUsage(alice);
  CHECK(usage->image_count == 2);
  CHECK(usage->total_bytes == (2 << 20));
}

}  // namespace
}  // namespace gureum::image
