#include "block-storage/agent/nbd_exporter.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "block-storage/agent/qmp_client.h"
#include "common/status/macros.h"

namespace gureum::volume_agent {
namespace fs = std::filesystem;
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kQmpTimeout = absl::Seconds(30);
constexpr absl::Duration kStopTimeout = absl::Seconds(10);

// qemu's option syntax doubles a comma that belongs to a value.
std::string OptionValue(const std::string& value) {
  return absl::StrReplaceAll(value, {{",", ",,"}});
}

// The export of a daemon, added through QMP so that its name (the secret half of the access
// check) is never on a command line other users of the host can read.
nlohmann::json ExportArguments(const ExportInfo& info) {
  return {{"type", "nbd"},
          {"id", "exp0"},
          {"node-name", "vol"},
          {"name", info.export_name},
          {"writable", !info.read_only}};
}

// Adds the export unless the daemon serves it already (a daemon left without it by an agent
// that died in the middle of a resize gets it back).
absl::Status EnsureExport(const std::string& qmp, const ExportInfo& info, const Clock& clock) {
  absl::StatusOr<nlohmann::json> exports =
      QmpCall(qmp, "query-block-exports", nullptr, kQmpTimeout, clock);
  if (!exports.ok()) return exports.status();
  for (const nlohmann::json& e : *exports) {
    if (e.value("id", "") == "exp0") return absl::OkStatus();
  }
  return QmpCall(qmp, "block-export-add", ExportArguments(info), kQmpTimeout, clock).status();
}

// A volume in use, changed through its export's daemon.
class DaemonImage final : public LiveImage {
 public:
  DaemonImage(std::string qmp, const ExportInfo& info, const Clock& clock)
      : qmp_(std::move(qmp)), info_(info), clock_(clock) {}

  absl::Status CreateInternalSnapshot(const std::string& name) override {
    auto r = Call("blockdev-snapshot-internal-sync", {{"device", "vol"}, {"name", name}});
    if (!r.ok() && absl::StrContains(r.status().message(), "already exists"))
      return absl::OkStatus();
    return r.status();
  }

  absl::Status DeleteInternalSnapshot(const std::string& name) override {
    auto r = Call("blockdev-snapshot-delete-internal-sync", {{"device", "vol"}, {"name", name}});
    if (!r.ok() && absl::StrContains(r.status().message(), "does not exist"))
      return absl::OkStatus();
    return r.status();
  }

  // QEMU's NBD export refuses a resize of its node while it exists: the export goes, the
  // node grows, the export comes back under the same name (clients reconnect).
  absl::Status Resize(int64_t bytes) override {
    // Its result does not matter: the export may be gone already (a resize that failed
    // half-way); the wait below is what counts.
    (void)Call("block-export-del", {{"id", "exp0"}, {"mode", "hard"}});
    absl::Time deadline = clock_.Now() + kStopTimeout;
    while (true) {
      auto exports = Call("query-block-exports", nullptr);
      if (exports.ok() && exports->empty()) break;
      if (clock_.Now() > deadline) return absl::UnavailableError("the export did not stop");
      clock_.SleepFor(absl::Milliseconds(20));
    }
    absl::Status resized = Call("block_resize", {{"node-name", "vol"}, {"size", bytes}}).status();
    absl::Status added = Call("block-export-add", ExportArguments(info_)).status();
    return resized.ok() ? added : resized;
  }

 private:
  absl::StatusOr<nlohmann::json> Call(const std::string& command, const nlohmann::json& args) {
    return QmpCall(qmp_, command, args, kQmpTimeout, clock_);
  }

  const std::string qmp_;
  const ExportInfo info_;
  const Clock& clock_;
};

nlohmann::json ToJson(const NbdExporter::State& s) {
  return {{"attachment_id", s.request.attachment_id},
          {"volume_id", s.request.volume_id},
          {"path", s.request.image.path},
          {"format", s.request.image.format},
          {"read_only", s.request.read_only},
          {"connector_ip", s.request.connector_ip},
          {"host", s.info.host},
          {"port", s.info.port},
          {"export_name", s.info.export_name}};
}

absl::StatusOr<NbdExporter::State> FromJson(const nlohmann::json& j) {
  NbdExporter::State s;
  try {
    s.request.attachment_id = j.at("attachment_id").get<std::string>();
    s.request.volume_id = j.at("volume_id").get<std::string>();
    s.request.image.path = j.at("path").get<std::string>();
    s.request.image.format = j.at("format").get<std::string>();
    s.request.read_only = j.at("read_only").get<bool>();
    s.request.connector_ip = j.at("connector_ip").get<std::string>();
    s.info = {.attachment_id = s.request.attachment_id,
              .volume_id = s.request.volume_id,
              .host = j.at("host").get<std::string>(),
              .port = j.at("port").get<int>(),
              .export_name = j.at("export_name").get<std::string>(),
              .read_only = s.request.read_only};
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(e.what());
  }
  return s;
}

// A TCP socket bound to address:port (SO_REUSEADDR, close-on-exec), or -1.
int BindTcp(const std::string& address, int port) {
  const bool v6 = address.find(':') != std::string::npos;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  bool bound = false;
  if (!v6) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    bound = inet_pton(AF_INET, address.c_str(), &a.sin_addr) == 1 &&
            bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  } else {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(static_cast<uint16_t>(port));
    bound = inet_pton(AF_INET6, address.c_str(), &a.sin6_addr) == 1 &&
            bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  }
  if (!bound) {
    close(fd);
    return -1;
  }
  return fd;
}

// Whether a TCP listener could bind address:port now.
bool PortFree(const std::string& address, int port) {
  int fd = BindTcp(address, port);
  if (fd >= 0) close(fd);
  return fd >= 0;
}

// The export's listening socket, opened by the agent and handed to the daemon.
// qemu-storage-daemon 7.2 leaves Nagle's algorithm on for the connections it accepts: a
// reply (a small header, then the data) then waits for the client's delayed ACK whenever two
// requests are in flight, 40 ms each time (512 writes of 1 MiB at depth 2 took 6 s instead
// of 0.8 s). Accepted sockets inherit TCP_NODELAY from their listener, which is set here.
absl::StatusOr<int> NbdListener(const ExportInfo& info) {
  int fd = BindTcp(info.host, info.port);
  int one = 1;
  if (fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
      listen(fd, 16) != 0) {
    std::string error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", info.host, ":", info.port, ": ", error));
  }
  return fd;
}

int ReadPid(const std::string& pidfile) {
  std::ifstream in(pidfile);
  int pid = 0;
  in >> pid;
  return pid;
}

}  // namespace

NbdExporter::NbdExporter(NbdExporterOptions options, Deps deps)
    : options_(std::move(options)), deps_(deps), filter_(deps.runner, options_.nft_table) {}

absl::StatusOr<std::unique_ptr<NbdExporter>> NbdExporter::Create(NbdExporterOptions options,
                                                                 Deps deps) {
  if (options.port_min < 1 || options.port_max > 65535 || options.port_min > options.port_max) {
    return absl::InvalidArgumentError("the export port range is empty or out of 1..65535");
  }
  std::error_code ec;
  fs::create_directories(options.state_dir + "/exports", ec);
  if (!ec) fs::permissions(options.state_dir + "/exports", fs::perms::owner_all, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot make ", options.state_dir, "/exports: ", ec.message()));
  }
  std::unique_ptr<NbdExporter> exporter(new NbdExporter(std::move(options), deps));
  GUREUM_RETURN_IF_ERROR(exporter->Restore());
  return exporter;
}

std::string NbdExporter::Base(const std::string& attachment_id) const {
  return absl::StrCat(options_.state_dir, "/exports/", attachment_id);
}

absl::Status NbdExporter::Restore() {
  absl::MutexLock lock(&mu_);
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(options_.state_dir + "/exports", ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    absl::StatusOr<State> state = FromJson(nlohmann::json::parse(in, nullptr, false));
    if (!state.ok() || !IsUuid(state->request.attachment_id)) {
      spdlog::error("ignoring the unreadable export state {}", e.path().string());
      continue;
    }
    State& s = exports_[state->request.attachment_id] = *std::move(state);
    if (Alive(s)) {
      absl::Status served =
          EnsureExport(Base(s.request.attachment_id) + ".qmp", s.info, deps_.clock);
      if (!served.ok()) {
        spdlog::error("export of attachment {}: {}", s.request.attachment_id, served.ToString());
      }
      continue;
    }
    // Kept even when it fails to start: the next Export of the attachment retries.
    absl::Status started = StartDaemon(s);
    if (!started.ok()) {
      spdlog::error("export of attachment {} (volume {}) did not start again: {}",
                    s.request.attachment_id, s.request.volume_id, started.ToString());
    } else {
      spdlog::info("export of attachment {} serves again on port {}", s.request.attachment_id,
                   s.info.port);
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("reading export states: ", ec.message()));
  return absl::OkStatus();
}

bool NbdExporter::Alive(const State& state) const {
  int pid = ReadPid(Base(state.request.attachment_id) + ".pid");
  if (pid <= 0) return false;
  // The pid must still be our daemon (its monitor path is on its command line); a zombie
  // has an empty command line.
  std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"));
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return absl::StrContains(cmdline, Base(state.request.attachment_id) + ".qmp");
}

int NbdExporter::DaemonPid(const std::string& attachment_id) {
  absl::MutexLock lock(&mu_);
  auto it = exports_.find(attachment_id);
  if (it == exports_.end() || !Alive(it->second)) return 0;
  return ReadPid(Base(attachment_id) + ".pid");
}

absl::Status NbdExporter::Save(const State& state) const {
  std::string path = Base(state.request.attachment_id) + ".json";
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ToJson(state).dump(2) << "\n";
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot write ", path, ": ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<int> NbdExporter::FreePort() {
  for (int port = options_.port_min; port <= options_.port_max; ++port) {
    bool taken = false;
    for (const auto& [id, s] : exports_) taken = taken || s.info.port == port;
    if (!taken && PortFree(options_.address, port)) return port;
  }
  return absl::ResourceExhaustedError("no export port is free on the storage host");
}

absl::Status NbdExporter::StartDaemon(State& s) {
  const std::string base = Base(s.request.attachment_id);
  std::error_code ec;
  fs::remove(base + ".qmp", ec);
  fs::remove(base + ".pid", ec);
  const std::string ro = s.request.read_only ? ",read-only=on" : "";
  std::vector<std::string> argv = {
      "qemu-storage-daemon",
      "--daemonize",
      "--pidfile",
      base + ".pid",
      "--blockdev",
      absl::StrCat("driver=file,node-name=file0,filename=", OptionValue(s.request.image.path), ro),
      "--blockdev",
      absl::StrCat("driver=", OptionValue(s.request.image.format), ",node-name=vol,file=file0", ro),
      "--nbd-server",
      absl::StrCat("addr.type=fd,addr.str=", process::kPassedFd),
      "--chardev",
      absl::StrCat("socket,id=mon,path=", OptionValue(base + ".qmp"), ",server=on,wait=off"),
      "--monitor",
      "chardev=mon"};
  GUREUM_ASSIGN_OR_RETURN(int listener, NbdListener(s.info));
  absl::StatusOr<process::CommandResult> ran =
      deps_.runner.RunPassingFd(argv, kStartTimeout, listener);
  close(listener);  // the daemon has its own copy
  if (!ran.ok()) return ran.status();
  if (ran->exit_code != 0) return process::CommandError(argv, *ran);
  GUREUM_RETURN_IF_ERROR(EnsureExport(base + ".qmp", s.info, deps_.clock));
  if (options_.nftables) {
    GUREUM_RETURN_IF_ERROR(
        filter_.Allow(s.info.port, s.request.connector_ip, s.request.attachment_id));
  }
  return absl::OkStatus();
}

absl::Status NbdExporter::StopDaemon(const State& s) {
  const std::string base = Base(s.request.attachment_id);
  int pid = ReadPid(base + ".pid");
  if (Alive(s)) {
    (void)QmpCall(base + ".qmp", "quit", nullptr, absl::Seconds(5), deps_.clock);
    absl::Time deadline = deps_.clock.Now() + kStopTimeout;
    while (Alive(s) && deps_.clock.Now() < deadline) deps_.clock.SleepFor(absl::Milliseconds(20));
    if (Alive(s) && pid > 0) kill(pid, SIGKILL);
  }
  if (options_.nftables) GUREUM_RETURN_IF_ERROR(filter_.Remove(s.request.attachment_id));
  std::error_code ec;
  for (const char* suffix : {".qmp", ".pid", ".json"}) fs::remove(base + suffix, ec);
  return absl::OkStatus();
}

absl::StatusOr<ExportInfo> NbdExporter::Export(const ExportRequest& request) {
  GUREUM_RETURN_IF_ERROR(CheckId("attachment", request.attachment_id));
  GUREUM_RETURN_IF_ERROR(CheckId("volume", request.volume_id));
  absl::MutexLock lock(&mu_);
  auto it = exports_.find(request.attachment_id);
  if (it != exports_.end()) {
    if (it->second.request.volume_id != request.volume_id) {
      return absl::FailedPreconditionError("the attachment is exported for another volume");
    }
    if (!Alive(it->second)) {
      GUREUM_RETURN_IF_ERROR(StartDaemon(it->second));
    } else {
      GUREUM_RETURN_IF_ERROR(
          EnsureExport(Base(request.attachment_id) + ".qmp", it->second.info, deps_.clock));
    }
    return it->second.info;
  }
  GUREUM_ASSIGN_OR_RETURN(int port, FreePort());
  State s{.request = request};
  std::string name = deps_.ids.NewUuid() + deps_.ids.NewUuid();
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  s.info = {.attachment_id = request.attachment_id,
            .volume_id = request.volume_id,
            .host = options_.address,
            .port = port,
            .export_name = name,
            .read_only = request.read_only};
  // Written first: a daemon started by an agent that dies right after is still known.
  GUREUM_RETURN_IF_ERROR(Save(s));
  if (absl::Status started = StartDaemon(s); !started.ok()) {
    (void)StopDaemon(s);
    return started;
  }
  exports_[request.attachment_id] = s;
  return s.info;
}

absl::Status NbdExporter::Unexport(const std::string& attachment_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("attachment", attachment_id));
  absl::MutexLock lock(&mu_);
  auto it = exports_.find(attachment_id);
  if (it == exports_.end()) return absl::OkStatus();
  GUREUM_RETURN_IF_ERROR(StopDaemon(it->second));
  exports_.erase(it);
  return absl::OkStatus();
}

std::unique_ptr<LiveImage> NbdExporter::Live(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, s] : exports_) {
    if (s.request.volume_id == volume_id && Alive(s)) {
      return std::make_unique<DaemonImage>(Base(id) + ".qmp", s.info, deps_.clock);
    }
  }
  return nullptr;
}

std::vector<ExportInfo> NbdExporter::List() {
  absl::MutexLock lock(&mu_);
  std::vector<ExportInfo> out;
  for (const auto& [id, s] : exports_) out.push_back(s.info);
  return out;
}

}  // namespace gureum::volume_agent
