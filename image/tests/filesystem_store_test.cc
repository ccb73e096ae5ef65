#include "image/filesystem_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include <catch2/catch.hpp>
#include <sys/mount.h>

#include "common/testing/test_env.h"

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

TEST_CASE("filesystem store: nothing is visible until commit, a dropped writer leaves nothing",
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

// Writes `total` bytes of a known pattern in uneven pieces and reads them back whole:
// covers the direct-I/O buffer boundaries and the unaligned tail written at Commit.
void RoundTrip(const std::string& dir, size_t total) {
  auto store = FilesystemStore::Create(dir);
  REQUIRE(store.ok());
  std::string data(total, '\0');
  for (size_t i = 0; i < total; ++i) data[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  auto w = (*store)->NewWriter("round-trip");
  REQUIRE(w.ok());
  const size_t pieces[] = {1, 4095, 700000, 1 << 20, 513, 3 << 20};
  for (size_t off = 0, k = 0; off < total; ++k) {
    size_t n = std::min(pieces[k % 6], total - off);
    REQUIRE((*w)->Write(data.data() + off, n).ok());
    off += n;
  }
  auto location = (*w)->Commit();
  REQUIRE(location.ok());
  CHECK(std::filesystem::file_size(dir + "/round-trip") == total);
  auto r = (*store)->NewReader(*location);
  REQUIRE(r.ok());
  std::string back;
  std::vector<char> buf(300000);
  for (;;) {
    auto n = (*r)->Read(buf.data(), buf.size());
    REQUIRE(n.ok());
    if (*n == 0) break;
    back.append(buf.data(), *n);
  }
  CHECK(back.size() == total);
  CHECK(back == data);
  std::filesystem::remove_all(dir);
}

TEST_CASE("filesystem store: data of any length comes back byte for byte", "[fs]") {
  for (size_t total :
       {size_t{0}, size_t{4096}, size_t{1} << 20, (size_t{5} << 20) + 1234, size_t{8} << 20}) {
    INFO("bytes " << total);
    RoundTrip(TempDir(), total);
    if (std::filesystem::is_directory("/dev/shm")) {  // tmpfs (O_DIRECT since Linux 6.6)
      RoundTrip("/dev/shm/" + gureum::testing::UniqueName("image-store"), total);
    }
  }
}

TEST_CASE("filesystem store: a filesystem without direct I/O gets buffered writes", "[fs]") {
  // ramfs refuses O_DIRECT with EINVAL (tmpfs no longer does), so the store must fall back
  // to buffered writes with write-behind. Mounting needs root.
  if (::geteuid() != 0) {
    WARN("not root: cannot mount a ramfs; the buffered fallback is not exercised");
    return;
  }
  std::string mnt = TempDir();
  std::filesystem::create_directories(mnt);
  REQUIRE(::mount("none", mnt.c_str(), "ramfs", 0, nullptr) == 0);
  std::string probe = mnt + "/probe";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_DIRECT, 0600);
  CHECK(fd < 0);  // the premise: this filesystem has no direct I/O
  if (fd >= 0) ::close(fd);
  ::unlink(probe.c_str());
  for (size_t total : {size_t{0}, size_t{4097}, (size_t{9} << 20) + 1234, size_t{24} << 20}) {
    INFO("bytes " << total);
    RoundTrip(mnt + "/store", total);
  }
  CHECK(::umount(mnt.c_str()) == 0);
  std::filesystem::remove_all(mnt);
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
