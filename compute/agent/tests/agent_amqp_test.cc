// The agent's manager wired as in production — RabbitMQ consumer on compute.<host>,
// libvirt (test:///default), gRPC clients for the image service and placement — against
// a real broker and small in-process gRPC servers standing in for gureum-image and the
// scheduler's placement. Needs GUREUM_TEST_AMQP_URL (tests/run.sh).
#include <filesystem>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/testing/test_env.h"
#include "compute/agent/compute_handler.h"
#include "compute/agent/compute_manager.h"
#include "compute/agent/fakes.h"
#include "compute/agent/libvirt_hypervisor.h"
#include "compute/agent/tests/peer_servers.h"

namespace gureum::compute_agent {
namespace {

TEST_CASE(
    "agent over RabbitMQ, libvirt test:///default and gRPC peers: register, build, redeliver, "
    "delete") {
  auto amqp = amqp::ParseUrl(testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
  REQUIRE(amqp.ok());
  const std::string host = testing::UniqueName("agent-host");
  const std::string conductor = testing::UniqueName("conductor");

  ImagesServer images_server;
  PlacementServer placement_server;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&images_server);
  builder.RegisterService(&placement_server);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  const std::string target = "127.0.0.1:" + std::to_string(port);

  const std::string root =
      std::filesystem::temp_directory_path() / testing::UniqueName("gureum-agent-amqp");
  AgentOptions options;
  options.host = host;
  options.virt_type = "test";
  options.instances_path = root;
  options.image_cache_path = root + "/_base";
  options.shutdown_timeout = absl::Seconds(2);
  options.conductor_queue = conductor;
  auto hv = CreateLibvirtHypervisor("test:///default");
  REQUIRE(hv.ok());
  auto image_client = compute::NewGrpcImageClient({.target = target});
  auto placement = compute::NewGrpcPlacementClient({.target = target, .timeout = absl::Seconds(5)});
  auto bus = amqp::Publisher::Create(*amqp);
  REQUIRE(bus.ok());
  ImageCache cache(options.image_cache_path, *image_client, RealClock::Get());
  InstanceFiles files(root);
  ComputeManager manager(options, {**hv, cache, files, *placement, **bus, RealClock::Get()});

  REQUIRE(manager.RegisterProvider("5a5a5a5a-0000-4000-8000-000000000001").ok());
  {
    absl::MutexLock l(&placement_server.mu);
    CHECK(placement_server.provider.name() == host);
    CHECK(placement_server.provider.inventories_size() == 3);
  }

  Collector collected;
  amqp::ConsumerOptions cin;
  cin.queue = conductor;
  auto conductor_consumer = amqp::Consumer::Create(*amqp, cin, [&](const amqp::Message& m) {
    pb::Cast c;
    if (c.ParseFromString(m.body)) {
      absl::MutexLock l(&collected.mu);
      collected.casts.push_back(c);
    }
    return absl::OkStatus();
  });
  REQUIRE(conductor_consumer.ok());
  (*conductor_consumer)->Start();
  REQUIRE((*conductor_consumer)->WaitUntilConsuming(absl::Seconds(30)));
  amqp::ConsumerOptions ain;
  ain.queue = "compute." + host;
  ain.prefetch = 1;
  auto agent_consumer = amqp::Consumer::Create(
      *amqp, ain, [&](const amqp::Message& m) { return HandleComputeMessage(manager, m); });
  REQUIRE(agent_consumer.ok());
  (*agent_consumer)->Start();
  REQUIRE((*agent_consumer)->WaitUntilConsuming(absl::Seconds(30)));

  const std::string uuid =
      "0a6e0000-0000-4000-8000-" + std::to_string(100000000000 + getpid() % 100000);
  pb::Cast build;
  pb::ScheduleRequest* req = build.mutable_build()->mutable_request();
  req->set_task_id("task-build");
  req->mutable_spec()->set_uuid(uuid);
  req->mutable_spec()->set_name("amqp-vm");
  req->mutable_spec()->mutable_flavor()->set_vcpus(1);
  req->mutable_spec()->mutable_flavor()->set_ram_mb(64);
  req->mutable_spec()->mutable_image()->set_id(kImageId);
  amqp::Message msg;
  msg.body = build.SerializeAsString();
  msg.content_type = "application/x-protobuf";
  // Twice: the second stands for a redelivery.
  REQUIRE((*bus)->Cast("compute." + host, msg).ok());
  REQUIRE((*bus)->Cast("compute." + host, msg).ok());
  CHECK(collected.WaitFor(
      [&](const pb::Cast& c) {
        return c.instance_update().instance_uuid() == uuid &&
               c.instance_update().vm_state() == "active";
      },
      2));
  auto info = (*hv)->Get(uuid);
  REQUIRE(info.ok());
  CHECK(info->power_state == PowerState::kRunning);
  CHECK(cache.downloads() == 1);
  CHECK(std::filesystem::file_size(cache.PathOf(kImageId)) == kData.size());
  auto all = (*hv)->List();
  REQUIRE(all.ok());
  int ours = 0;
  for (const DomainInfo& d : *all) ours += d.uuid == uuid;
  CHECK(ours == 1);

  REQUIRE(manager.Heartbeat().ok());
  CHECK(collected.WaitFor([&](const pb::Cast& c) {
    return c.has_heartbeat() && c.heartbeat().host() == host &&
           c.heartbeat().power_states().count(uuid);
  }));

  pb::Cast del;
  del.mutable_action()->set_kind(pb::InstanceAction::DELETE);
  del.mutable_action()->set_instance_uuid(uuid);
  del.mutable_action()->set_task_id("task-delete");
  msg.body = del.SerializeAsString();
  REQUIRE((*bus)->Cast("compute." + host, msg).ok());
  CHECK(collected.WaitFor([&](const pb::Cast& c) {
    return c.instance_update().instance_uuid() == uuid && c.instance_update().deleted();
  }));
  CHECK((*hv)->Get(uuid).status().code() == absl::StatusCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(files.Paths(uuid).dir));
  {
    absl::MutexLock l(&placement_server.mu);
    CHECK(std::find(placement_server.deleted.begin(), placement_server.deleted.end(),
                    uuid + "@" + host) != placement_server.deleted.end());
  }
  (*agent_consumer)->Stop();
  (*conductor_consumer)->Stop();
  server->Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

}  // namespace
}  // namespace gureum::compute_agent
