// In-memory collaborators of ComputeManager for unit tests: a hypervisor with fault
// injection, and images served from a folder for real boots (the image, placement and
// network fakes are compute/clients's). (Test-only target agent_testing.)
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compute/agent/hypervisor.h"
#include "compute/clients/fake_image_client.h"
#include "compute/clients/fake_network_client.h"
#include "compute/clients/fake_placement_client.h"

namespace gureum::compute_agent {

class FakeHypervisor final : public Hypervisor {
 public:
  absl::Status Define(const DomainSpec& spec) override;
  absl::Status Start(const std::string& uuid) override;
  absl::Status Stop(const std::string& uuid, absl::Duration timeout) override;
  absl::Status Destroy(const std::string& uuid) override;
  absl::Status Undefine(const std::string& uuid) override;
  absl::Status Reboot(const std::string& uuid, bool hard, absl::Duration timeout) override;
  absl::Status Pause(const std::string& uuid) override;
  absl::Status Resume(const std::string& uuid) override;
  absl::Status Suspend(const std::string& uuid) override;
  // The disks live in the domain's spec (SpecOf shows them).
  absl::Status AttachDisk(const std::string& uuid, const DiskSpec& disk) override;
  absl::Status DetachDisk(const std::string& uuid, const std::string& target_dev,
                          absl::Duration timeout) override;
  // Records the size (DiskSize shows it); NotFound for a target the domain lacks.
  absl::Status ResizeDisk(const std::string& uuid, const std::string& target_dev, int64_t bytes,
                          absl::Duration timeout) override;
  absl::StatusOr<std::vector<DiskSpec>> Disks(const std::string& uuid) override;
  absl::StatusOr<DomainInfo> Get(const std::string& uuid) override;
  // A running domain's: cpu<N>_time 0 per vCPU and its memory in KiB, as libvirt's names.
  absl::StatusOr<std::map<std::string, int64_t>> Diagnostics(const std::string& uuid) override;
  absl::StatusOr<std::vector<DomainInfo>> List() override;
  absl::StatusOr<HostResources> Host() override;
  std::string HypervisorType() const override { return "test"; }

  // The next call of `op` ("Define", "Start", ...) returns `status`.
  void FailNext(const std::string& op, absl::Status status);
  // A guest that died on its own (power state changes without the agent).
  void SetPowerState(const std::string& uuid, PowerState state);
  // The next List() returns `domains` instead of the truth (a listing that an action
  // overtook before its caller used it).
  void ListOnce(std::vector<DomainInfo> domains);
  // A domain the agent did not make.
  void AddForeign(const std::string& uuid, const std::string& name);
  DomainSpec SpecOf(const std::string& uuid) const;
  int defines() const;
  // The size ResizeDisk last gave the disk at `target_dev` (0: never resized).
  int64_t DiskSize(const std::string& uuid, const std::string& target_dev) const;

 private:
  struct Dom {
    DomainSpec spec;
    PowerState state = PowerState::kShutdown;
    bool managed_save = false;
  };
  absl::Status Take(const std::string& op) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  mutable absl::Mutex mu_;
  std::map<std::string, Dom> doms_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::deque<absl::Status>> failures_ ABSL_GUARDED_BY(mu_);
  int defines_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> disk_sizes_ ABSL_GUARDED_BY(mu_);  // "uuid/target"
  std::optional<std::vector<DomainInfo>> list_once_ ABSL_GUARDED_BY(mu_);
};

// Serves the files of a folder as active images named after them (aki for names ending in
// "-kernel", ari for "-initrd", raw otherwise): the tiny test image for real boots.
class DirectoryImageClient final : public compute::ImageClient {
 public:
  explicit DirectoryImageClient(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<compute::ImageInfo> GetImage(const std::string& token,
                                              const std::string& id) override;
  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override;
  // Images made here are files of the directory once uploaded (a snapshot's test reads
  // them back): ids snapshot-1, ...; Create/Delete keep no record beyond that.
  absl::StatusOr<compute::ImageInfo> CreateImage(const std::string& token,
                                                 const compute::NewImage& image) override;
  absl::Status DeleteImage(const std::string& token, const std::string& id) override;
  absl::StatusOr<compute::ImageInfo> Upload(const std::string& id,
                                            const compute::ChunkReader& next) override;
  // The agent lists and changes no images: Unimplemented.
  absl::StatusOr<std::vector<compute::ImageInfo>> ListImages(
      const std::string&, const compute::ImageListQuery&) override {
    return absl::UnimplementedError("DirectoryImageClient lists no images");
  }
  absl::StatusOr<compute::ImageInfo> UpdateProperties(const std::string&, const std::string&,
                                                      const std::map<std::string, std::string>&,
                                                      const std::vector<std::string>&) override {
    return absl::UnimplementedError("DirectoryImageClient changes no images");
  }

 private:
  std::string dir_;
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Mutex mu_;
  std::map<std::string, compute::ImageInfo> infos_ ABSL_GUARDED_BY(mu_);  // hashed once
};

}  // namespace gureum::compute_agent
