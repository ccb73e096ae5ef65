// A ComputeManager over the fakes (hypervisor, image source, placement, bus, block storage) with a
// real instances folder in a fresh temporary directory, and helpers to read what it cast.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "compute/agent/compute_manager.h"
#include "compute/agent/fakes.h"
#include "compute/agent/volume_attacher.h"
#include "compute/clients/fake_block_storage_client.h"

namespace gureum::compute_agent {

// The server most agent tests build.
inline constexpr char kVm[] = "0b6e2a10-0000-4000-8000-000000000001";

inline constexpr char kHost[] = "node-a";
inline constexpr char kImage[] = "9a1c6c3e-1111-4222-8333-444455556666";

struct AgentFixture {
  AgentFixture();
  ~AgentFixture();

  pb::BuildInstance BuildCast(const std::string& uuid, const std::string& task = "task-1",
                              std::vector<std::string> alternates = {});
  pb::InstanceAction ActionCast(const std::string& uuid, pb::InstanceAction::Kind kind,
                                const std::string& task = "task-2");
  // Casts sent to `queue` since the last call (and forgets them).
  std::vector<pb::Cast> Take(const std::string& queue);
  std::vector<pb::InstanceUpdate> Updates();
  // A new manager from `options` (after a test changed them).
  void Restart();

  std::string root;
  AgentOptions options;
  FakeClock clock;
  // The manager reads the real clock instead (for the tests of a wait that must time out:
  // the fake clock only moves when a test moves it). Takes effect at Restart().
  bool real_time = false;
  // The manager has no network service (as a host without [compute] network_grpc). Takes
  // effect at Restart().
  bool no_network = false;
  // The host has no block storage (as without [compute] block_storage_grpc). Takes effect
  // at Restart().
  bool no_block_storage = false;
  FakeHypervisor hv;
  compute::FakeImageClient image_client;
  compute::FakePlacementClient placement;
  compute::FakeNetworkClient network;
  compute::FakeBlockStorageClient block_storage;
  amqp::FakeBus bus;
  std::unique_ptr<ImageCache> images;
  std::unique_ptr<InstanceFiles> files;
  std::unique_ptr<VolumeAttacher> volumes;
  std::unique_ptr<ComputeManager> manager;
  size_t taken_conductor = 0, taken_scheduler = 0, taken_other = 0;
};

}  // namespace gureum::compute_agent
