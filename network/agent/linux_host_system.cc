#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "network/agent/host_system.h"

namespace gureum::network_agent {
namespace {

constexpr size_t kMaxOutput = 1 << 20;

class LinuxHostSystem final : public HostSystem {
 public:
  LinuxHostSystem(absl::Duration timeout, std::string netns, const Clock& clock)
      : timeout_(timeout), netns_(std::move(netns)), clock_(clock) {}

  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    const std::string& input) override {
    if (argv.empty()) return absl::InvalidArgumentError("empty command");
    int ns_fd = -1;
    if (!netns_.empty()) {
      ns_fd = open(("/run/netns/" + netns_).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns_fd < 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "network namespace ", netns_, " ([network_agent] datapath_namespace) does not exist"));
      }
    }
    int out[2], in[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
      if (ns_fd >= 0) close(ns_fd);
      return absl::InternalError("pipe failed");
    }
    if (pipe2(in, O_CLOEXEC) != 0) {
      for (int fd : {out[0], out[1], ns_fd}) {
        if (fd >= 0) close(fd);
      }
      return absl::InternalError("pipe failed");
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {out[0], out[1], in[0], in[1], ns_fd}) {
        if (fd >= 0) close(fd);
      }
      return absl::InternalError("fork failed");
    }
    if (pid == 0) {
      if (ns_fd >= 0 && setns(ns_fd, CLONE_NEWNET) != 0) _exit(126);
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(out[1], 2);
      // Daemons started here (dnsmasq) must not keep the agent's other descriptors.
      for (int fd = 3; fd < 1024; ++fd) close(fd);
      signal(SIGPIPE, SIG_DFL);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    close(in[0]);
    if (ns_fd >= 0) close(ns_fd);
    // Small inputs (nft rule files) fit the pipe buffer; larger ones are written while
    // the output is read, so neither side blocks.
    size_t written = 0;
    int in_fd = in[1];
    if (input.empty()) {
      close(in_fd);
      in_fd = -1;
    } else {
      fcntl(in_fd, F_SETFL, O_NONBLOCK);
    }
    CommandResult result;
    absl::Time deadline = clock_.Now() + timeout_;
    char buf[8192];
    bool reading = true;
    bool timed_out = false;
    while (reading) {
      absl::Duration left = deadline - clock_.Now();
      if (left <= absl::ZeroDuration()) {
        timed_out = true;
        kill(pid, SIGKILL);
        break;
      }
      pollfd p[2] = {{out[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
      int r = poll(p, in_fd >= 0 ? 2 : 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      if (r < 0 && errno != EINTR) break;
      if (r <= 0) continue;
      if (in_fd >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        ssize_t n = write(in_fd, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN) written = input.size();
        if (written >= input.size()) {
          close(in_fd);
          in_fd = -1;
        }
      }
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = read(out[0], buf, sizeof(buf));
        if (n <= 0) {
          reading = false;
        } else if (result.output.size() < kMaxOutput) {
          result.output.append(buf, static_cast<size_t>(n));
        }
      }
    }
    if (in_fd >= 0) close(in_fd);
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (timed_out) result.output += "\n(killed: took longer than the command deadline)";
    if (result.exit_code == 127 && result.output.empty()) {
      result.output = absl::StrCat(argv[0], ": not found (is its Debian package installed?)");
    }
    return result;
  }

  std::optional<std::string> ReadFile(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  absl::Status WriteFile(const std::string& path, const std::string& content) override {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec)
      return absl::InternalError(
          absl::StrCat("cannot create the folder of ", path, ": ", ec.message()));
    std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << content;
      if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", tmp));
    }
    if (rename(tmp.c_str(), path.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("cannot rename ", tmp, " to ", path));
    }
    return absl::OkStatus();
  }

  absl::Status RemovePath(const std::string& path) override {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot remove ", path, ": ", ec.message()));
    return absl::OkStatus();
  }

  std::vector<std::string> ListDir(const std::string& path) override {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(path, ec)) {
      names.push_back(e.path().filename().string());
    }
    return names;
  }

  std::optional<std::string> ProcessCommandLine(int pid) override {
    if (pid <= 0) return std::nullopt;
    auto raw = ReadFile(absl::StrCat("/proc/", pid, "/cmdline"));
    if (!raw || raw->empty()) return std::nullopt;
    std::string line = *raw;
    for (char& ch : line) {
      if (ch == '\0') ch = ' ';
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
  }

  absl::Status Signal(int pid, int sig) override {
    if (kill(pid, sig) != 0 && errno != ESRCH) {
      return absl::InternalError(absl::StrCat("kill(", pid, ", ", sig, ") failed"));
    }
    return absl::OkStatus();
  }

 private:
  const absl::Duration timeout_;
  const std::string netns_;
  const Clock& clock_;
};

}  // namespace

std::unique_ptr<HostSystem> NewLinuxHostSystem(absl::Duration timeout, const std::string& netns,
                                               const Clock& clock) {
  return std::make_unique<LinuxHostSystem>(timeout, netns, clock);
}

}  // namespace gureum::network_agent
