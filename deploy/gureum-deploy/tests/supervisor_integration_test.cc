// Runs the real gureum-deploy binary as a supervisor of real shell processes, in
// temporary directories, and checks what an operator would: logs, restarts of a crashing
// service, a reload that restarts only what changed, status output, and a stop that
// leaves no process behind. Every wait polls with a deadline.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <sys/wait.h>

#include "deploy/gureum-deploy/state_file.h"

namespace gureum::deploy {
namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string output;
};

// Runs the binary with `args`, returning its exit code and standard output.
Result RunTool(const std::vector<std::string>& args) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    freopen("/dev/null", "w", stderr);  // expected refusals would clutter the test log
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(GUREUM_DEPLOY_BINARY));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GUREUM_DEPLOY_BINARY, argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  Result result;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buf, sizeof(buf))) > 0) result.output.append(buf, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `condition` every 20 ms until it holds or 20 s have passed.
bool WaitFor(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "gureum-deploy-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

TEST_CASE("the supervisor runs, restarts, reloads and stops real services") {
  TempDir dir;
  const fs::path services = dir.path / "services.conf";
  const std::string state_dir = (dir.path / "run").string();
  const fs::path log_dir = dir.path / "log";
  std::ofstream(services) << "# test services\n"
                             "sleeper sh -c 'echo started; sleep 1000'\n"
                             "crasher sh -c 'echo crashing; exit 3'\n"
                             "changer sh -c 'echo version 1; sleep 1000'\n";

  pid_t supervisor = fork();
  REQUIRE(supervisor >= 0);
  if (supervisor == 0) {
    std::string err = (dir.path / "supervisor.err").string();
    freopen(err.c_str(), "a", stderr);
    execl(GUREUM_DEPLOY_BINARY, "gureum-deploy", "supervise", "--foreground", "--services",
          services.c_str(), "--state-dir", state_dir.c_str(), "--log-dir", log_dir.c_str(),
          "--stop-grace", "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Whatever happens below, the supervisor and its services go away at the end.
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid > 0 && waitpid(pid, nullptr, WNOHANG) == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{supervisor};

  auto state = [&]() {
    auto s = ReadStateFile(state_dir + "/supervisor.json");
    return s.ok() ? *s : SupervisorState{};
  };
  auto service = [&](const std::string& name) {
    for (const ServiceStatus& s : state().services) {
      if (s.name == name) return s;
    }
    return ServiceStatus{};
  };

  // Logs are written and the crashing service is restarted again and again.
  REQUIRE(WaitFor([&] { return service("sleeper").state == ServiceState::kRunning; }));
  REQUIRE(WaitFor(
      [&] { return ReadAll(log_dir / "sleeper.log").find("started\n") != std::string::npos; }));
  REQUIRE(WaitFor([&] { return service("crasher").restarts >= 2; }));
  CHECK(service("crasher").last_exit == "exit 3");
  CHECK(ReadAll(log_dir / "crasher.log").find("crashing\n") != std::string::npos);

  Result status = RunTool({"status", "--state-dir", state_dir});
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("supervisor: running (pid " + std::to_string(supervisor) + ")") !=
        std::string::npos);
  CHECK(status.output.find("sleeper ") != std::string::npos);
  CHECK(status.output.find("running") != std::string::npos);

  // Reload with one command changed and one service removed: only those two move.
  const int sleeper_pid = service("sleeper").pid;
  const int changer_pid = service("changer").pid;
  REQUIRE(changer_pid > 0);
  std::ofstream(services, std::ios::trunc) << "sleeper sh -c 'echo started; sleep 1000'\n"
                                              "changer sh -c 'echo version 2; sleep 1000'\n";
  CHECK(RunTool({"reload", "--state-dir", state_dir}).exit_code == 0);
  REQUIRE(WaitFor([&] {
    ServiceStatus c = service("changer");
    return c.state == ServiceState::kRunning && c.pid != changer_pid && c.pid != 0 &&
           state().services.size() == 2;
  }));
  CHECK(service("sleeper").pid == sleeper_pid);
  CHECK(service("changer").command == "sh -c 'echo version 2; sleep 1000'");
  REQUIRE(WaitFor(
      [&] { return ReadAll(log_dir / "changer.log").find("version 2\n") != std::string::npos; }));
  CHECK(kill(-changer_pid, 0) != 0);  // the old process group is gone

  // Stop: the supervisor exits and takes every service's process group with it.
  const int new_changer_pid = service("changer").pid;
  CHECK(RunTool({"stop", "--state-dir", state_dir}).exit_code == 0);
  int wait_status = 0;
  REQUIRE(waitpid(supervisor, &wait_status, 0) == supervisor);
  reaper.pid = 0;
  CHECK(WIFEXITED(wait_status));
  CHECK(WEXITSTATUS(wait_status) == 0);
  CHECK(kill(-sleeper_pid, 0) != 0);
  CHECK(kill(-new_changer_pid, 0) != 0);
  CHECK(RunTool({"status", "--state-dir", state_dir}).exit_code == 3);
  CHECK(ReadAll(dir.path / "supervisor.err").find("supervisor stopped") != std::string::npos);
}

TEST_CASE("a second supervisor on the same state dir refuses to start") {
  TempDir dir;
  const std::string state_dir = (dir.path / "run").string();
  const std::string log_dir = (dir.path / "log").string();
  const std::string services = (dir.path / "services.conf").string();
  std::ofstream(services) << "";
  Result first = RunTool(
      {"supervise", "--services", services, "--state-dir", state_dir, "--log-dir", log_dir});
  REQUIRE(first.exit_code == 0);
  Result second = RunTool(
      {"supervise", "--services", services, "--state-dir", state_dir, "--log-dir", log_dir});
  CHECK(second.exit_code != 0);
  CHECK(RunTool({"status", "--state-dir", state_dir}).output.find("(no services configured)") !=
        std::string::npos);
  CHECK(RunTool({"stop", "--state-dir", state_dir}).exit_code == 0);
  CHECK(RunTool({"status", "--state-dir", state_dir}).exit_code == 3);
}

}  // namespace
}  // namespace gureum::deploy
