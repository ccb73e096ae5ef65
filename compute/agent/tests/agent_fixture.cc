#include "compute/agent/tests/agent_fixture.h"

#include "common/testing/test_env.h"

namespace gureum::compute_agent {

AgentFixture::AgentFixture() {
  root = std::filesystem::temp_directory_path() / testing::UniqueName("gureum-agent-test");
  std::filesystem::create_directories(root);
  options.host = kHost;
  options.virt_type = "test";
  options.instances_path = root + "/instances";
  options.image_cache_path = root + "/instances/_base";
  options.shutdown_timeout = absl::Seconds(1);
  options.image_cache_max_unused = absl::Hours(1);
  image_client.Add(kImage, std::string(8192, 'x'), "raw");
  images = std::make_unique<ImageCache>(options.image_cache_path, image_client, clock);
  files = std::make_unique<InstanceFiles>(options.instances_path);
  options.vif_plugging_timeout = absl::Seconds(30);
  Restart();
}

void AgentFixture::Restart() {
  const Clock& c = real_time ? static_cast<const Clock&>(RealClock::Get()) : clock;
  volumes = std::make_unique<VolumeAttacher>(
      options, VolumeAttacherDeps{hv, bus, c, no_block_storage ? nullptr : &block_storage});
  manager = std::make_unique<ComputeManager>(
      options, ComputeManagerDeps{hv, *images, *files, placement, bus, c,
                                  no_network ? nullptr : &network, volumes.get(), &image_client});
}

AgentFixture::~AgentFixture() {
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

pb::BuildInstance AgentFixture::BuildCast(const std::string& uuid, const std::string& task,
                                          std::vector<std::string> alternates) {
  pb::BuildInstance b;
  b.set_host(kHost);
  b.set_node("node-uuid");
  for (auto& a : alternates) b.add_alternates(a);
  pb::ScheduleRequest* r = b.mutable_request();
  r->set_task_id(task);
  r->set_attempt(1);
  pb::InstanceSpec* s = r->mutable_spec();
  s->set_uuid(uuid);
  s->set_name("vm-1");
  s->set_project_id("project-a");
  s->set_user_data("aGVsbG8gZnJvbSB1c2VyIGRhdGE=");  // "hello from user data"
  s->set_key_name("k1");
  s->set_key_data("ssh-ed25519 AAAA test@host");
  (*s->mutable_metadata())["role"] = "web";
  s->mutable_flavor()->set_id("f1");
  s->mutable_flavor()->set_name("m1.tiny");
  s->mutable_flavor()->set_vcpus(1);
  s->mutable_flavor()->set_ram_mb(128);
  s->mutable_flavor()->set_disk_gb(1);
  s->mutable_image()->set_id(kImage);
  return b;
}

pb::InstanceAction AgentFixture::ActionCast(const std::string& uuid, pb::InstanceAction::Kind kind,
                                            const std::string& task) {
  pb::InstanceAction a;
  a.set_kind(kind);
  a.set_instance_uuid(uuid);
  a.set_task_id(task);
  return a;
}

std::vector<pb::Cast> AgentFixture::Take(const std::string& queue) {
  size_t& taken = queue == "conductor"   ? taken_conductor
                  : queue == "scheduler" ? taken_scheduler
                                         : taken_other;
  std::vector<amqp::Message> all = bus.Queued(queue);
  std::vector<pb::Cast> out;
  for (size_t i = taken; i < all.size(); ++i) {
    pb::Cast c;
    if (c.ParseFromString(all[i].body)) out.push_back(c);
  }
  taken = all.size();
  return out;
}

std::vector<pb::InstanceUpdate> AgentFixture::Updates() {
  std::vector<pb::InstanceUpdate> out;
  for (const pb::Cast& c : Take("conductor")) {
    if (c.has_instance_update()) out.push_back(c.instance_update());
  }
  return out;
}

}  // namespace gureum::compute_agent
