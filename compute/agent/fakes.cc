#include "compute/agent/fakes.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::compute_agent {

std::string Md5Hex(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out, &n, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) hex += absl::StrCat(absl::Hex(out[i], absl::kZeroPad2));
  return hex;
}

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

#define FAKE_FIND(op)                                                     \
  absl::MutexLock l(&mu_);                                                \
  if (absl::Status s = Take(op); !s.ok()) return s;                       \
  auto it = doms_.find(uuid);                                             \
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
  if (d.state != PowerState::kRunning) return absl::FailedPreconditionError("domain is not running");
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
absl::StatusOr<DomainInfo> FakeHypervisor::Get(const std::string& uuid) {
  FAKE_FIND("Get");
  return DomainInfo{uuid, d.spec.name, d.state, d.managed_save, d.spec.metadata};
}
absl::StatusOr<std::vector<DomainInfo>> FakeHypervisor::List() {
  absl::MutexLock l(&mu_);
  if (absl::Status s = Take("List"); !s.ok()) return s;
  std::vector<DomainInfo> out;
  for (const auto& [uuid, d] : doms_) out.push_back({uuid, d.spec.name, d.state, d.managed_save, d.spec.metadata});
  return out;
}
absl::StatusOr<HostResources> FakeHypervisor::Host() {
  return HostResources{.vcpus = 8, .memory_mb = 16384, .cpu_model = "fake", .hypervisor_type = "TEST"};
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

void FakeImageSource::Add(const std::string& id, const std::string& data,
                          const std::string& disk_format, std::map<std::string, std::string> properties) {
  absl::MutexLock l(&mu_);
  ImageInfo info{id, "active", disk_format, static_cast<long long>(data.size()), Md5Hex(data), "",
                 std::move(properties)};
  images_[id] = {info, data};
}
ImageInfo& FakeImageSource::info(const std::string& id) {
  absl::MutexLock l(&mu_);
  return images_.at(id).first;
}
void FakeImageSource::BreakNextDownload(long long after_bytes, absl::Status status) {
  absl::MutexLock l(&mu_);
  break_after_ = after_bytes;
  break_status_ = std::move(status);
}
void FakeImageSource::FailNextGet(absl::Status status) {
  absl::MutexLock l(&mu_);
  get_failures_.push_back(std::move(status));
}
absl::StatusOr<ImageInfo> FakeImageSource::GetImage(const std::string& id) {
  absl::MutexLock l(&mu_);
  if (!get_failures_.empty()) {
    absl::Status s = get_failures_.front();
    get_failures_.pop_front();
    return s;
  }
  auto it = images_.find(id);
  if (it == images_.end()) return absl::NotFoundError("image " + id + " not found");
  return it->second.first;
}
absl::Status FakeImageSource::Download(const std::string& id,
                                       const std::function<absl::Status(const std::string&)>& sink) {
  std::string data;
  long long break_after = -1;
  absl::Status break_status;
  {
    absl::MutexLock l(&mu_);
    auto it = images_.find(id);
    if (it == images_.end()) return absl::NotFoundError("image " + id + " not found");
    data = it->second.second;
    std::swap(break_after, break_after_);
    break_status = break_status_;
  }
  size_t limit = break_after >= 0 ? static_cast<size_t>(break_after) : data.size();
  for (size_t off = 0; off < limit; off += 1000) {
    absl::Status s = sink(data.substr(off, std::min<size_t>(1000, limit - off)));
    if (!s.ok()) return s;
  }
  return break_after >= 0 ? break_status : absl::OkStatus();
}

namespace {
std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

absl::StatusOr<ImageInfo> DirectoryImageSource::GetImage(const std::string& id) {
  absl::MutexLock l(&mu_);
  if (auto it = infos_.find(id); it != infos_.end()) return it->second;
  std::string data = ReadWhole(dir_ + "/" + id);
  if (data.empty()) return absl::NotFoundError("image " + id + " not found in " + dir_);
  bool kernel = absl::EndsWith(id, "-kernel"), initrd = absl::EndsWith(id, "-initrd");
  ImageInfo info{id, "active", kernel ? "aki" : initrd ? "ari" : "raw",
                 static_cast<long long>(data.size()), Md5Hex(data), "", {}};
  infos_[id] = info;
  return info;
}

absl::Status DirectoryImageSource::Download(const std::string& id,
                                            const std::function<absl::Status(const std::string&)>& sink) {
  std::string data = ReadWhole(dir_ + "/" + id);
  if (data.empty()) return absl::NotFoundError("image " + id + " not found in " + dir_);
  return sink(data);
}

absl::StatusOr<std::string> FakePlacement::PutProvider(
    const std::string& uuid, const std::string&, const std::map<std::string, ProviderInventory>& inv) {
  absl::MutexLock l(&mu);
  if (!failures_.empty()) {
    absl::Status s = failures_.front();
    failures_.pop_front();
    return s;
  }
  inventories = inv;
  return uuid;
}
absl::Status FakePlacement::DeleteAllocations(const std::string& consumer, const std::string& provider) {
  absl::MutexLock l(&mu);
  if (!failures_.empty()) {
    absl::Status s = failures_.front();
    failures_.pop_front();
    return s;
  }
  deleted.push_back(consumer + "@" + provider);
  return absl::OkStatus();
}
void FakePlacement::FailNext(absl::Status status) {
  absl::MutexLock l(&mu);
  failures_.push_back(std::move(status));
}

}  // namespace gureum::compute_agent
