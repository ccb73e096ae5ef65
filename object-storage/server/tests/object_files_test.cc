#include "object-storage/server/object_files.h"

#include <xxhash.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "absl/strings/str_format.h"
#include "common/testing/test_env.h"
#include "object-storage/server/content_check.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

struct Devices {
  Devices() : root(std::filesystem::temp_directory_path() / testing::UniqueName("objfiles")) {
    std::filesystem::create_directories(root / "d1");
  }
  ~Devices() { std::filesystem::remove_all(root); }
  std::filesystem::path root;
};

Timestamp Ts(const char* text) { return *Timestamp::Parse(text); }

absl::Status Put(ObjectFiles& files, const ObjectLocation& where, const std::string& data,
                 const char* ts, std::string etag = "") {
  auto writer = files.Create(where);
  if (!writer.ok()) return writer.status();
  if (absl::Status s = (*writer)->Append(data.data(), data.size()); !s.ok()) return s;
  ObjectMeta meta;
  meta.name = where.name;
  meta.timestamp = Ts(ts);
  meta.content_type = "text/plain";
  meta.etag = std::move(etag);
  meta.headers = {{"X-Object-Meta-Color", "blue"}};
  return (*writer)->Commit(meta);
}

std::string ReadAll(const ObjectReader& r) {
  std::string out(static_cast<size_t>(r.meta().size), '\0');
  REQUIRE(*r.ReadAt(out.data(), out.size(), 0) == out.size());
  return out;
}

TEST_CASE("object files: written, read back with metadata, newer timestamps win", "[object]") {
  Devices dev;
  ObjectFiles files(dev.root.string());
  const ObjectLocation where{"d1", 7, "/a/c/o"};
  REQUIRE(Put(files, where, "hello", "100.00000").ok());
  absl::StatusOr<ObjectState> state = files.Open(where);
  REQUIRE(state.ok());
  REQUIRE(state->reader != nullptr);
  const ObjectMeta& m = state->reader->meta();
  CHECK(m.size == 5);
  CHECK(m.etag == Md5Hex("hello"));
  CHECK(m.content_type == "text/plain");
  CHECK(m.headers.at("X-Object-Meta-Color") == "blue");
  CHECK(ReadAll(*state->reader) == "hello");
  char two[2];
  CHECK(*state->reader->ReadAt(two, 2, 3) == 2);
  CHECK(std::string(two, 2) == "lo");

  // Older or equal: refused, the data stays.
  CHECK(absl::IsFailedPrecondition(Put(files, where, "old", "99.00000")));
  CHECK(absl::IsFailedPrecondition(Put(files, where, "same", "100.00000")));
  REQUIRE(Put(files, where, "newer", "101.00000").ok());
  CHECK(ReadAll(*files.Open(where)->reader) == "newer");
  // One file left in the hash directory (the older one is cleaned up).
  int n = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(files.HashDir(where))) ++n;
  CHECK(n == 1);
}

TEST_CASE("object files: reads check the bytes by XXH3, older objects by their ETag", "[object]") {
  Devices dev;
  ObjectFiles files(dev.root.string());
  const ObjectLocation where{"d1", 7, "/a/c/o"};
  REQUIRE(Put(files, where, "hello", "100.00000").ok());
  absl::StatusOr<ObjectState> state = files.Open(where);
  REQUIRE(state.ok());
  const ObjectMeta& m = state->reader->meta();
  CHECK(m.etag == Md5Hex("hello"));  // the ETag stays MD5, as Swift's API defines it
  CHECK(m.xxh3 == absl::StrFormat("%016x", XXH3_64bits("hello", 5)));
  CHECK(CheckObject(*state->reader, nullptr).ok());

  // The checks: by XXH3 when the object has one (whatever the ETag says), else by the ETag.
  ObjectMeta recorded = m;
  recorded.etag = "not-consulted";
  ContentCheck by_xxh3(recorded);
  by_xxh3.Update("hel", 3);
  by_xxh3.Update("lo", 2);
  CHECK(by_xxh3.Matches());
  ContentCheck changed(recorded);
  changed.Update("hellp", 5);
  CHECK_FALSE(changed.Matches());
  ObjectMeta older = m;
  older.xxh3.clear();
  ContentCheck by_etag(older);
  by_etag.Update("hello", 5);
  CHECK(by_etag.Matches());
  ContentCheck etag_changed(older);
  etag_changed.Update("jello", 5);
  CHECK_FALSE(etag_changed.Matches());

  // A byte changed on disk: the check fails.
  std::string data_file;
  for (auto& e : std::filesystem::directory_iterator(files.HashDir(where))) data_file = e.path();
  {
    std::FILE* f = std::fopen(data_file.c_str(), "r+b");
    REQUIRE(f != nullptr);
    std::fputc('J', f);
    std::fclose(f);
  }
  CHECK(absl::IsDataLoss(CheckObject(*files.Open(where)->reader, nullptr)));
}

TEST_CASE("object files: etag mismatch, missing device, tombstones, posts", "[object]") {
  Devices dev;
  ObjectFiles files(dev.root.string());
  const ObjectLocation where{"d1", 1, "/a/c/dir/o"};
  CHECK(absl::IsInvalidArgument(Put(files, where, "x", "100", Md5Hex("y"))));
  CHECK(files.Open(where)->reader == nullptr);
  CHECK(absl::IsNotFound(Put(files, {"nope", 1, "/a/c/o"}, "x", "100")));
  REQUIRE(Put(files, where, "x", "100", Md5Hex("x")).ok());

  REQUIRE(files.Post(where, Ts("101"), {{"X-Object-Meta-A", "1"}}, 2000000000).ok());
  absl::StatusOr<ObjectState> posted = files.Open(where);
  CHECK(posted->reader->meta().headers.size() == 1);  // replaced, not merged
  CHECK(posted->reader->meta().headers.at("X-Object-Meta-A") == "1");
  CHECK(posted->reader->meta().delete_at == 2000000000);
  CHECK(absl::IsFailedPrecondition(files.Post(where, Ts("100.5"), {}, 0)));

  CHECK(absl::IsFailedPrecondition(files.Delete(where, Ts("99"))));
  REQUIRE(files.Delete(where, Ts("102")).ok());
  absl::StatusOr<ObjectState> gone = files.Open(where);
  CHECK(gone->reader == nullptr);
  CHECK(gone->deleted);
  CHECK(gone->timestamp == Ts("102"));
  CHECK(absl::IsNotFound(files.Post(where, Ts("103"), {}, 0)));
  // A PUT after the delete brings it back.
  REQUIRE(Put(files, where, "back", "103").ok());
  CHECK(ReadAll(*files.Open(where)->reader) == "back");
}

}  // namespace
}  // namespace gureum::object
