// The object storage DataStore (issue 19) on a fake client: small images as one object,
// large ones as segments and a manifest, bounded memory both ways, abandoned uploads and
// deletions leave nothing.
#include "image/object_data_store.h"

#include <random>

#include <catch2/catch.hpp>

#include "image/fake_object_storage_client.h"

namespace gureum::image {
namespace {

std::string Bytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::mt19937 random(seed);
  for (char& c : s) c = static_cast<char>(random());
  return s;
}

// Writes `data` in pieces of `piece` bytes and commits; the location.
std::string Store(DataStore& store, const std::string& id, const std::string& data, size_t piece) {
  auto w = store.NewWriter(id);
  REQUIRE(w.ok());
  for (size_t at = 0; at < data.size(); at += piece) {
    REQUIRE((*w)->Write(data.data() + at, std::min(piece, data.size() - at)).ok());
  }
  auto location = (*w)->Commit();
  REQUIRE(location.ok());
  return *location;
}

std::string ReadAll(DataStore& store, const std::string& location, size_t cap = 1000) {
  auto r = store.NewReader(location);
  REQUIRE(r.ok());
  std::string out, buf(cap, '\0');
  for (;;) {
    auto n = (*r)->Read(buf.data(), buf.size());
    REQUIRE(n.ok());
    if (*n == 0) return out;
    out.append(buf.data(), *n);
  }
}

std::vector<std::string> Listed(FakeObjectStorageClient& client) {
  auto names = client.ListObjects("glance", "");
  REQUIRE(names.ok());
  return *names;
}

TEST_CASE("object data store: a small image is one object named by its id", "[object_store]") {
  FakeObjectStorageClient client;
  ObjectDataStore store(client, {.segment_bytes = 4096, .read_bytes = 1000});
  const std::string data = Bytes(4096, 1);  // exactly one segment: still one object
  const std::string location = Store(store, "img-1", data, 700);
  CHECK(location == "object://glance/img-1");
  CHECK(Listed(client) == std::vector<std::string>{"img-1"});
  CHECK(ReadAll(store, location) == data);
  CHECK(client.largest_range() == 1000);

  const std::string empty = Store(store, "img-0", "", 1);
  CHECK(ReadAll(store, empty).empty());

  REQUIRE(store.Delete(location).ok());
  REQUIRE(store.Delete(empty).ok());
  CHECK(Listed(client).empty());
  CHECK(store.Delete(location).ok());  // deleting again is fine
}

TEST_CASE("object data store: a large image is segments and a manifest, read back in ranges",
          "[object_store]") {
  FakeObjectStorageClient client;
  ObjectDataStore store(client, {.segment_bytes = 4096, .read_bytes = 1500});
  const std::string data = Bytes(3 * 4096 + 10, 2);
  const std::string location = Store(store, "img-2", data, 1000);
  CHECK(location == "object://glance/img-2?segments=4");
  CHECK(Listed(client) == std::vector<std::string>{"img-2", "img-2-00001", "img-2-00002",
                                                   "img-2-00003", "img-2-00004"});
  CHECK(client.largest_put() == 4096);  // never more than one segment in memory
  CHECK(ReadAll(store, location, 333) == data);
  // The manifest reads as the whole image, as a swift client downloads it.
  auto whole = client.GetRange("glance", "img-2", 0, 1 << 20);
  REQUIRE(whole.ok());
  CHECK(whole->data == data);

  REQUIRE(store.Delete(location).ok());
  CHECK(Listed(client).empty());
}

TEST_CASE("object data store: an abandoned or failed upload leaves no objects", "[object_store]") {
  FakeObjectStorageClient client;
  ObjectDataStore store(client, {.segment_bytes = 100});
  {
    auto w = store.NewWriter("img-3");
    REQUIRE(w.ok());
    const std::string data = Bytes(350, 3);
    REQUIRE((*w)->Write(data.data(), data.size()).ok());
    CHECK(Listed(client).size() == 3);  // segments already sent
  }
  CHECK(Listed(client).empty());

  auto w = store.NewWriter("img-4");
  REQUIRE(w.ok());
  const std::string data = Bytes(250, 4);
  REQUIRE((*w)->Write(data.data(), data.size()).ok());
  client.FailNext(absl::UnavailableError("proxy down"));
  CHECK((*w)->Commit().status().code() == absl::StatusCode::kUnavailable);
  w->reset();
  CHECK(Listed(client).empty());
}

TEST_CASE("object data store: bad locations and missing objects are errors", "[object_store]") {
  FakeObjectStorageClient client;
  ObjectDataStore store(client, {});
  CHECK(store.NewReader("file:///var/lib/x").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(store.NewReader("object://glance/x?segments=0").status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(store.Delete("object://glance").code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(client.EnsureContainer("glance").ok());
  auto r = store.NewReader("object://glance/missing");
  REQUIRE(r.ok());
  char buf[10];
  CHECK((*r)->Read(buf, sizeof buf).status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gureum::image
