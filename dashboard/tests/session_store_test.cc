// The SessionStore contract (session_store.h) on MemorySessionStore, the one
// implementation so far; a shared store would run these same cases.
#include <catch2/catch.hpp>

#include "dashboard/memory_session_store.h"

namespace gureum::dashboard {
namespace {

Session At(const std::string& id, absl::Time seen) {
  Session s;
  s.id = id;
  s.csrf_token = "csrf-" + id;
  s.last_seen = seen;
  return s;
}

TEST_CASE("SessionStore: put replaces, get copies, unknown ids are NotFound") {
  MemorySessionStore store;
  const absl::Time t = absl::FromUnixSeconds(1000);
  REQUIRE(store.Put(At("a", t)).ok());
  CHECK(store.Get("a")->csrf_token == "csrf-a");
  Session changed = At("a", t + absl::Seconds(5));
  changed.csrf_token = "other";
  REQUIRE(store.Put(changed).ok());
  CHECK(store.Get("a")->csrf_token == "other");
  CHECK(absl::IsNotFound(store.Get("b").status()));
}

TEST_CASE("SessionStore: delete is idempotent") {
  MemorySessionStore store;
  REQUIRE(store.Put(At("a", absl::UnixEpoch())).ok());
  CHECK(store.Delete("a").ok());
  CHECK(store.Delete("a").ok());
  CHECK(store.Delete("never").ok());
  CHECK(absl::IsNotFound(store.Get("a").status()));
}

TEST_CASE("SessionStore: TakeIdle removes and returns exactly those seen before the cutoff") {
  MemorySessionStore store;
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
}

}  // namespace
}  // namespace gureum::dashboard
