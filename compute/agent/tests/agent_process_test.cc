// gureum-compute-agent as a process: started with one config file (RabbitMQ, libvirt
// test:///default, in-process image and placement servers), it registers and heartbeats;
// SIGKILLed in the middle of an image download and started again, the build it had not
// acked comes back, finishes ACTIVE, and the half download is never used; delete cleans
// up; SIGTERM stops it. Needs GUREUM_TEST_AMQP_URL (tests/run.sh).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <sys/wait.h>

#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/testing/test_env.h"
#include "compute/agent/instance_files.h"
#include "compute/agent/tests/peer_servers.h"

namespace gureum::compute_agent {
namespace {
namespace fs = std::filesystem;

pid_t StartAgent(const std::string& config, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = freopen(log.c_str(), "a", stderr);
    (void)out;
    execl(GUREUM_AGENT_BINARY, GUREUM_AGENT_BINARY, "--config-file", config.c_str(), nullptr);
    _exit(127);
  }
  return pid;
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

bool HasPart(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(".part.") != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("agent process: killed mid-download and restarted, the build ends ACTIVE") {
  const std::string amqp_url = testing::RequireEnv("GUREUM_TEST_AMQP_URL");
  auto amqp = amqp::ParseUrl(amqp_url);
  REQUIRE(amqp.ok());
  const std::string host = testing::UniqueName("proc-host");
  const std::string conductor = testing::UniqueName("conductor");
  const std::string root = fs::temp_directory_path() / testing::UniqueName("gureum-agent-proc");
  fs::create_directories(root);

  ImagesServer images;
  images.chunk_delay = absl::Milliseconds(400);  // 5 chunks: about 2 s per download
  PlacementServer placement;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&images);
  builder.RegisterService(&placement);
  auto server = builder.BuildAndStart();
  REQUIRE(server);

  const std::string config = root + "/gureum.conf";
  std::ofstream(config)
      << "[DEFAULT]\nhost = " << host << "\ntransport_url = " << amqp_url
      << "\n\n[compute]\nconnection_uri = test:///default\ninstances_path = " << root
      << "/instances\nreport_interval = 1\nconsole_interval = 1\nstale_build_grace = 30\n"
      << "build_workers = 1\nplacement_grpc = 127.0.0.1:" << port
      << "\nimage_grpc = 127.0.0.1:" << port << "\nconductor_queue = " << conductor
      << "\nscheduler_queue = " << conductor << "-scheduler\n";
  const std::string log = root + "/agent.log";

  absl::Mutex mu;
  std::vector<pb::Cast> casts;
  amqp::ConsumerOptions cin;
  cin.queue = conductor;
  auto consumer = amqp::Consumer::Create(*amqp, cin, [&](const amqp::Message& m) {
    pb::Cast c;
    if (c.ParseFromString(m.body)) {
      absl::MutexLock l(&mu);
      casts.push_back(c);
    }
    return absl::OkStatus();
  });
  REQUIRE(consumer.ok());
  (*consumer)->Start();
  REQUIRE((*consumer)->WaitUntilConsuming(absl::Seconds(30)));
  auto seen = [&](const std::function<bool(const pb::Cast&)>& pred) {
    absl::MutexLock l(&mu);
    for (const pb::Cast& c : casts) {
      if (pred(c)) return true;
    }
    return false;
  };
  auto log_text = [&] { return ReadTail(log, 8000); };

  pid_t agent = StartAgent(config, log);
  INFO("agent log:\n" << log_text());
  // Registered and heartbeating.
  REQUIRE(
      Poll([&] { return seen([&](const pb::Cast& c) { return c.heartbeat().host() == host; }); }));
  {
    absl::MutexLock l(&placement.mu);
    CHECK(placement.provider.name() == host);
  }

  const std::string uuid =
      "0c0c0000-0000-4000-8000-" + std::to_string(100000000000 + getpid() % 100000);
  pb::Cast build;
  pb::ScheduleRequest* req = build.mutable_build()->mutable_request();
  req->set_task_id("task-build");
  req->mutable_spec()->set_uuid(uuid);
  req->mutable_spec()->mutable_flavor()->set_vcpus(1);
  req->mutable_spec()->mutable_flavor()->set_ram_mb(64);
  req->mutable_spec()->mutable_image()->set_id(kImageId);
  amqp::Message msg;
  msg.body = build.SerializeAsString();
  msg.content_type = "application/x-protobuf";
  auto bus = amqp::Publisher::Create(*amqp);
  REQUIRE(bus.ok());
  REQUIRE((*bus)->Cast("compute." + host, msg).ok());

  // Killed while the image is half downloaded.
  const std::string cache = root + "/instances/_base";
  REQUIRE(Poll([&] { return HasPart(cache); }));
  kill(agent, SIGKILL);
  waitpid(agent, nullptr, 0);
  CHECK_FALSE(fs::exists(cache + "/" + kImageId));
  CHECK(fs::exists(root + "/instances/" + uuid + "/instance.json"));  // the record says building

  // Started again: the unacked cast comes back and the build finishes.
  images.chunk_delay = absl::ZeroDuration();
  agent = StartAgent(config, log);
  CHECK(Poll([&] {
    return seen([&](const pb::Cast& c) {
      return c.instance_update().instance_uuid() == uuid &&
             c.instance_update().vm_state() == "active";
    });
  }));
  CHECK(fs::file_size(cache + "/" + kImageId) == kData.size());
  CHECK(Poll([&] {
    return seen([&](const pb::Cast& c) { return c.heartbeat().power_states().count(uuid) == 1; });
  }));
  CHECK_FALSE(seen([&](const pb::Cast& c) {
    return c.instance_update().instance_uuid() == uuid && c.instance_update().vm_state() == "error";
  }));

  pb::Cast del;
  del.mutable_action()->set_kind(pb::InstanceAction::DELETE);
  del.mutable_action()->set_instance_uuid(uuid);
  msg.body = del.SerializeAsString();
  REQUIRE((*bus)->Cast("compute." + host, msg).ok());
  CHECK(Poll([&] {
    return seen([&](const pb::Cast& c) {
      return c.instance_update().instance_uuid() == uuid && c.instance_update().deleted();
    });
  }));
  CHECK_FALSE(fs::exists(root + "/instances/" + uuid));

  kill(agent, SIGTERM);
  int status = 0;
  waitpid(agent, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  (*consumer)->Stop();
  server->Shutdown();
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace
}  // namespace gureum::compute_agent
