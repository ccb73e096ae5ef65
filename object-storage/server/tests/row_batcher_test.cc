#include "object-storage/server/row_batcher.h"

#include <algorithm>
#include <thread>

#include <catch2/catch.hpp>

#include "absl/synchronization/notification.h"

namespace gureum::object {
namespace {

ListingEntry Row(const std::string& name) {
  ListingEntry e;
  e.name = name;
  return e;
}

TEST_CASE("row batcher: rows that arrive during a commit go together in the next one", "[object]") {
  absl::Mutex mu;
  std::vector<std::vector<std::string>> commits;  // the row names of each commit
  absl::Notification first_started, release_first;
  RowBatcher batcher([&](const std::string& path, const std::vector<ListingEntry>& rows) {
    CHECK(path == "/db");
    bool first = false;
    {
      absl::MutexLock lock(&mu);
      commits.emplace_back();
      for (const ListingEntry& r : rows) commits.back().push_back(r.name);
      first = commits.size() == 1;
    }
    if (first) {
      first_started.Notify();
      release_first.WaitForNotification();
    }
    return absl::OkStatus();
  });

  absl::Status a;
  std::thread lead([&] { a = batcher.Put("/db", Row("a")); });
  first_started.WaitForNotification();
  // Three more rows while "a" is being committed: they wait, then go in one commit.
  std::vector<absl::Status> more(3);
  std::vector<std::thread> others;
  for (int i = 0; i < 3; ++i) {
    others.emplace_back([&, i] { more[i] = batcher.Put("/db", Row(std::string(1, 'b' + i))); });
  }
  while (batcher.Queued("/db") < 3) std::this_thread::yield();  // all three wait
  release_first.Notify();
  lead.join();
  for (auto& t : others) t.join();
  CHECK(a.ok());
  for (const absl::Status& s : more) CHECK(s.ok());
  absl::MutexLock lock(&mu);
  REQUIRE(commits.size() == 2);
  CHECK(commits[0] == std::vector<std::string>{"a"});
  std::vector<std::string> second = commits[1];
  std::sort(second.begin(), second.end());
  CHECK(second == std::vector<std::string>{"b", "c", "d"});
}

TEST_CASE("row batcher: a failed commit is every row's answer, other databases are apart",
          "[object]") {
  RowBatcher batcher([](const std::string& path, const std::vector<ListingEntry>&) {
    return path == "/bad" ? absl::UnavailableError("disk gone") : absl::OkStatus();
  });
  CHECK(absl::IsUnavailable(batcher.Put("/bad", Row("x"))));
  CHECK(batcher.Put("/good", Row("y")).ok());
  CHECK(absl::IsUnavailable(batcher.Put("/bad", Row("z"))));
}

}  // namespace
}  // namespace gureum::object
