// The SessionStore contract (session_store.h) on both stores, MemorySessionStore and
// FileSessionStore; then what only the file store does: sessions survive a reopen, the
// file is sealed (no token in it, mode 0600), and a file under another key is refused.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <sstream>

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "dashboard/file_session_store.h"
#include "dashboard/memory_session_store.h"

namespace gureum::dashboard {
namespace {

namespace fs = std::filesystem;

Session At(const std::string& id, absl::Time seen) {
  Session s;
  s.id = id;
  s.csrf_token = "csrf-" + id;
  s.last_seen = seen;
  return s;
}

// A folder of its own, removed with it.
struct TempDir {
  TempDir() {
    static std::atomic<int> seq{0};
    path = fs::temp_directory_path() /
           ("dash-sessions-" + std::to_string(::getpid()) + "-" + std::to_string(++seq));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

std::unique_ptr<FileSessionStore> OpenFile(const fs::path& dir,
                                           absl::Duration touch = absl::Minutes(1)) {
  auto store = FileSessionStore::Open((dir / "sessions").string(), touch);
  REQUIRE(store.ok());
  return *std::move(store);
}

// Runs `test` on a memory store and on a file store.
void OnBothStores(const std::function<void(SessionStore&)>& test) {
  {
    INFO("MemorySessionStore");
    MemorySessionStore memory;
    test(memory);
  }
  {
    INFO("FileSessionStore");
    TempDir dir;
    test(*OpenFile(dir.path));
  }
}

TEST_CASE("SessionStore: put replaces, get copies, unknown ids are NotFound") {
  OnBothStores([](SessionStore& store) {
    const absl::Time t = absl::FromUnixSeconds(1000);
    REQUIRE(store.Put(At("a", t)).ok());
    CHECK(store.Get("a")->csrf_token == "csrf-a");
    Session changed = At("a", t + absl::Seconds(5));
    changed.csrf_token = "other";
    REQUIRE(store.Put(changed).ok());
    CHECK(store.Get("a")->csrf_token == "other");
    CHECK(absl::IsNotFound(store.Get("b").status()));
  });
}

TEST_CASE("SessionStore: delete is idempotent") {
  OnBothStores([](SessionStore& store) {
    REQUIRE(store.Put(At("a", absl::UnixEpoch())).ok());
    CHECK(store.Delete("a").ok());
    CHECK(store.Delete("a").ok());
    CHECK(store.Delete("never").ok());
    CHECK(absl::IsNotFound(store.Get("a").status()));
  });
}

TEST_CASE("SessionStore: TakeIdle removes and returns exactly those seen before the cutoff") {
  OnBothStores([](SessionStore& store) {
    const absl::Time t = absl::FromUnixSeconds(1000);
    REQUIRE(store.Put(At("old", t)).ok());
    REQUIRE(store.Put(At("edge", t + absl::Seconds(10))).ok());
    REQUIRE(store.Put(At("new", t + absl::Seconds(20))).ok());
    std::vector<Session> idle = store.TakeIdle(t + absl::Seconds(10));
    REQUIRE(idle.size() == 1);
    CHECK(idle[0].id == "old");
    CHECK(absl::IsNotFound(store.Get("old").status()));
    CHECK(store.Get("edge").ok());
    CHECK(store.Get("new").ok());
    CHECK(store.TakeIdle(t).empty());
  });
}

Session Full(const std::string& id, absl::Time seen) {
  Session s = At(id, seen);
  s.unscoped = {.value = "gAAAA-unscoped-secret", .user_id = "u1", .user_name = "alice"};
  s.scoped = {.value = "gAAAA-scoped-secret",
              .user_id = "u1",
              .user_name = "alice",
              .domain_id = "default",
              .project = {"p1", "demo", "default"},
              .roles = {"member", "reader"},
              .endpoints = {{"compute", "http://ctl:8774/v2.1"}},
              .expires_at = absl::FromUnixSeconds(5000)};
  s.projects = {{"p1", "demo", "default"}, {"p2", "demo2", "default"}};
  s.created_at = seen - absl::Minutes(1);
  return s;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("FileSessionStore: sessions survive a reopen, sealed in a 0600 file") {
  TempDir dir;
  const absl::Time t = absl::FromUnixSeconds(2000);
  {
    auto store = OpenFile(dir.path);
    REQUIRE(store->Put(Full("a", t)).ok());
    REQUIRE(store->Put(Full("b", t)).ok());
    REQUIRE(store->Delete("b").ok());
  }
  const std::string raw = Slurp(dir.path / "sessions");
  CHECK(raw.find("secret") == std::string::npos);  // no token in the clear
  CHECK(raw.find("alice") == std::string::npos);
  struct stat st {};
  REQUIRE(::stat((dir.path / "sessions").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((dir.path / "sessions.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto again = OpenFile(dir.path);
  auto a = again->Get("a");
  REQUIRE(a.ok());
  CHECK(a->scoped.value == "gAAAA-scoped-secret");
  CHECK(a->unscoped.value == "gAAAA-unscoped-secret");
  CHECK(a->scoped.project.name == "demo");
  CHECK(a->scoped.roles == std::vector<std::string>{"member", "reader"});
  CHECK(a->scoped.endpoints.at("compute") == "http://ctl:8774/v2.1");
  CHECK(a->scoped.expires_at == absl::FromUnixSeconds(5000));
  CHECK(a->unscoped.expires_at == absl::InfiniteFuture());
  CHECK(a->projects.size() == 2);
  CHECK(a->last_seen == t);
  CHECK(a->created_at == t - absl::Minutes(1));
  CHECK(absl::IsNotFound(again->Get("b").status()));
}

TEST_CASE("FileSessionStore: a last_seen touch is written only past the touch interval") {
  TempDir dir;
  const absl::Time t = absl::FromUnixSeconds(2000);
  {
    auto store = OpenFile(dir.path, absl::Minutes(1));
    REQUIRE(store->Put(Full("a", t)).ok());
    REQUIRE(store->Put(Full("a", t + absl::Seconds(30))).ok());  // kept in memory only
    CHECK(store->Get("a")->last_seen == t + absl::Seconds(30));
  }
  CHECK(OpenFile(dir.path)->Get("a")->last_seen == t);
  {
    auto store = OpenFile(dir.path, absl::Minutes(1));
    REQUIRE(store->Put(Full("a", t + absl::Seconds(61))).ok());  // written
    Session switched = Full("a", t + absl::Seconds(62));
    switched.scoped.value = "gAAAA-rescoped";
    REQUIRE(store->Put(switched).ok());  // a new token: written at once
  }
  auto reopened = OpenFile(dir.path);
  CHECK(reopened->Get("a")->scoped.value == "gAAAA-rescoped");
  CHECK(reopened->Get("a")->last_seen == t + absl::Seconds(62));
}

TEST_CASE("FileSessionStore: a file sealed under another key, or changed, is refused") {
  TempDir dir;
  {
    auto store = OpenFile(dir.path);
    REQUIRE(store->Put(Full("a", absl::FromUnixSeconds(2000))).ok());
  }
  const std::string sealed = Slurp(dir.path / "sessions");
  fs::remove(dir.path / "sessions.key");  // a new key on the next open
  CHECK(absl::IsNotFound(OpenFile(dir.path)->Get("a").status()));

  TempDir other;
  { OpenFile(other.path)->Put(Full("x", absl::FromUnixSeconds(1))).IgnoreError(); }
  std::string flipped = Slurp(other.path / "sessions");
  flipped[flipped.size() - 1] ^= 1;
  std::ofstream(other.path / "sessions", std::ios::binary | std::ios::trunc) << flipped;
  CHECK(absl::IsNotFound(OpenFile(other.path)->Get("x").status()));

  std::ofstream(dir.path / "sessions.key", std::ios::binary | std::ios::trunc) << "short";
  CHECK(absl::IsFailedPrecondition(
      FileSessionStore::Open((dir.path / "sessions").string(), absl::Minutes(1)).status()));
}

}  // namespace
}  // namespace gureum::dashboard
