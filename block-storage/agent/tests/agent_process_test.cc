// gureum-volume-agent as a process against a real RabbitMQ: it reports its backend, a
// create cast makes a volume, an export cast serves it over NBD (read and written with
// qemu-io), the export keeps serving across an agent restart, unexport and delete clean
// up. Needs GUREUM_TEST_AMQP_URL (tests/run.sh, or tests/lib/services.sh).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include <catch2/catch.hpp>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "block-storage/agent/tests/test_ids.h"
#include "block-storage/agent/volume_handler.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/process/command_runner.h"
#include "common/testing/test_env.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;

pid_t StartAgent(const std::string& config, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = freopen(log.c_str(), "a", stderr);
    (void)out;
    execl(GUREUM_VOLUME_AGENT_BINARY, GUREUM_VOLUME_AGENT_BINARY, "--config-file", config.c_str(),
          nullptr);
    _exit(127);
  }
  return pid;
}

void StopAgent(pid_t pid) {
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

template <typename Pred>
bool Poll(Pred pred, absl::Duration limit = absl::Seconds(60)) {
  absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    if (pred()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

// Whatever the test leaves running (a failed check before the unexport) is stopped.
struct DaemonGuard {
  std::string exports;
  ~DaemonGuard() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(exports, ec)) {
      if (e.path().extension() != ".pid") continue;
      std::ifstream in(e.path());
      int pid = 0;
      if (in >> pid && pid > 0) kill(pid, SIGKILL);
    }
  }
};

TEST_CASE("volume agent process: casts in, reports out, exports survive a restart") {
  const std::string amqp_url = testing::RequireEnv("GUREUM_TEST_AMQP_URL");
  auto amqp = amqp::ParseUrl(amqp_url);
  REQUIRE(amqp.ok());
  const std::string host = testing::UniqueName("vol-host");
  const std::string reports_queue = testing::UniqueName("block-storage");
  const std::string root = fs::temp_directory_path() / testing::UniqueName("gureum-vol-proc");
  fs::create_directories(root);
  DaemonGuard guard{root + "/state/exports"};
  const int port_min = 40000 + getpid() % 20000;
  const std::string config = root + "/gureum.conf";
  std::ofstream(config) << "[DEFAULT]\nhost = " << host << "\ntransport_url = " << amqp_url
                        << "\n\n[volume]\nbackends = file1:" << root
                        << "/volumes\nstate_dir = " << root
                        << "/state\nreport_interval = 1\nreport_queue = " << reports_queue
                        << "\nexport_port_min = " << port_min
                        << "\nexport_port_max = " << port_min + 20 << "\nworkers = 2\n";
  const std::string log = root + "/agent.log";

  absl::Mutex mu;
  std::vector<pb::AgentReport> reports;
  auto consumer =
      amqp::Consumer::Create(*amqp, {.queue = reports_queue}, [&](const amqp::Message& m) {
        pb::AgentReport r;
        if (r.ParseFromString(m.body)) {
          absl::MutexLock l(&mu);
          reports.push_back(r);
        }
        return absl::OkStatus();
      });
  REQUIRE(consumer.ok());
  (*consumer)->Start();
  REQUIRE((*consumer)->WaitUntilConsuming(absl::Seconds(30)));
  auto find = [&](const std::function<bool(const pb::AgentReport&)>& pred) {
    absl::MutexLock l(&mu);
    for (const pb::AgentReport& r : reports) {
      if (pred(r)) return std::optional<pb::AgentReport>(r);
    }
    return std::optional<pb::AgentReport>();
  };
  auto bus = amqp::Publisher::Create(*amqp);
  REQUIRE(bus.ok());
  auto cast = [&](pb::VolumeCast c) {
    amqp::Message m;
    m.body = c.SerializeAsString();
    m.content_type = "application/x-protobuf";
    REQUIRE((*bus)->Cast("volume." + host, m).ok());
  };

  pid_t agent = StartAgent(config, log);
  REQUIRE(Poll([&] {
    return find([&](const pb::AgentReport& r) {
             return r.backend().host() == host && r.backend().backend() == "file1";
           })
        .has_value();
  }));

  pb::VolumeCast create;
  create.set_task_id("t-create");
  create.mutable_create_volume()->set_volume_id(kVol);
  create.mutable_create_volume()->set_backend("file1");
  create.mutable_create_volume()->set_size_gb(1);
  cast(create);
  REQUIRE(Poll([&] {
    return find([](const pb::AgentReport& r) {
             return r.task_id() == "t-create" && r.volume().outcome() == pb::OUTCOME_OK;
           })
        .has_value();
  }));
  CHECK(fs::exists(root + "/volumes/volume-" + kVol + ".qcow2"));

  pb::VolumeCast exp;
  exp.set_task_id("t-export");
  exp.mutable_export_volume()->set_attachment_id(kAtt);
  exp.mutable_export_volume()->set_volume_id(kVol);
  exp.mutable_export_volume()->set_backend("file1");
  exp.mutable_export_volume()->mutable_connector()->set_ip("127.0.0.1");
  cast(exp);
  std::optional<pb::AgentReport> exported;
  REQUIRE(Poll([&] {
    exported = find([](const pb::AgentReport& r) { return r.task_id() == "t-export"; });
    return exported.has_value();
  }));
  const pb::ConnectionInfo& info = exported->export_result().connection_info();
  REQUIRE(exported->export_result().outcome() == pb::OUTCOME_OK);
  const std::string url =
      absl::StrCat("nbd://", info.host(), ":", info.port(), "/", info.export_name());
  process::RealCommandRunner runner;
  REQUIRE(
      runner
          .RunChecked({"qemu-io", "-f", "raw", "-c", "write -P 0x77 0 64k", url}, absl::Seconds(30))
          .ok());

  // The agent goes and comes back; the export never stops serving.
  StopAgent(agent);
  CHECK(
      runner
          .RunChecked({"qemu-io", "-f", "raw", "-c", "read -P 0x77 0 64k", url}, absl::Seconds(30))
          .ok());
  agent = StartAgent(config, log);
  cast(exp);  // a replay: the same connection info
  REQUIRE(Poll([&] {
    absl::MutexLock l(&mu);
    int n = 0;
    for (const pb::AgentReport& r : reports) n += r.task_id() == "t-export";
    return n == 2;
  }));
  {
    absl::MutexLock l(&mu);
    CHECK(reports.back().export_result().connection_info().export_name() == info.export_name());
  }

  pb::VolumeCast unexport;
  unexport.set_task_id("t-unexport");
  unexport.mutable_unexport_volume()->set_attachment_id(kAtt);
  unexport.mutable_unexport_volume()->set_volume_id(kVol);
  unexport.mutable_unexport_volume()->set_backend("file1");
  cast(unexport);
  pb::VolumeCast del;
  del.set_task_id("t-delete");
  del.mutable_delete_volume()->set_volume_id(kVol);
  del.mutable_delete_volume()->set_backend("file1");
  cast(del);
  CHECK(Poll([&] {
    return find([](const pb::AgentReport& r) {
             return r.task_id() == "t-delete" && r.volume().outcome() == pb::OUTCOME_OK;
           })
        .has_value();
  }));
  CHECK(!fs::exists(root + "/volumes/volume-" + kVol + ".qcow2"));
  CHECK(
      !runner.RunChecked({"qemu-io", "-f", "raw", "-c", "read 0 4k", url}, absl::Seconds(30)).ok());
  StopAgent(agent);
  (*consumer)->Stop();
  fs::remove_all(root);
}

}  // namespace
}  // namespace gureum::volume_agent
