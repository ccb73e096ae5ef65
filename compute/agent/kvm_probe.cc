#include "compute/agent/kvm_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/process/command.h"
#include "common/status/macros.h"

namespace gureum::compute_agent {
using process::RunCommand;
namespace {

// The child: exit code 0 when the guest halted, a small number naming the failing step.
[[noreturn]] void RunGuest() {
  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) _exit(10);
  if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) _exit(11);
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) _exit(12);
  void* mem = mmap(nullptr, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) _exit(13);
  static const unsigned char kCode[] = {0xf4};  // hlt
  std::memcpy(mem, kCode, sizeof(kCode));
  kvm_userspace_memory_region region{};
  region.slot = 0;
  region.guest_phys_addr = 0x1000;
  region.memory_size = 0x1000;
  region.userspace_addr = reinterpret_cast<unsigned long>(mem);
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) _exit(14);
  int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) _exit(15);
  int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (run_size <= 0) _exit(16);
  auto* run = static_cast<kvm_run*>(
      mmap(nullptr, static_cast<size_t>(run_size), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0));
  if (run == MAP_FAILED) _exit(17);
  kvm_sregs sregs{};
  if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) _exit(18);
  sregs.cs.base = 0;
  sregs.cs.selector = 0;
  if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) _exit(19);
  kvm_regs regs{};
  regs.rip = 0x1000;
  regs.rflags = 0x2;
  if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) _exit(20);
  if (ioctl(vcpu, KVM_RUN, 0) < 0) _exit(21);
  _exit(run->exit_reason == KVM_EXIT_HLT ? 0 : 22);
}

absl::Status ProbeKvmIoctls(absl::Duration timeout, const Clock& clock) {
  if (access("/dev/kvm", R_OK | W_OK) != 0) {
    return absl::UnavailableError("/dev/kvm is missing or not accessible");
  }
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed for the KVM probe");
  if (pid == 0) RunGuest();
  absl::Time deadline = clock.Now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
      return absl::UnavailableError(absl::StrCat("a test KVM guest failed (probe step ",
                                                 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                                                 ")"));
    }
    if (clock.Now() > deadline) {
      // A vCPU stuck in the kernel may not even die at once; the child is not waited for.
      kill(pid, SIGKILL);
      return absl::DeadlineExceededError(
          absl::StrCat("a test KVM guest did not halt within ", absl::FormatDuration(timeout)));
    }
    clock.SleepFor(absl::Milliseconds(10));
  }
}

}  // namespace

absl::Status ProbeKvm(absl::Duration timeout, const std::string& kernel, const Clock& clock) {
  absl::Time deadline = clock.Now() + timeout;
  GUREUM_RETURN_IF_ERROR(ProbeKvmIoctls(timeout, clock));
  if (kernel.empty() || access(kernel.c_str(), R_OK) != 0) return absl::OkStatus();
  auto r = RunCommand({"qemu-system-x86_64", "-accel", "kvm", "-m", "128", "-nodefaults",
                       "-display", "none", "-no-reboot", "-serial", "stdio", "-kernel", kernel,
                       "-append", "console=ttyS0 earlyprintk=ttyS0 panic=-1"},
                      std::max(deadline - clock.Now(), absl::Seconds(1)), "Linux version", clock);
  if (!r.ok()) return r.status();
  if (r->stopped) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("a Linux guest under QEMU/KVM printed nothing within ",
                   absl::FormatDuration(timeout), r->timed_out ? "" : " (qemu exited)"));
}

absl::StatusOr<std::string> ResolveVirtType(const std::string& configured,
                                            const std::string& connection_uri,
                                            absl::Duration timeout, const std::string& kernel,
                                            std::string* why_not_kvm, const Clock& clock) {
  if (absl::StartsWith(connection_uri, "test:")) return std::string("test");
  if (configured == "qemu") return std::string("qemu");
  absl::Status kvm = ProbeKvm(timeout, kernel, clock);
  if (kvm.ok()) return std::string("kvm");
  if (why_not_kvm) *why_not_kvm = std::string(kvm.message());
  if (configured == "kvm") {
    return absl::FailedPreconditionError(
        absl::StrCat("[compute] virt_type = kvm, but KVM does not work here: ", kvm.message(),
                     "; set virt_type = qemu or auto"));
  }
  return std::string("qemu");
}

}  // namespace gureum::compute_agent
