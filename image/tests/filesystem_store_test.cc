#include <catch2/catch.hpp>

#include <filesystem>

#include "common/testing/test_env.h"
#include "image/filesystem_store.h"

namespace gureum::image {
namespace {

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

std::string TempDir() {
  return (std::filesystem::temp_directory_path() / gureum::testing::UniqueName("image-store"))
      .string();
}

TEST_CASE("filesystem store: nothing is visible until commit; a dropped writer leaves nothing",
          "[fs]") {
  std::string dir = TempDir();
  auto store = FilesystemStore::Create(dir);
  REQUIRE(store.ok());
  {
    auto w = (*store)->NewWriter("abc-1");
    REQUIRE(w.ok());
    REQUIRE((*w)->Write("hello", 5).ok());
    CHECK(FilesIn(dir) == 1);  // the .partial file
  }
  CHECK(FilesIn(dir) == 0);

  auto w = (*store)->NewWriter("abc-2");
  REQUIRE((*w)->Write("hello ", 6).ok());
  REQUIRE((*w)->Write("world", 5).ok());
  auto location = (*w)->Commit();
  REQUIRE(location.ok());
  CHECK(*location == "file://" + dir + "/abc-2");
  w->reset();
  CHECK(FilesIn(dir) == 1);
  auto r = (*store)->NewReader(*location);
  REQUIRE(r.ok());
  char buf[64];
  auto n = (*r)->Read(buf, sizeof(buf));
  CHECK(std::string(buf, *n) == "hello world");
  CHECK((*r)->Read(buf, sizeof(buf)).value() == 0);
  REQUIRE((*store)->Delete(*location).ok());
  CHECK((*store)->Delete(*location).ok());  // idempotent
  CHECK(FilesIn(dir) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("filesystem store: locations outside the directory are refused", "[fs]") {
  std::string dir = TempDir();
  auto store = FilesystemStore::Create(dir);
  REQUIRE(store.ok());
  CHECK(absl::IsInvalidArgument((*store)->NewReader("file:///etc/passwd").status()));
  CHECK(absl::IsInvalidArgument((*store)->NewReader("file://" + dir + "/../x").status()));
  CHECK(absl::IsInvalidArgument((*store)->NewWriter("../evil").status()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gureum::image
