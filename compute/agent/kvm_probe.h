// Which virt_type this host can run: kvm where /dev/kvm really runs a guest, qemu
// (software emulation) otherwise. KVM is tried for real, because on some hosts (nested
// virtualisation) /dev/kvm opens and even runs trivial code, yet a Linux guest hangs
// during early boot: first a one-instruction guest (`hlt`) through the KVM ioctls in a
// child process, then, when a kernel is at hand, QEMU with -accel kvm booting it until
// it prints "Linux version" on its serial port. Anything past `timeout` is a failure.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace gureum::compute_agent {

// True if a minimal KVM guest ran to its `hlt` within `timeout`; the reason otherwise.
// `kernel`: a bzImage to boot for the second stage ("" or missing: first stage only).
absl::Status ProbeKvm(absl::Duration timeout, const std::string& kernel,
                      const Clock& clock = RealClock::Get());

// configured: "auto", "kvm" or "qemu"; a test:// connection always gives "test".
// "kvm" configured on a host where the probe fails is an error (FailedPrecondition).
absl::StatusOr<std::string> ResolveVirtType(const std::string& configured,
                                            const std::string& connection_uri,
                                            absl::Duration timeout, const std::string& kernel,
                                            std::string* why_not_kvm = nullptr,
                                            const Clock& clock = RealClock::Get());

}  // namespace gureum::compute_agent
