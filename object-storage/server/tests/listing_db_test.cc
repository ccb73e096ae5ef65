#include "object-storage/server/listing_db.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "common/testing/test_env.h"

namespace gureum::object {
namespace {

Timestamp At(const char* text) { return *Timestamp::Parse(text); }

struct TempDb {
  TempDb() : dir(std::filesystem::temp_directory_path() / testing::UniqueName("listing")) {}
  ~TempDb() { std::filesystem::remove_all(dir); }
  std::string Path() const { return (dir / "x" / "c.db").string(); }
  std::filesystem::path dir;
};

std::vector<std::string> Names(const ListingDb& db, ListingQuery q) {
  std::vector<std::string> out;
  absl::StatusOr<std::vector<ListingEntry>> rows = db.List(q);
  REQUIRE(rows.ok());
  for (const ListingEntry& e : *rows) out.push_back(e.subdir ? "[" + e.name + "]" : e.name);
  return out;
}

ListingEntry Row(const std::string& name, const char* ts, int64_t size, bool deleted = false) {
  ListingEntry e;
  e.name = name;
  e.timestamp = At(ts);
  e.size = size;
  e.content_type = "text/plain";
  e.etag = "e";
  e.deleted = deleted;
  return e;
}

TEST_CASE("listing db: rows, totals, newest wins, delete only when empty", "[object]") {
  TempDb t;
  ListingDb db(t.Path());
  CHECK(absl::IsNotFound(db.Info().status()));
  CHECK(absl::IsNotFound(db.Put(Row("a", "1", 1))));
  REQUIRE(db.Initialize(At("1"), {{"X-Container-Meta-A", "1"}}, {}).ok());
  REQUIRE(db.Put(Row("a", "2", 10)).ok());
  REQUIRE(db.Put(Row("b", "2", 5)).ok());
  REQUIRE(db.Put(Row("a", "3", 20)).ok());  // replaces a
  REQUIRE(db.Put(Row("b", "1", 99)).ok());  // older: ignored
  ListingInfo info = *db.Info();
  CHECK(info.count == 2);
  CHECK(info.bytes == 25);
  CHECK(info.headers.at("X-Container-Meta-A") == "1");
  CHECK(absl::IsFailedPrecondition(db.MarkDeleted(At("4"))));
  REQUIRE(db.Put(Row("a", "4", 0, true)).ok());
  REQUIRE(db.Put(Row("b", "4", 0, true)).ok());
  info = *db.Info();
  CHECK(info.count == 0);
  CHECK(info.bytes == 0);
  REQUIRE(
      db.UpdateHeaders(At("4"), {{"X-Container-Meta-A", ""}, {"X-Container-Read", ".r:*"}}).ok());
  info = *db.Info();
  CHECK(info.headers.size() == 1);
  REQUIRE(db.MarkDeleted(At("5")).ok());
  CHECK(db.Info()->deleted());
  REQUIRE(db.Initialize(At("6"), {}, {}).ok());  // created again
  CHECK_FALSE(db.Info()->deleted());
}

TEST_CASE("listing db: prefix, delimiter, markers, limit, reverse", "[object]") {
  TempDb t;
  ListingDb db(t.Path());
  REQUIRE(db.Initialize(At("1"), {}, {}).ok());
  for (const char* n : {"a", "b/1", "b/2", "b/c/3", "c", "d/", "e"})
    REQUIRE(db.Put(Row(n, "2", 1)).ok());
  REQUIRE(db.Put(Row("gone", "3", 1, true)).ok());
  using V = std::vector<std::string>;
  CHECK(Names(db, {}) == V{"a", "b/1", "b/2", "b/c/3", "c", "d/", "e"});
  CHECK(Names(db, {.prefix = "b/"}) == V{"b/1", "b/2", "b/c/3"});
  CHECK(Names(db, {.delimiter = "/"}) == V{"a", "[b/]", "c", "d/", "e"});
  // Paging: the common prefix given back as the marker is not listed again.
  CHECK(Names(db, {.delimiter = "/", .marker = "b/"}) == V{"c", "d/", "e"});
  CHECK(Names(db, {.prefix = "b/", .delimiter = "/", .marker = "b/c/"}).empty());
  CHECK(Names(db, {.prefix = "b/", .delimiter = "/"}) == V{"b/1", "b/2", "[b/c/]"});
  CHECK(Names(db, {.marker = "b/2"}) == V{"b/c/3", "c", "d/", "e"});
  CHECK(Names(db, {.end_marker = "c"}) == V{"a", "b/1", "b/2", "b/c/3"});
  CHECK(Names(db, {.limit = 2}) == V{"a", "b/1"});
  CHECK(Names(db, {.delimiter = "/", .limit = 3}) == V{"a", "[b/]", "c"});
  CHECK(Names(db, {.reverse = true}) == V{"e", "d/", "c", "b/c/3", "b/2", "b/1", "a"});
  CHECK(Names(db, {.delimiter = "/", .reverse = true}) == V{"e", "d/", "c", "[b/]", "a"});
  CHECK(Names(db, {.prefix = "b/", .reverse = true}) == V{"b/c/3", "b/2", "b/1"});
  CHECK(Names(db, {.marker = "c", .end_marker = "a", .reverse = true}) == V{"b/c/3", "b/2", "b/1"});
}

TEST_CASE("listing db: pooled connections are reused and see every change", "[object]") {
  TempDb t;
  ListingConnections pool(2);
  ListingDb db(t.Path(), &pool);
  CHECK(absl::IsNotFound(db.Info().status()));
  REQUIRE(db.Initialize(At("1"), {}, {}).ok());
  for (int i = 0; i < 20; ++i) REQUIRE(db.Put(Row("o" + std::to_string(i), "2", 1)).ok());
  ListingDb other(t.Path(), &pool);
  CHECK(other.Info()->count == 20);
  CHECK(absl::IsFailedPrecondition(other.MarkDeleted(At("3"))));
  ListingDb unpooled(t.Path());
  CHECK(unpooled.Info()->count == 20);
}

}  // namespace
}  // namespace gureum::object
