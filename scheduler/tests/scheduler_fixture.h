// A Scheduler over a chosen store with a fake host-state source and a FakeBus, plus
// helpers to make hosts and requests and to read what was cast.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "scheduler/fake_host_state_source.h"
#include "scheduler/scheduler_manager.h"

#include "compute_casts.pb.h"

namespace gureum::scheduler::testing {

namespace cv1 = gureum::compute::v1;

inline Provider MakeHost(const std::string& name, int64_t vcpus, int64_t ram, int64_t disk,
                         double cpu_ratio = 1.0) {
  Provider p;
  // A valid UUID derived from the name, so tests can name providers by host.
  std::string hex;
  for (unsigned char c : name) hex += absl::StrCat(absl::Hex(c, absl::kZeroPad2));
  hex = (hex + std::string(12, '0')).substr(0, 12);
  p.uuid = "00000000-0000-4000-8000-" + hex;
  p.name = name;
  for (auto [rc, total] : std::vector<std::pair<std::string, int64_t>>{
           {kVcpu, vcpus}, {kMemoryMb, ram}, {kDiskGb, disk}}) {
    Inventory inv;
    inv.resource_class = rc;
    inv.total = total;
    inv.max_unit = total;
    inv.allocation_ratio = rc == kVcpu ? cpu_ratio : 1.0;
    if (rc == kVcpu) inv.max_unit = total;
    p.inventories[rc] = inv;
  }
  return p;
}

inline cv1::ScheduleRequest BuildRequest(const std::string& uuid, int vcpus, int64_t ram,
                                         int64_t disk, const std::string& task = "") {
  cv1::ScheduleRequest r;
  r.set_operation(cv1::ScheduleRequest::BUILD);
  r.set_task_id(task.empty() ? "task-" + uuid : task);
  r.set_attempt(1);
  cv1::InstanceSpec* s = r.mutable_spec();
  s->set_uuid(uuid);
  s->set_name("vm-" + uuid.substr(0, 8));
  s->set_project_id("project-a");
  s->set_user_id("user-a");
  s->mutable_flavor()->set_id("f1");
  s->mutable_flavor()->set_vcpus(vcpus);
  s->mutable_flavor()->set_ram_mb(ram);
  s->mutable_flavor()->set_disk_gb(disk);
  return r;
}

// Instance uuid number n.
inline std::string Vm(int n) {
  std::string digits = std::to_string(n);
  return "10000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
}

inline std::vector<cv1::BuildInstance> Builds(const amqp::FakeBus& bus, const std::string& queue) {
  std::vector<cv1::BuildInstance> out;
  for (const amqp::Message& m : bus.Queued(queue)) {
    cv1::Cast c;
    if (c.ParseFromString(m.body) && c.has_build()) out.push_back(c.build());
  }
  return out;
}

inline std::vector<cv1::InstanceUpdate> Updates(const amqp::FakeBus& bus,
                                                const std::string& queue) {
  std::vector<cv1::InstanceUpdate> out;
  for (const amqp::Message& m : bus.Queued(queue)) {
    cv1::Cast c;
    if (c.ParseFromString(m.body) && c.has_instance_update()) out.push_back(c.instance_update());
  }
  return out;
}

}  // namespace gureum::scheduler::testing
