#include "scheduler/filters.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gureum::scheduler {
namespace {

// A request's resources, split once into the standard classes (checked against
// HostFacts) and the rest (checked against the provider's maps).
struct Want {
  int64_t amount[3] = {0, 0, 0};
  std::vector<std::pair<std::string, int64_t>> other;
};

Want Split(const Resources& r) {
  Want w;
  for (const auto& [rc, amount] : r) {
    if (amount <= 0) continue;
    int i = StandardClassIndex(rc);
    if (i >= 0) {
      w.amount[i] = amount;
    } else {
      w.other.emplace_back(rc, amount);
    }
  }
  return w;
}

bool Fits(const Candidate& c, const Want& want) {
  const HostFacts& f = *c.facts;
  for (int i = 0; i < 3; ++i) {
    int64_t a = want.amount[i];
    if (a == 0) continue;
    if (!f.has[i] || a > f.free[i] || a < f.min_unit[i] || a > f.max_unit[i] ||
        a % f.step[i] != 0) {
      return false;
    }
  }
  for (const auto& [rc, amount] : want.other) {
    auto inv = c.provider->inventories.find(rc);
    if (inv == c.provider->inventories.end() || !inv->second.UnitFits(amount)) return false;
    auto used = c.provider->usages.find(rc);
    int64_t u = used == c.provider->usages.end() ? 0 : used->second;
    if (inv->second.Capacity() - u < amount) return false;
  }
  return true;
}

std::string Lower(const std::string& s) { return absl::AsciiStrToLower(s); }

// Image architectures and the names hosts report for them.
std::string CanonicalArch(const std::string& arch) {
  std::string a = Lower(arch);
  if (a == "amd64" || a == "x86-64" || a == "x64") return "x86_64";
  if (a == "arm64") return "aarch64";
  if (a == "i386" || a == "i486" || a == "i586" || a == "x86") return "i686";
  return a;
}

// `wanted` is canonical already.
bool ArchitectureOk(const Candidate& c, const std::string& wanted) {
  const std::vector<std::string>& host_archs = c.facts->archs;
  // A host that reports no architecture is not judged on it (agents that predate the
  // HW_ARCH_* traits); one that does must match.
  if (host_archs.empty()) return true;
  return std::find(host_archs.begin(), host_archs.end(), wanted) != host_archs.end();
}

bool HypervisorOk(const Candidate& c, const std::string& wanted) {
  std::string host = Lower(c.state ? c.state->hypervisor_type : "");
  std::string want = Lower(wanted);
  if (host.empty()) return false;
  if (host == want) return true;
  return host == "kvm" && want == "qemu";  // a kvm host runs qemu guests too
}

// What an image asks of a host, read once per request.
struct ImageWants {
  std::string arch;  // canonical
  std::string hv;
  std::string mode;  // lower case
  bool any() const { return !arch.empty() || !hv.empty() || !mode.empty(); }
};

ImageWants ReadImage(const std::map<std::string, std::string>& props) {
  auto get = [&](std::initializer_list<const char*> keys) -> std::string {
    for (const char* k : keys) {
      auto it = props.find(k);
      if (it != props.end() && !it->second.empty()) return it->second;
    }
    return "";
  };
  ImageWants w;
  std::string arch = get({"hw_architecture", "architecture"});
  if (!arch.empty()) w.arch = CanonicalArch(arch);
  w.hv = get({"img_hv_type", "hypervisor_type"});
  w.mode = Lower(get({"hw_vm_mode", "vm_mode"}));
  return w;
}

bool ImagePropertiesOk(const Candidate& c, const ImageWants& w) {
  if (!w.arch.empty() && !ArchitectureOk(c, w.arch)) return false;
  if (!w.hv.empty() && !HypervisorOk(c, w.hv)) return false;
  if (!w.mode.empty() && w.mode != "hvm") return false;
  return true;
}

bool AggregateSpecsOk(const Candidate& c, const std::map<std::string, std::string>& specs) {
  for (const auto& [full_key, requirement] : specs) {
    std::string key = full_key;
    std::vector<std::string> scope = absl::StrSplit(full_key, ':');
    if (scope.size() > 1) {
      if (scope[0] != "aggregate_instance_extra_specs") continue;
      key = full_key.substr(scope[0].size() + 1);
    }
    if (c.state == nullptr) return false;
    auto it = c.state->aggregate_metadata.find(key);
    if (it == c.state->aggregate_metadata.end()) return false;
    bool found = false;
    for (absl::string_view v : absl::StrSplit(it->second, ',')) {
      if (MatchExtraSpec(std::string(absl::StripAsciiWhitespace(v)), requirement)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

int MembersOn(const RequestSpec& spec, const Candidate& c) {
  auto it = spec.group_members.find(c.provider->uuid);
  return it == spec.group_members.end() ? 0 : it->second;
}

}  // namespace

int StandardClassIndex(const std::string& rc) {
  if (rc == kVcpu) return 0;
  if (rc == kMemoryMb) return 1;
  if (rc == kDiskGb) return 2;
  return -1;
}

HostFacts ComputeFacts(const Provider& p) {
  HostFacts f;
  for (const auto& [rc, inv] : p.inventories) {
    int i = StandardClassIndex(rc);
    if (i < 0) continue;
    auto used = p.usages.find(rc);
    f.has[i] = true;
    f.free[i] = inv.Capacity() - (used == p.usages.end() ? 0 : used->second);
    f.min_unit[i] = inv.min_unit;
    f.max_unit[i] = inv.max_unit;
    f.step[i] = std::max<int64_t>(1, inv.step_size);
  }
  for (const std::string& t : p.traits) {
    if (absl::StartsWith(t, "HW_ARCH_")) f.archs.push_back(CanonicalArch(t.substr(8)));
  }
  return f;
}

std::string FilterReport::Describe() const {
  std::vector<std::string> parts;
  int before = start;
  for (const auto& [name, after] : steps) {
    parts.push_back(absl::StrCat("'", name, ": (start: ", before, ", end: ", after, ")'"));
    before = after;
  }
  return "Filter results: [" + absl::StrJoin(parts, ", ") + "]";
}

Resources ResourcesFromFlavor(const gureum::compute::v1::Flavor& flavor) {
  Resources r;
  if (flavor.vcpus() > 0) r[kVcpu] = flavor.vcpus();
  if (flavor.ram_mb() > 0) r[kMemoryMb] = flavor.ram_mb();
  int64_t disk = flavor.disk_gb() + flavor.ephemeral_gb() + (flavor.swap_mb() + 1023) / 1024;
  if (disk > 0) r[kDiskGb] = disk;
  return r;
}

bool MatchExtraSpec(const std::string& value, const std::string& requirement) {
  std::vector<std::string> words = absl::StrSplit(requirement, ' ', absl::SkipWhitespace());
  if (words.empty()) return value == requirement;
  const std::string op = words[0];
  static const std::set<std::string> kOps = {"=",   "<in>", "<all-in>", "==",  "!=", ">=",  "<=",
                                             "s==", "s!=",  "s<",       "s<=", "s>", "s>=", "<or>"};
  if (kOps.count(op) == 0) return value == requirement;
  if (op == "<or>") {
    for (size_t i = 1; i < words.size(); i += 2) {
      if (words[i] == value) return true;
    }
    return false;
  }
  if (words.size() < 2) return false;
  const std::string& want = words[1];
  if (op == "<in>") return absl::StrContains(value, want);
  if (op == "<all-in>") {
    for (size_t i = 1; i < words.size(); ++i) {
      if (!absl::StrContains(value, words[i])) return false;
    }
    return true;
  }
  if (op[0] == 's') {
    if (op == "s==") return value == want;
    if (op == "s!=") return value != want;
    if (op == "s<") return value < want;
    if (op == "s<=") return value <= want;
    if (op == "s>") return value > want;
    return value >= want;
  }
  double x = 0, y = 0;
  if (!absl::SimpleAtod(value, &x) || !absl::SimpleAtod(want, &y)) return false;
  if (op == "=") return x >= y;  // Nova: "=" means at least
  if (op == "==") return x == y;
  if (op == "!=") return x != y;
  if (op == ">=") return x >= y;
  return x <= y;
}

std::vector<Candidate> RunFilters(const RequestSpec& spec, const HostStates& states,
                                  std::vector<Candidate> hosts, FilterReport* report) {
  using Check = std::function<bool(const Candidate&)>;
  std::vector<std::pair<const char*, Check>> filters;
  filters.emplace_back("ComputeFilter", [](const Candidate& c) {
    return c.state != nullptr && c.state->enabled && c.state->up;
  });
  filters.emplace_back("HostFilter", [&](const Candidate& c) {
    const std::string& name = c.provider->name;
    if (!spec.requested_host.empty() && name != spec.requested_host) return false;
    return spec.excluded_hosts.count(name) == 0;
  });
  if (!spec.availability_zone.empty()) {
    filters.emplace_back("AvailabilityZoneFilter", [&](const Candidate& c) {
      const std::string& az = c.state->availability_zone.empty() ? states.default_availability_zone
                                                                 : c.state->availability_zone;
      return az == spec.availability_zone;
    });
  }
  const Want want = Split(spec.resources);
  filters.emplace_back("PlacementFilter", [&](const Candidate& c) { return Fits(c, want); });
  if (!spec.extra_specs.empty()) {
    filters.emplace_back("AggregateInstanceExtraSpecsFilter",
                         [&](const Candidate& c) { return AggregateSpecsOk(c, spec.extra_specs); });
  }
  const ImageWants image = ReadImage(spec.image_properties);
  if (image.any()) {
    filters.emplace_back("ImagePropertiesFilter",
                         [&](const Candidate& c) { return ImagePropertiesOk(c, image); });
  }
  if (spec.group.has_value() && spec.group->policy == "anti-affinity") {
    filters.emplace_back("ServerGroupAntiAffinityFilter", [&](const Candidate& c) {
      return MembersOn(spec, c) < std::max(1, spec.group->max_per_host);
    });
  }
  if (spec.group.has_value() && spec.group->policy == "affinity" && !spec.group_members.empty()) {
    filters.emplace_back("ServerGroupAffinityFilter",
                         [&](const Candidate& c) { return MembersOn(spec, c) > 0; });
  }
  if (report) report->start = static_cast<int>(hosts.size());
  for (const auto& [name, check] : filters) {
    hosts.erase(
        std::remove_if(hosts.begin(), hosts.end(), [&](const Candidate& c) { return !check(c); }),
        hosts.end());
    if (report) report->steps.emplace_back(name, static_cast<int>(hosts.size()));
    if (hosts.empty()) break;
  }
  return hosts;
}

void Weigh(const RequestSpec& spec, const SchedulerOptions& options,
           std::vector<Candidate>& candidates, size_t limit) {
  if (candidates.empty()) return;
  std::vector<std::pair<double, std::function<double(const Candidate&)>>> weighers = {
      {options.ram_weight_multiplier,
       [](const Candidate& c) { return static_cast<double>(c.facts->free[1]); }},
      {options.cpu_weight_multiplier,
       [](const Candidate& c) { return static_cast<double>(c.facts->free[0]); }},
      {options.disk_weight_multiplier,
       [](const Candidate& c) { return static_cast<double>(c.facts->free[2]); }},
  };
  if (spec.group.has_value() && spec.group->policy == "soft-affinity") {
    weighers.push_back({options.soft_affinity_weight_multiplier, [&](const Candidate& c) {
                          return static_cast<double>(MembersOn(spec, c));
                        }});
  }
  if (spec.group.has_value() && spec.group->policy == "soft-anti-affinity") {
    weighers.push_back({options.soft_anti_affinity_weight_multiplier, [&](const Candidate& c) {
                          return -static_cast<double>(MembersOn(spec, c));
                        }});
  }
  for (Candidate& c : candidates) c.weight = 0;
  std::vector<double> raw(candidates.size());
  for (const auto& [multiplier, value] : weighers) {
    if (multiplier == 0) continue;
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (size_t i = 0; i < candidates.size(); ++i) {
      raw[i] = value(candidates[i]);
      lo = std::min(lo, raw[i]);
      hi = std::max(hi, raw[i]);
    }
    if (hi <= lo) continue;  // all equal: this weigher cannot tell hosts apart
    for (size_t i = 0; i < candidates.size(); ++i) {
      candidates[i].weight += multiplier * (raw[i] - lo) / (hi - lo);
    }
  }
  auto better = [](const Candidate& a, const Candidate& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.index < b.index;
  };
  if (limit < candidates.size()) {
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<long>(limit),
                      candidates.end(), better);
  } else {
    std::sort(candidates.begin(), candidates.end(), better);
  }
}

}  // namespace gureum::scheduler
