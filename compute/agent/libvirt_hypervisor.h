// The Hypervisor over libvirt's C API: the only file that includes libvirt.
//
//   auto hv = LibvirtHypervisor::Create("qemu:///system", "qemu");
//
// One connection per object (test:///default keeps its state per connection, so the
// agent process holds exactly one). A broken connection to a daemon (libvirtd restarted)
// is reopened on the next call.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "compute/agent/hypervisor.h"

namespace gureum::compute_agent {

// Unavailable when the connection cannot be opened (with libvirt's reason). `clock` times
// Stop's wait for the guest (libvirt's domains are real: the real clock, the default).
absl::StatusOr<std::unique_ptr<Hypervisor>> CreateLibvirtHypervisor(
    const std::string& uri, const Clock& clock = RealClock::Get());

}  // namespace gureum::compute_agent
