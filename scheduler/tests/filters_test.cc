// Filters and weighers over hand-made hosts: each filter removes what it should, the
// report names it, and the weighers spread or stack as their multipliers say.
#include "scheduler/filters.h"

#include <catch2/catch.hpp>

namespace gureum::scheduler {
namespace {

Provider MakeProvider(const std::string& name, int64_t vcpus, int64_t ram, int64_t disk,
                      Resources used = {}) {
  Provider p;
  p.uuid = "uuid-" + name;
  p.name = name;
  for (auto [rc, total] :
       std::map<std::string, int64_t>{{kVcpu, vcpus}, {kMemoryMb, ram}, {kDiskGb, disk}}) {
    Inventory inv;
    inv.resource_class = rc;
    inv.total = total;
    inv.max_unit = total;
    p.inventories[rc] = inv;
    p.usages[rc] = used.count(rc) ? used[rc] : 0;
  }
  return p;
}

struct World {
  std::vector<Provider> providers;
  std::vector<HostFacts> facts;
  HostStates states;
  void Add(Provider p, bool enabled = true, bool up = true) {
    HostState s;
    s.host = p.name;
    s.enabled = enabled;
    s.up = up;
    s.hypervisor_type = "QEMU";
    states.hosts[p.name] = s;
    providers.push_back(std::move(p));
  }
  std::vector<Candidate> Candidates() {
    facts.clear();
    for (const Provider& p : providers) facts.push_back(ComputeFacts(p));
    std::vector<Candidate> out;
    for (size_t i = 0; i < providers.size(); ++i) {
      const Provider& p = providers[i];
      auto it = states.hosts.find(p.name);
      out.push_back({&p, it == states.hosts.end() ? nullptr : &it->second, &facts[i],
                     static_cast<int>(i), 0});
    }
    return out;
  }
  std::vector<std::string> Run(const RequestSpec& spec, FilterReport* report = nullptr) {
    std::vector<std::string> names;
    for (const Candidate& c : RunFilters(spec, states, Candidates(), report)) {
      names.push_back(c.provider->name);
    }
    return names;
  }
};

RequestSpec Small() {
  RequestSpec s;
  s.resources = {{kVcpu, 1}, {kMemoryMb, 512}, {kDiskGb, 1}};
  return s;
}

using Names = std::vector<std::string>;

TEST_CASE("ComputeFilter drops disabled, down and unknown hosts, the report says so") {
  World w;
  w.Add(MakeProvider("a", 4, 4096, 10));
  w.Add(MakeProvider("b", 4, 4096, 10), /*enabled=*/false);
  w.Add(MakeProvider("c", 4, 4096, 10), true, /*up=*/false);
  w.providers.push_back(MakeProvider("d", 4, 4096, 10));  // compute-api never heard of it
  FilterReport report;
  CHECK(w.Run(Small(), &report) == Names{"a"});
  CHECK(report.Describe().find("'ComputeFilter: (start: 4, end: 1)'") != std::string::npos);
}

TEST_CASE("PlacementFilter: free = (total - reserved) x ratio - used, and unit rules") {
  World w;
  Provider full = MakeProvider("full", 2, 4096, 10, {{kVcpu, 2}});
  Provider ratio = MakeProvider("ratio", 2, 4096, 10, {{kVcpu, 2}});
  ratio.inventories[kVcpu].allocation_ratio = 4.0;
  ratio.inventories[kVcpu].max_unit = 8;
  Provider reserved = MakeProvider("reserved", 4, 1024, 10);
  reserved.inventories[kMemoryMb].reserved = 600;
  w.Add(full);
  w.Add(ratio);
  w.Add(reserved);
  FilterReport report;
  CHECK(w.Run(Small(), &report) == Names{"ratio"});
  CHECK(report.Describe().find("'PlacementFilter: (start: 3, end: 1)'") != std::string::npos);
  RequestSpec big = Small();
  big.resources[kVcpu] = 5;  // above max_unit 8? no: fits 8, but free is 6
  CHECK(w.Run(big) == Names{"ratio"});
  big.resources[kVcpu] = 7;
  CHECK(w.Run(big).empty());
}

TEST_CASE("HostFilter and AvailabilityZoneFilter") {
  World w;
  w.Add(MakeProvider("a", 4, 4096, 10));
  w.Add(MakeProvider("b", 4, 4096, 10));
  w.Add(MakeProvider("c", 4, 4096, 10));
  w.states.hosts["b"].availability_zone = "az2";
  w.states.default_availability_zone = "nova";
  RequestSpec s = Small();
  s.excluded_hosts = {"a"};
  CHECK(w.Run(s) == Names{"b", "c"});
  s.requested_host = "c";
  CHECK(w.Run(s) == Names{"c"});
  RequestSpec z = Small();
  z.availability_zone = "az2";
  CHECK(w.Run(z) == Names{"b"});
  z.availability_zone = "nova";
  CHECK(w.Run(z) == Names{"a", "c"});
  z.availability_zone = "nowhere";
  FilterReport report;
  CHECK(w.Run(z, &report).empty());
  CHECK(report.Describe().find("AvailabilityZoneFilter: (start: 3, end: 0)") != std::string::npos);
}

TEST_CASE("extra spec operators behave as Nova's extra_specs_ops") {
  CHECK(MatchExtraSpec("true", "true"));
  CHECK_FALSE(MatchExtraSpec("false", "true"));
  CHECK(MatchExtraSpec("8", "= 4"));  // at least
  CHECK_FALSE(MatchExtraSpec("2", "= 4"));
  CHECK(MatchExtraSpec("4", "== 4"));
  CHECK(MatchExtraSpec("3", "!= 4"));
  CHECK(MatchExtraSpec("4", ">= 4"));
  CHECK(MatchExtraSpec("4", "<= 5"));
  CHECK_FALSE(MatchExtraSpec("abc", ">= 4"));
  CHECK(MatchExtraSpec("ssd", "s== ssd"));
  CHECK(MatchExtraSpec("hdd", "s!= ssd"));
  CHECK(MatchExtraSpec("fast-ssd", "<in> ssd"));
  CHECK(MatchExtraSpec("b", "<or> a <or> b <or> c"));
  CHECK_FALSE(MatchExtraSpec("d", "<or> a <or> b"));
}

TEST_CASE("AggregateInstanceExtraSpecsFilter matches scoped and unscoped keys") {
  World w;
  w.Add(MakeProvider("ssd-host", 4, 4096, 10));
  w.Add(MakeProvider("hdd-host", 4, 4096, 10));
  w.Add(MakeProvider("plain", 4, 4096, 10));
  w.states.hosts["ssd-host"].aggregate_metadata = {{"disk", "ssd,nvme"}, {"cpus", "16"}};
  w.states.hosts["hdd-host"].aggregate_metadata = {{"disk", "hdd"}, {"cpus", "8"}};
  RequestSpec s = Small();
  s.extra_specs = {{"aggregate_instance_extra_specs:disk", "nvme"}, {"hw:cpu_policy", "x"}};
  CHECK(w.Run(s) == Names{"ssd-host"});
  s.extra_specs = {{"cpus", ">= 8"}};
  CHECK(w.Run(s) == Names{"ssd-host", "hdd-host"});
  s.extra_specs = {{"hw:mem_page_size", "large"}};  // other scopes are not this filter's
  CHECK(w.Run(s).size() == 3);
}

TEST_CASE("ImagePropertiesFilter: architecture, hypervisor type, vm mode") {
  World w;
  Provider x86 = MakeProvider("x86", 4, 4096, 10);
  x86.traits = {"HW_ARCH_X86_64"};
  Provider arm = MakeProvider("arm", 4, 4096, 10);
  arm.traits = {"HW_ARCH_AARCH64"};
  Provider kvm = MakeProvider("kvm", 4, 4096, 10);
  w.Add(x86);
  w.Add(arm);
  w.Add(kvm);
  w.states.hosts["kvm"].hypervisor_type = "kvm";
  RequestSpec s = Small();
  s.image_properties = {{"architecture", "x86_64"}};
  CHECK(w.Run(s) == Names{"x86", "kvm"});  // kvm reports no architecture: not judged
  s.image_properties = {{"hw_architecture", "arm64"}};
  CHECK(w.Run(s) == Names{"arm", "kvm"});
  s.image_properties = {{"hypervisor_type", "kvm"}};
  CHECK(w.Run(s) == Names{"kvm"});
  s.image_properties = {{"img_hv_type", "qemu"}};
  CHECK(w.Run(s) == Names{"x86", "arm", "kvm"});
  s.image_properties = {{"vm_mode", "xen"}};
  CHECK(w.Run(s).empty());
  s.image_properties = {{"hw_vm_mode", "hvm"}, {"hw_disk_bus", "virtio"}};
  CHECK(w.Run(s).size() == 3);
}

TEST_CASE("server-group filters: hard anti-affinity and affinity") {
  World w;
  w.Add(MakeProvider("a", 4, 4096, 10));
  w.Add(MakeProvider("b", 4, 4096, 10));
  RequestSpec s = Small();
  s.group = GroupPolicy{"g", "anti-affinity", 1};
  s.group_members = {{"uuid-a", 1}};
  CHECK(w.Run(s) == Names{"b"});
  s.group->max_per_host = 2;
  CHECK(w.Run(s) == Names{"a", "b"});
  s.group = GroupPolicy{"g", "affinity", 1};
  CHECK(w.Run(s) == Names{"a"});
  s.group_members.clear();  // the first member goes anywhere
  CHECK(w.Run(s) == Names{"a", "b"});
  s.group = GroupPolicy{"g", "soft-anti-affinity", 1};
  s.group_members = {{"uuid-a", 3}};
  CHECK(w.Run(s) == Names{"a", "b"});  // soft: weighed, not filtered
}

TEST_CASE("weighers spread by default and stack with negative multipliers") {
  World w;
  w.Add(MakeProvider("busy", 8, 8192, 100, {{kVcpu, 6}, {kMemoryMb, 6144}, {kDiskGb, 80}}));
  w.Add(MakeProvider("idle", 8, 8192, 100));
  w.Add(MakeProvider("half", 8, 8192, 100, {{kVcpu, 4}, {kMemoryMb, 4096}, {kDiskGb, 50}}));
  RequestSpec s = Small();
  SchedulerOptions spread;
  auto order = [&](const SchedulerOptions& o) {
    std::vector<Candidate> c = w.Candidates();
    Weigh(s, o, c);
    Names names;
    for (const Candidate& x : c) names.push_back(x.provider->name);
    return names;
  };
  CHECK(order(spread) == Names{"idle", "half", "busy"});
  SchedulerOptions stack;
  stack.ram_weight_multiplier = -1;
  stack.cpu_weight_multiplier = -1;
  stack.disk_weight_multiplier = -1;
  CHECK(order(stack) == Names{"busy", "half", "idle"});
  // Only RAM counts, and it stacks.
  SchedulerOptions ram_only;
  ram_only.cpu_weight_multiplier = 0;
  ram_only.disk_weight_multiplier = 0;
  ram_only.ram_weight_multiplier = -2;
  CHECK(order(ram_only).front() == "busy");
  // Soft anti-affinity outweighs free space when its multiplier is larger.
  s.group = GroupPolicy{"g", "soft-anti-affinity", 1};
  s.group_members = {{"uuid-idle", 2}};
  SchedulerOptions soft;
  soft.soft_anti_affinity_weight_multiplier = 10;
  CHECK(order(soft).back() == "idle");
  s.group = GroupPolicy{"g", "soft-affinity", 1};
  s.group_members = {{"uuid-busy", 1}};
  soft.soft_affinity_weight_multiplier = 10;
  CHECK(order(soft).front() == "busy");
}

TEST_CASE("resources from a flavor: swap rounds up into DISK_GB") {
  gureum::compute::v1::Flavor f;
  f.set_vcpus(2);
  f.set_ram_mb(2048);
  f.set_disk_gb(20);
  f.set_ephemeral_gb(5);
  f.set_swap_mb(1500);
  Resources r = ResourcesFromFlavor(f);
  CHECK(r.at(kVcpu) == 2);
  CHECK(r.at(kMemoryMb) == 2048);
  CHECK(r.at(kDiskGb) == 27);
  gureum::compute::v1::Flavor bfv;  // boot from volume: no disk
  bfv.set_vcpus(1);
  bfv.set_ram_mb(64);
  CHECK(ResourcesFromFlavor(bfv).count(kDiskGb) == 0);
}

}  // namespace
}  // namespace gureum::scheduler
