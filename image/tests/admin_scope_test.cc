// One meaning of admin (issue 16, hole 5): the admin role on one project (what a domain
// admin can grant) is not a cloud admin. Only the admin on the admin project (the token's
// is_admin_project) sees and deletes other projects' private images, unless [policy]
// legacy_admin brings back OpenStack's legacy rule. Runs on the fake store and PostgreSQL.
#include <catch2/catch.hpp>

#include "image/tests/manager_fixture.h"
#include "image/tests/test_util.h"

namespace gureum::image {
namespace {

using testing::Admin;
using testing::AdminOf;
using testing::ManagerFixture;
using testing::Member;

std::string PrivateImage(ImageManager& m, const Caller& owner) {
  ImageCreate c;
  c.name = "secret";
  c.disk_format = "raw";
  c.container_format = "bare";
  c.visibility = kPrivate;
  auto image = m.CreateImage(owner, c);
  REQUIRE(image.ok());
  return image->id;
}

TEST_CASE("admin scope: an admin of one project neither lists nor deletes another's image",
          "[manager]") {
  ManagerFixture f;
  const std::string id = PrivateImage(f.manager, Member("p1"));
  const Caller c_admin = AdminOf("p3");
  CHECK(f.manager.ListImages(c_admin, {}).value().empty());
  CHECK(absl::IsNotFound(f.manager.GetImage(c_admin, id).status()));
  CHECK(absl::IsNotFound(f.manager.DeleteImage(c_admin, id)));
  ImageUpdate u;
  u.visibility = kPublic;
  CHECK_FALSE(f.manager.UpdateImage(c_admin, id, u).ok());
  CHECK(f.manager.GetImage(Member("p1"), id).ok());

  // admin-openrc (the admin project) is the cloud admin.
  CHECK(f.manager.ListImages(Admin(), {}).value().size() == 1);
  CHECK(f.manager.DeleteImage(Admin(), id).ok());
}

TEST_CASE("admin scope: with [policy] legacy_admin an admin of any project sees every image",
          "[manager]") {
  ManagerFixture f({}, {.legacy_admin = true});
  const std::string id = PrivateImage(f.manager, Member("p1"));
  const Caller c_admin = AdminOf("p3");
  CHECK(f.manager.ListImages(c_admin, {}).value().size() == 1);
  CHECK(f.manager.GetImage(c_admin, id).ok());
  CHECK(f.manager.DeleteImage(c_admin, id).ok());
}

}  // namespace
}  // namespace gureum::image
