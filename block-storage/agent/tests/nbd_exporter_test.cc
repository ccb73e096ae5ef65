// NbdExporter with real qemu-storage-daemon: a volume read and written over NBD, a wrong
// export name refused, a snapshot and an extend of the volume in use, and the exports kept
// (or started again) by a new exporter reading the state directory.
#include "block-storage/agent/nbd_exporter.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "block-storage/agent/file_driver.h"
#include "block-storage/agent/tests/test_ids.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;

std::string Url(const ExportInfo& e, const std::string& name) {
  return absl::StrCat("nbd://", e.host, ":", e.port, "/", name);
}

// One qemu-io command; OK when it ran and any pattern matched.
absl::Status QemuIo(process::CommandRunner& runner, const std::string& format,
                    const std::string& target, const std::string& command) {
  auto out = runner.Output({"qemu-io", "-f", format, "-c", command, target}, absl::Seconds(60));
  if (!out.ok()) return out.status();
  if (absl::StrContains(*out, "failed")) return absl::InternalError(*out);
  return absl::OkStatus();
}

struct ExportFixture {
  ExportFixture() : dir(fs::temp_directory_path() / ("nbdx-" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir / "volumes");
    options.state_dir = (dir / "state").string();
    options.port_min = 30000 + getpid() % 20000;
    options.port_max = options.port_min + 50;
  }
  ~ExportFixture() { fs::remove_all(dir); }
  std::unique_ptr<NbdExporter> NewExporter() {
    auto e = NbdExporter::Create(options, {runner, RealClock::Get(), ids});
    REQUIRE(e.ok());
    return *std::move(e);
  }
  ExportRequest Request() {
    auto image = driver.Image(kVol);
    REQUIRE(image.ok());
    return {.attachment_id = kAtt, .volume_id = kVol, .image = *image, .connector_ip = "127.0.0.1"};
  }

  fs::path dir;
  process::RealCommandRunner runner;
  RandomIdGenerator ids;
  FileDriver driver{(dir / "volumes").string(), runner};
  NbdExporterOptions options;
};

TEST_CASE("NbdExporter serves a volume over NBD to whoever knows the export name") {
  ExportFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  auto exporter = f.NewExporter();
  auto e = exporter->Export(f.Request());
  REQUIRE(e.ok());
  CHECK(e->export_name.size() == 64);
  CHECK(e->host == "127.0.0.1");
  auto again = exporter->Export(f.Request());
  REQUIRE(again.ok());
  CHECK(again->port == e->port);
  CHECK(again->export_name == e->export_name);

  REQUIRE(QemuIo(f.runner, "raw", Url(*e, e->export_name), "write -P 0x42 0 1M").ok());
  CHECK(QemuIo(f.runner, "raw", Url(*e, e->export_name), "read -P 0x42 0 1M").ok());
  CHECK(!QemuIo(f.runner, "raw", Url(*e, std::string(64, 'a')), "read 0 4k").ok());
  {
    std::ifstream in("/proc/" + std::to_string(exporter->DaemonPid(kAtt)) + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(cmdline.find("qemu-storage-daemon") != std::string::npos);
    CHECK(cmdline.find(e->export_name) == std::string::npos);
  }

  SECTION("a snapshot and an extend of the volume in use go through the daemon") {
    std::unique_ptr<LiveImage> live = exporter->Live(kVol);
    REQUIRE(live != nullptr);
    REQUIRE(f.driver.CreateSnapshot(kVol, kSnap, live.get()).ok());
    REQUIRE(QemuIo(f.runner, "raw", Url(*e, e->export_name), "write -P 0x43 0 1M").ok());
    REQUIRE(f.driver.CreateFromSnapshot(kVol2, 1, kSnap).ok());
    CHECK(QemuIo(f.runner, "qcow2", f.driver.VolumePath(kVol2), "read -P 0x42 0 1M").ok());
    auto extended = f.driver.Extend(kVol, 2, live.get());
    REQUIRE(extended.ok());
    CHECK(extended->size_gb == 2);
    CHECK(QemuIo(f.runner, "raw", Url(*e, e->export_name), "read -P 0x43 0 1M").ok());
    auto info = f.runner.Output({"qemu-img", "info", "--output=json", Url(*e, e->export_name)},
                                absl::Seconds(30));
    REQUIRE(info.ok());
    CHECK(absl::StrContains(*info, "\"virtual-size\": 2147483648"));
    REQUIRE(f.driver.DeleteSnapshot(kVol, kSnap, live.get()).ok());
    CHECK(f.driver.DeleteSnapshot(kVol, kSnap, live.get()).ok());
  }

  SECTION("a new exporter keeps a live daemon and starts a dead one on the same port") {
    int pid = exporter->DaemonPid(kAtt);
    REQUIRE(pid > 0);
    exporter.reset();
    exporter = f.NewExporter();
    CHECK(exporter->DaemonPid(kAtt) == pid);
    REQUIRE(exporter->List().size() == 1);
    CHECK(exporter->List()[0].port == e->port);

    exporter.reset();
    kill(pid, SIGKILL);
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (QemuIo(f.runner, "raw", Url(*e, e->export_name), "read 0 4k").ok() &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    exporter = f.NewExporter();
    CHECK(exporter->DaemonPid(kAtt) != pid);
    CHECK(QemuIo(f.runner, "raw", Url(*e, e->export_name), "read -P 0x42 0 1M").ok());
  }

  REQUIRE(exporter->Unexport(kAtt).ok());
  CHECK(exporter->Unexport(kAtt).ok());
  CHECK(exporter->List().empty());
  CHECK(!fs::exists(f.options.state_dir + "/exports/" + kAtt + ".json"));
  CHECK(!QemuIo(f.runner, "raw", Url(*e, e->export_name), "read 0 4k").ok());
}

// TCP_NODELAY of every TCP socket the process `pid` holds (listening or connected), read
// on duplicates taken with pidfd_getfd (root, or the same user with ptrace rights).
std::vector<int> NoDelayOfTcpSockets(int pid) {
  std::vector<int> out;
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  REQUIRE(pidfd >= 0);
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code ec;
    if (fs::read_symlink(entry.path(), ec).string().rfind("socket:", 0) != 0) continue;
    int fd = static_cast<int>(
        syscall(SYS_pidfd_getfd, pidfd, std::stoi(entry.path().filename().string()), 0));
    if (fd < 0) continue;
    int domain = 0, protocol = 0, nodelay = -1;
    socklen_t len = sizeof(int);
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
    len = sizeof(int);
    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len);
    if ((domain == AF_INET || domain == AF_INET6) && protocol == IPPROTO_TCP) {
      len = sizeof(int);
      getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len);
      out.push_back(nodelay);
    }
    close(fd);
  }
  close(pidfd);
  return out;
}

TEST_CASE("NbdExporter: the export's sockets have Nagle's algorithm off") {
  // qemu-storage-daemon does not set TCP_NODELAY itself; without it a reply waits for the
  // client's delayed ACK whenever two requests are in flight (40 ms stalls).
  ExportFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  auto exporter = f.NewExporter();
  auto e = exporter->Export(f.Request());
  REQUIRE(e.ok());
  int client = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(e->port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(client, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  char greeting[8];
  REQUIRE(recv(client, greeting, sizeof(greeting), MSG_WAITALL) == 8);  // "NBDMAGIC": accepted
  std::vector<int> nodelay = NoDelayOfTcpSockets(exporter->DaemonPid(kAtt));
  CHECK(nodelay.size() == 2);  // the listener and the accepted connection
  for (int v : nodelay) CHECK(v == 1);
  close(client);
  CHECK(QemuIo(f.runner, "raw", Url(*e, e->export_name), "write -P 0x42 0 1M").ok());
  REQUIRE(exporter->Unexport(kAtt).ok());
}

TEST_CASE("NbdExporter refuses bad attachment ids and a second volume on one attachment") {
  ExportFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  auto exporter = f.NewExporter();
  ExportRequest r = f.Request();
  r.attachment_id = "../../etc/passwd";
  CHECK(exporter->Export(r).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(exporter->Unexport("../x").code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(exporter->Export(f.Request()).ok());
  r = f.Request();
  r.volume_id = kVol2;
  CHECK(exporter->Export(r).status().code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(exporter->Unexport(kAtt).ok());
}

// Root only: a table of its own, removed at the end.
TEST_CASE("NbdExporter with nftables lets only the connector's address in") {
  if (geteuid() != 0) {
    WARN("not root: the nftables filter is not tested");
    return;
  }
  ExportFixture f;
  f.options.nftables = true;
  f.options.nft_table = absl::StrCat("gureum_vol_test_", getpid());
  REQUIRE(f.driver.Create(kVol, 1).ok());
  auto exporter = f.NewExporter();
  auto e = exporter->Export(f.Request());
  REQUIRE(e.ok());
  auto listing = f.runner.Output({"nft", "list", "chain", "inet", f.options.nft_table, "input"},
                                 absl::Seconds(10));
  REQUIRE(listing.ok());
  CHECK(absl::StrContains(*listing,
                          absl::StrCat("tcp dport ", e->port, " ip saddr != 127.0.0.1 drop")));
  CHECK(QemuIo(f.runner, "raw", Url(*e, e->export_name), "read 0 4k").ok());
  REQUIRE(exporter->Unexport(kAtt).ok());
  listing = f.runner.Output({"nft", "list", "chain", "inet", f.options.nft_table, "input"},
                            absl::Seconds(10));
  REQUIRE(listing.ok());
  CHECK(!absl::StrContains(*listing, "dport"));
  NftFilter(f.runner, f.options.nft_table).DropTable().IgnoreError();
}

}  // namespace
}  // namespace gureum::volume_agent
