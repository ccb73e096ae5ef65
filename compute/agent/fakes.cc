#include "compute/agent/fakes.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

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
absl::StatusOr<DomainInfo> FakeHypervisor::Get(const std::string& uuid) {
  FAKE_FIND("Get");
  return DomainInfo{uuid, d.spec.name, d.state, d.managed_save, d.spec.metadata};
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

// ---- FakeNetworkClient ----

npb::Port FakeNetworkClient::Wire(npb::Port p, const std::string& host) {
  p.set_binding_host(host);
  p.set_vif_type("bridge");
  p.set_bridge_name("brq" + p.network_id().substr(0, 11));
  p.set_tap_name("tap" + p.id().substr(0, 11));
  p.set_mtu(1450);
  p.set_status("DOWN");
  gets[p.id()] = 0;
  return p;
}

absl::StatusOr<npb::Port> FakeNetworkClient::AllocatePort(const npb::AllocatePortRequest& req) {
  absl::MutexLock l(&mu);
  allocations.push_back(req);
  if (!allocate_failures_.empty()) {
    absl::Status s = allocate_failures_.front();
    allocate_failures_.pop_front();
    return s;
  }
  if (networks_.count(req.network_id()) == 0) {
    return absl::NotFoundError("Network " + req.network_id() + " could not be found.");
  }
  for (auto& [id, p] : ports) {
    if (p.device_id() == req.device_id() && p.network_id() == req.network_id() &&
        nic_index_.count(id) != 0 && nic_index_[id] == req.nic_index()) {
      p = Wire(p, req.host());
      return p;
    }
  }
  npb::Port p;
  // Unique in its first 11 characters, as UUIDs are: tap names are made from them.
  p.set_id(absl::StrCat(absl::Hex(ports.size() + 1, absl::kZeroPad8), "-a0b1-4c2d-8e4f-port"));
  p.set_network_id(req.network_id());
  p.set_project_id(req.project_id());
  p.set_device_id(req.device_id());
  p.set_device_owner(req.device_owner());
  p.set_mac_address(absl::StrCat("fa:16:3e:00:00:", absl::Hex(next_ip_, absl::kZeroPad2)));
  npb::FixedIp* ip = p.add_fixed_ips();
  ip->set_subnet_id("subnet-" + req.network_id());
  ip->set_ip_address(req.fixed_ips_size() > 0 ? req.fixed_ips(0).ip_address()
                                              : absl::StrCat("10.0.0.", next_ip_));
  ++next_ip_;
  for (const std::string& g : req.security_group_names()) p.add_security_group_ids(g);
  p = Wire(p, req.host());
  ports[p.id()] = p;
  nic_index_[p.id()] = req.nic_index();
  return p;
}

absl::StatusOr<npb::Port> FakeNetworkClient::BindPort(const npb::BindPortRequest& req) {
  absl::MutexLock l(&mu);
  auto it = ports.find(req.port_id());
  if (it == ports.end() || it->second.project_id() != req.project_id()) {
    return absl::NotFoundError("Port " + req.port_id() + " could not be found.");
  }
  if (!it->second.device_id().empty() && it->second.device_id() != req.device_id()) {
    return absl::FailedPreconditionError("Port " + req.port_id() + " is still in use.");
  }
  it->second.set_device_id(req.device_id());
  it->second.set_device_owner(req.device_owner());
  it->second = Wire(it->second, req.host());
  return it->second;
}

absl::Status FakeNetworkClient::ReleasePorts(const npb::ReleasePortsRequest& req) {
  absl::MutexLock l(&mu);
  releases.push_back(req);
  std::set<std::string> keep(req.keep_port_ids().begin(), req.keep_port_ids().end());
  for (auto it = ports.begin(); it != ports.end();) {
    if (it->second.device_id() != req.device_id()) {
      ++it;
    } else if (keep.count(it->first)) {
      it->second.clear_device_id();
      it->second.clear_device_owner();
      it->second.clear_binding_host();
      it->second.set_status("DOWN");
      ++it;
    } else {
      it = ports.erase(it);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<npb::Port> FakeNetworkClient::GetPort(const std::string& id) {
  absl::MutexLock l(&mu);
  auto it = ports.find(id);
  if (it == ports.end()) return absl::NotFoundError("Port " + id + " could not be found.");
  int n = gets[id]++;
  if (!it->second.binding_host().empty() && gets_until_active >= 0 && n >= gets_until_active) {
    it->second.set_status("ACTIVE");
  }
  return it->second;
}

absl::StatusOr<npb::Network> FakeNetworkClient::GetNetwork(const std::string& id) {
  absl::MutexLock l(&mu);
  auto it = networks_.find(id);
  if (it == networks_.end()) return absl::NotFoundError("Network " + id + " could not be found.");
  npb::Network n;
  n.set_id(id);
  n.set_name(it->second);
  return n;
}

absl::StatusOr<npb::Subnet> FakeNetworkClient::GetSubnet(const std::string& id) {
  npb::Subnet s;
  s.set_id(id);
  s.set_cidr("10.0.0.0/24");
  s.set_gateway_ip("10.0.0.1");
  s.set_ip_version(4);
  return s;
}

void FakeNetworkClient::AddNetwork(const std::string& id, const std::string& name) {
  absl::MutexLock l(&mu);
  networks_[id] = name;
}

void FakeNetworkClient::AddPort(const std::string& id, const std::string& network,
                                const std::string& project, const std::string& ip) {
  absl::MutexLock l(&mu);
  npb::Port p;
  p.set_id(id);
  p.set_network_id(network);
  p.set_project_id(project);
  p.set_mac_address("fa:16:3e:aa:bb:cc");
  npb::FixedIp* f = p.add_fixed_ips();
  f->set_subnet_id("subnet-" + network);
  f->set_ip_address(ip);
  p.set_status("DOWN");
  ports[id] = p;
}

void FakeNetworkClient::FailNextAllocate(absl::Status status) {
  absl::MutexLock l(&mu);
  allocate_failures_.push_back(std::move(status));
}

}  // namespace gureum::compute_agent
