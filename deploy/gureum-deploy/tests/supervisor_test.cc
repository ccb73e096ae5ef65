// Restart, backoff and reconcile rules of the Supervisor, driven by a fake spawner and
// a FakeClock: no process is started and no time passes for real.
#include "deploy/gureum-deploy/supervisor.h"

#include <signal.h>

#include <map>
#include <vector>

#include <catch2/catch.hpp>
#include <sys/wait.h>

namespace gureum::deploy {
namespace {

class FakeSpawner : public ProcessSpawner {
 public:
  absl::StatusOr<int> Spawn(const ServiceSpec& spec) override {
    if (fail_next_) {
      fail_next_ = false;
      return absl::InternalError("fork: out of luck");
    }
    spawned.push_back(spec);
    return next_pid_++;
  }
  absl::Status Signal(int pid, int signal) override {
    signals.push_back({pid, signal});
    return absl::OkStatus();
  }
  void FailNext() { fail_next_ = true; }

  std::vector<ServiceSpec> spawned;
  std::vector<std::pair<int, int>> signals;

 private:
  int next_pid_ = 100;
  bool fail_next_ = false;
};

int Exited(int code) { return W_EXITCODE(code, 0); }

const ServiceStatus& Find(const Supervisor& s, const std::string& name) {
  static std::vector<ServiceStatus> statuses;
  statuses = s.Status();
  for (const ServiceStatus& st : statuses) {
    if (st.name == name) return st;
  }
  FAIL("no service " << name);
  return statuses.front();
}

struct Fixture {
  FakeSpawner spawner;
  FakeClock clock;
  Supervisor supervisor{spawner, clock, Supervisor::Options{}};
};

TEST_CASE_METHOD(Fixture, "new services start on the next tick") {
  supervisor.SetServices({{"a", "run-a"}, {"b", "run-b"}});
  REQUIRE(spawner.spawned.empty());
  supervisor.Tick();
  REQUIRE(spawner.spawned.size() == 2);
  CHECK(Find(supervisor, "a").state == ServiceState::kRunning);
  CHECK(Find(supervisor, "a").pid == 100);
  CHECK(Find(supervisor, "b").pid == 101);
  CHECK(supervisor.NextDeadline() == absl::InfiniteFuture());
}

TEST_CASE_METHOD(Fixture, "a crashing service restarts with doubling backoff capped at 30s") {
  supervisor.SetServices({{"a", "run-a"}});
  supervisor.Tick();
  std::vector<absl::Duration> waits;
  for (int i = 0; i < 7; ++i) {
    int pid = Find(supervisor, "a").pid;
    supervisor.OnExit(pid, Exited(3));
    CHECK(Find(supervisor, "a").state == ServiceState::kBackoff);
    CHECK(Find(supervisor, "a").last_exit == "exit 3");
    absl::Duration wait = supervisor.NextDeadline() - clock.Now();
    waits.push_back(wait);
    // Not a moment early.
    clock.Advance(wait - absl::Milliseconds(1));
    supervisor.Tick();
    CHECK(Find(supervisor, "a").state == ServiceState::kBackoff);
    clock.Advance(absl::Milliseconds(1));
    supervisor.Tick();
    CHECK(Find(supervisor, "a").state == ServiceState::kRunning);
  }
  CHECK(waits == std::vector<absl::Duration>{absl::Seconds(1), absl::Seconds(2), absl::Seconds(4),
                                             absl::Seconds(8), absl::Seconds(16), absl::Seconds(30),
                                             absl::Seconds(30)});
  CHECK(Find(supervisor, "a").restarts == 7);
}

TEST_CASE_METHOD(Fixture, "a run of 60s resets the backoff") {
  supervisor.SetServices({{"a", "run-a"}});
  supervisor.Tick();
  for (int i = 0; i < 4; ++i) {
    supervisor.OnExit(Find(supervisor, "a").pid, Exited(1));
    clock.Advance(supervisor.NextDeadline() - clock.Now());
    supervisor.Tick();
  }
  clock.Advance(absl::Seconds(60));
  supervisor.OnExit(Find(supervisor, "a").pid, Exited(1));
  CHECK(supervisor.NextDeadline() - clock.Now() == absl::Seconds(1));
}

TEST_CASE_METHOD(Fixture, "a failed spawn is retried with backoff") {
  supervisor.SetServices({{"a", "run-a"}});
  spawner.FailNext();
  supervisor.Tick();
  CHECK(Find(supervisor, "a").state == ServiceState::kBackoff);
  CHECK(supervisor.NextDeadline() - clock.Now() == absl::Seconds(1));
  clock.Advance(absl::Seconds(1));
  supervisor.Tick();
  CHECK(Find(supervisor, "a").state == ServiceState::kRunning);
}

TEST_CASE_METHOD(Fixture, "reconcile restarts only the changed service") {
  supervisor.SetServices({{"a", "run-a"}, {"b", "run-b"}, {"c", "run-c"}});
  supervisor.Tick();
  int pid_a = Find(supervisor, "a").pid;
  int pid_b = Find(supervisor, "b").pid;
  int pid_c = Find(supervisor, "c").pid;

  supervisor.SetServices({{"a", "run-a"}, {"b", "run-b --new"}, {"d", "run-d"}});
  // b and c get SIGTERM; a is untouched.
  CHECK(spawner.signals == std::vector<std::pair<int, int>>{{pid_b, SIGTERM}, {pid_c, SIGTERM}});
  CHECK(Find(supervisor, "b").state == ServiceState::kStopping);
  supervisor.Tick();  // d starts; b waits for its old process to exit
  CHECK(Find(supervisor, "d").state == ServiceState::kRunning);
  CHECK(Find(supervisor, "b").state == ServiceState::kStopping);

  supervisor.OnExit(pid_b, W_EXITCODE(0, SIGTERM));
  supervisor.OnExit(pid_c, W_EXITCODE(0, SIGTERM));
  supervisor.Tick();
  CHECK(Find(supervisor, "a").pid == pid_a);
  CHECK(Find(supervisor, "b").command == "run-b --new");
  CHECK(Find(supervisor, "b").state == ServiceState::kRunning);
  CHECK(Find(supervisor, "b").restarts == 0);
  std::vector<std::string> names;
  for (const ServiceStatus& s : supervisor.Status()) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"a", "b", "d"});
}

TEST_CASE_METHOD(Fixture, "a service that ignores SIGTERM gets SIGKILL after the grace") {
  supervisor.SetServices({{"a", "run-a"}});
  supervisor.Tick();
  int pid = Find(supervisor, "a").pid;
  supervisor.StopAll();
  CHECK(spawner.signals.back() == std::make_pair(pid, SIGTERM));
  CHECK_FALSE(supervisor.AllStopped());
  CHECK(supervisor.NextDeadline() == clock.Now() + absl::Seconds(10));
  clock.Advance(absl::Seconds(10));
  supervisor.Tick();
  CHECK(spawner.signals.back() == std::make_pair(pid, SIGKILL));
  supervisor.OnExit(pid, W_EXITCODE(0, SIGKILL));
  CHECK(supervisor.AllStopped());
  CHECK(Find(supervisor, "a").state == ServiceState::kStopped);
  // Stopped for good: neither a tick nor a reload restarts it.
  clock.Advance(absl::Minutes(5));
  supervisor.Tick();
  supervisor.SetServices({{"a", "run-a"}});
  supervisor.Tick();
  CHECK(spawner.spawned.size() == 1);
}

TEST_CASE_METHOD(Fixture, "a command change while in backoff starts the new command at once") {
  supervisor.SetServices({{"a", "run-a"}});
  supervisor.Tick();
  supervisor.OnExit(Find(supervisor, "a").pid, Exited(2));
  supervisor.SetServices({{"a", "run-a --fixed"}});
  supervisor.Tick();
  CHECK(Find(supervisor, "a").state == ServiceState::kRunning);
  CHECK(spawner.spawned.back().command == "run-a --fixed");
}

TEST_CASE("wait statuses read like a person would say them") {
  CHECK(DescribeWaitStatus(W_EXITCODE(3, 0)) == "exit 3");
  CHECK(DescribeWaitStatus(W_EXITCODE(0, SIGKILL)) == "signal 9 (Killed)");
}

}  // namespace
}  // namespace gureum::deploy
