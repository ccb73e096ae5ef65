#include "compute/agent/fakes.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compute/agent/domain_xml.h"

namespace gureum::compute_agent {

absl::Status FakeHypervisor::Take(const std::string& op) {
  auto it = failures_.find(op);
  if (it == failures_.end() || it->second.empty()) return absl::OkStatus();
  absl::Status s = it->second.front();
  it->second.pop_front();
  return s;
}

void FakeHypervisor::FailNext(const std::string& op, absl::Status status) {
  absl::MutexLock l(&mu_);
  failures_[op].push_back(std::move(status));
}

#define FAKE_FIND(op)                                                                 \
  absl::MutexLock l(&mu_);                                                            \
  if (absl::Status s = Take(op); !s.ok()) return s;                                   \
  auto it = doms_.find(uuid);                                                         \
  if (it == doms_.end()) return absl::NotFoundError("domain " + uuid + " not found"); \
  Dom& d = it->second

absl::Status FakeHypervisor::Define(const DomainSpec& spec) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Take("Define"); !s.ok()) return s;
  if (doms_.count(spec.uuid)) return absl::AlreadyExistsError("domain " + spec.uuid + " exists");
  doms_[spec.uuid].spec = spec;
  ++defines_;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Start(const std::string& uuid) {
  FAKE_FIND("Start");
  if (d.state != PowerState::kPaused) d.state = PowerState::kRunning;
  d.managed_save = false;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Stop(const std::string& uuid, absl::Duration) {
  FAKE_FIND("Stop");
  d.state = PowerState::kShutdown;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Destroy(const std::string& uuid) {
  FAKE_FIND("Destroy");
  d.state = PowerState::kShutdown;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Undefine(const std::string& uuid) {
  FAKE_FIND("Undefine");
  (void)d;
  doms_.erase(it);
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Reboot(const std::string& uuid, bool, absl::Duration) {
  FAKE_FIND("Reboot");
  d.state = PowerState::kRunning;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Pause(const std::string& uuid) {
  FAKE_FIND("Pause");
  if (d.state != PowerState::kRunning)
    return absl::FailedPreconditionError("domain is not running");
  d.state = PowerState::kPaused;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Resume(const std::string& uuid) {
  FAKE_FIND("Resume");
  if (d.state != PowerState::kPaused) return absl::FailedPreconditionError("domain is not paused");
  d.state = PowerState::kRunning;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::Suspend(const std::string& uuid) {
  FAKE_FIND("Suspend");
  d.state = PowerState::kSuspended;
  d.managed_save = true;
  return absl::OkStatus();
}
absl::Status FakeHypervisor::AttachDisk(const std::string& uuid, const DiskSpec& disk) {
  FAKE_FIND("AttachDisk");
  for (const DiskSpec& have : d.spec.disks) {
    if (have.target == disk.target) return absl::AlreadyExistsError("target taken");
  }
  d.spec.disks.push_back(disk);
  return absl::OkStatus();
}
absl::Status FakeHypervisor::DetachDisk(const std::string& uuid, const std::string& target_dev,
                                        absl::Duration) {
  FAKE_FIND("DetachDisk");
  auto& disks = d.spec.disks;
  disks.erase(std::remove_if(disks.begin(), disks.end(),
                             [&](const DiskSpec& x) { return x.target == target_dev; }),
              disks.end());
  return absl::OkStatus();
}
absl::Status FakeHypervisor::ResizeDisk(const std::string& uuid, const std::string& target_dev,
                                        int64_t bytes, absl::Duration) {
  FAKE_FIND("ResizeDisk");
  for (const DiskSpec& disk : d.spec.disks) {
    if (disk.target != target_dev) continue;
    disk_sizes_[uuid + "/" + target_dev] = bytes;
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("domain ", uuid, " has no disk ", target_dev));
}
int64_t FakeHypervisor::DiskSize(const std::string& uuid, const std::string& target_dev) const {
  absl::MutexLock l(&mu_);
  auto it = disk_sizes_.find(uuid + "/" + target_dev);
  return it == disk_sizes_.end() ? 0 : it->second;
}
absl::StatusOr<std::vector<DiskSpec>> FakeHypervisor::Disks(const std::string& uuid) {
  FAKE_FIND("Disks");
  std::vector<DiskSpec> out = d.spec.disks;
  // Disks defined without a target get theirs from the bus, as in the domain XML.
  std::map<std::string, int> per_family;
  for (DiskSpec& disk : out) {
    int index = per_family[DiskTarget(disk.bus, 0)]++;
    if (disk.target.empty()) disk.target = DiskTarget(disk.bus, index);
  }
  return out;
}
absl::StatusOr<DomainInfo> FakeHypervisor::Get(const std::string& uuid) {
  FAKE_FIND("Get");
  return DomainInfo{uuid, d.spec.name, d.state, d.managed_save, d.spec.metadata};
}
absl::StatusOr<std::map<std::string, int64_t>> FakeHypervisor::Diagnostics(
    const std::string& uuid) {
  FAKE_FIND("Diagnostics");
  if (d.state != PowerState::kRunning) {
    return absl::FailedPreconditionError("the domain is not running");
  }
  std::map<std::string, int64_t> out{{"memory", d.spec.memory_mb * 1024}};
  for (int i = 0; i < d.spec.vcpus; ++i) out["cpu" + std::to_string(i) + "_time"] = 0;
  return out;
}
absl::StatusOr<std::vector<DomainInfo>> FakeHypervisor::List() {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Take("List"); !s.ok()) return s;
  if (list_once_) {
    std::vector<DomainInfo> stale = std::move(*list_once_);
    list_once_.reset();
    return stale;
  }
  std::vector<DomainInfo> out;
  for (const auto& [uuid, d] : doms_)
    out.push_back({uuid, d.spec.name, d.state, d.managed_save, d.spec.metadata});
  return out;
}
absl::StatusOr<HostResources> FakeHypervisor::Host() {
  return HostResources{
      .vcpus = 8, .memory_mb = 16384, .cpu_model = "fake", .hypervisor_type = "TEST"};
}
void FakeHypervisor::ListOnce(std::vector<DomainInfo> domains) {
  absl::MutexLock l(&mu_);
  list_once_ = std::move(domains);
}
void FakeHypervisor::SetPowerState(const std::string& uuid, PowerState state) {
  absl::MutexLock l(&mu_);
  doms_[uuid].state = state;
}
void FakeHypervisor::AddForeign(const std::string& uuid, const std::string& name) {
  absl::MutexLock l(&mu_);
  doms_[uuid].spec.name = name;
  doms_[uuid].state = PowerState::kRunning;
}
DomainSpec FakeHypervisor::SpecOf(const std::string& uuid) const {
  absl::MutexLock l(&mu_);
  auto it = doms_.find(uuid);
  return it == doms_.end() ? DomainSpec{} : it->second.spec;
}
int FakeHypervisor::defines() const {
  absl::MutexLock l(&mu_);
  return defines_;
}

namespace {
std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

absl::StatusOr<compute::ImageInfo> DirectoryImageClient::GetImage(const std::string&,
                                                                  const std::string& id) {
  absl::MutexLock l(&mu_);
  if (auto it = infos_.find(id); it != infos_.end()) return it->second;
  std::string data = ReadWhole(dir_ + "/" + id);
  if (data.empty()) return absl::NotFoundError("image " + id + " not found in " + dir_);
  bool kernel = absl::EndsWith(id, "-kernel"), initrd = absl::EndsWith(id, "-initrd");
  compute::ImageInfo info{.id = id,
                          .status = "active",
                          .disk_format = kernel   ? "aki"
                                         : initrd ? "ari"
                                                  : "raw",
                          .size = static_cast<int64_t>(data.size()),
                          .checksum = compute::Md5Hex(data)};
  infos_[id] = info;
  return info;
}

absl::Status DirectoryImageClient::Download(
    const std::string& id, const std::function<absl::Status(const std::string&)>& sink) {
  std::string data = ReadWhole(dir_ + "/" + id);
  if (data.empty()) return absl::NotFoundError("image " + id + " not found in " + dir_);
  return sink(data);
}

absl::StatusOr<compute::ImageInfo> DirectoryImageClient::CreateImage(
    const std::string&, const compute::NewImage& image) {
  absl::MutexLock l(&mu_);
  return compute::ImageInfo{.id = "snapshot-" + std::to_string(++next_id_),
                            .name = image.name,
                            .status = "queued",
                            .disk_format = image.disk_format,
                            .container_format = image.container_format};
}

absl::Status DirectoryImageClient::DeleteImage(const std::string&, const std::string& id) {
  std::error_code ec;
  std::filesystem::remove(dir_ + "/" + id, ec);
  return absl::OkStatus();
}

absl::StatusOr<compute::ImageInfo> DirectoryImageClient::Upload(const std::string& id,
                                                                const compute::ChunkReader& next) {
  std::string data;
  for (;;) {
    absl::StatusOr<std::string> piece = next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) break;
    data += *piece;
  }
  std::ofstream out(dir_ + "/" + id, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out.flush()) return absl::InternalError("cannot write image " + id + " in " + dir_);
  return GetImage("", id);
}

}  // namespace gureum::compute_agent
