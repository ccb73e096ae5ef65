// The state machine (instance_states.h) and key pair crypto, without any server.
#include <catch2/catch.hpp>

#include "compute/api/instance_states.h"
#include "compute/api/keypair_crypto.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

Instance With(const std::string& vm_state, const std::string& task_state = "") {
  Instance i;
  i.uuid = "u-1";
  i.vm_state = vm_state;
  i.task_state = task_state;
  return i;
}

TEST_CASE("allowed transitions follow Nova's check_instance_state") {
  CHECK(CheckTransition(With("active"), Action::kStop).ok());
  CHECK(CheckTransition(With("error"), Action::kStop).ok());
  CHECK(CheckTransition(With("stopped"), Action::kStart).ok());
  CHECK(CheckTransition(With("active"), Action::kRebootSoft).ok());
  CHECK(CheckTransition(With("stopped"), Action::kRebootHard).ok());
  CHECK(CheckTransition(With("active", "rebooting"), Action::kRebootHard).ok());
  CHECK(CheckTransition(With("paused"), Action::kUnpause).ok());
  CHECK(CheckTransition(With("suspended"), Action::kResume).ok());
  CHECK(CheckTransition(With("resized"), Action::kConfirmResize).ok());
  CHECK(CheckTransition(With("resized"), Action::kRevertResize).ok());
  CHECK(CheckTransition(With("error"), Action::kRebuild).ok());
  CHECK(CheckTransition(With("building", "scheduling"), Action::kDelete).ok());
  CHECK(CheckTransition(With("active", "deleting"), Action::kDelete).ok());
  CHECK(CheckTransition(With("active", "powering-off"), Action::kLock).ok());
}

TEST_CASE("refused transitions name the action, the instance and the state, as Nova does") {
  absl::Status s = CheckTransition(With("stopped"), Action::kStop);
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(s.message() == "Cannot 'stop' instance u-1 while it is in vm_state stopped");
  s = CheckTransition(With("active", "powering-off"), Action::kStop);
  CHECK(s.message() == "Cannot 'stop' instance u-1 while it is in task_state powering-off");
  CHECK(CheckTransition(With("stopped"), Action::kRebootSoft).message() ==
        "Cannot 'reboot' instance u-1 while it is in vm_state stopped");
  CHECK_FALSE(CheckTransition(With("active", "rebooting"), Action::kRebootSoft).ok());
  CHECK_FALSE(CheckTransition(With("building", "scheduling"), Action::kStop).ok());
  CHECK_FALSE(CheckTransition(With("paused"), Action::kSuspend).ok());
  CHECK_FALSE(CheckTransition(With("active"), Action::kConfirmResize).ok());
  CHECK_FALSE(CheckTransition(With("active", "resize_prep"), Action::kMigrate).ok());
  CHECK_FALSE(CheckTransition(With("paused"), Action::kResize).ok());
}

TEST_CASE("every accepted action sets its task") {
  CHECK(TaskStateFor(Action::kStop) == "powering-off");
  CHECK(TaskStateFor(Action::kStart) == "powering-on");
  CHECK(TaskStateFor(Action::kRebootHard) == "rebooting_hard");
  CHECK(TaskStateFor(Action::kResize) == "resize_prep");
  CHECK(TaskStateFor(Action::kDelete) == "deleting");
  CHECK(TaskStateFor(Action::kLock).empty());
}

TEST_CASE("API status from vm_state and task_state (Nova's _STATE_MAP)") {
  CHECK(ApiStatus("active", "") == "ACTIVE");
  CHECK(ApiStatus("active", "rebooting") == "REBOOT");
  CHECK(ApiStatus("active", "rebooting_hard") == "HARD_REBOOT");
  CHECK(ApiStatus("active", "resize_prep") == "RESIZE");
  CHECK(ApiStatus("active", "rebuilding") == "REBUILD");
  CHECK(ApiStatus("building", "scheduling") == "BUILD");
  CHECK(ApiStatus("stopped", "") == "SHUTOFF");
  CHECK(ApiStatus("resized", "") == "VERIFY_RESIZE");
  CHECK(ApiStatus("resized", "resize_reverting") == "REVERT_RESIZE");
  CHECK(ApiStatus("paused", "") == "PAUSED");
  CHECK(ApiStatus("suspended", "") == "SUSPENDED");
  CHECK(ApiStatus("error", "") == "ERROR");
  CHECK(VmStatesForStatus("shutoff") == std::vector<std::string>{"stopped"});
  CHECK(PowerStateName(4) == "Shutdown");
}

TEST_CASE("generated ed25519 keys have an OpenSSH form whose fingerprint checks out") {
  auto k = GenerateEd25519Keypair("test");
  REQUIRE(k.ok());
  CHECK(k->private_key.rfind("-----BEGIN OPENSSH PRIVATE KEY-----\n", 0) == 0);
  auto fp = PublicKeyFingerprint(k->public_key);
  REQUIRE(fp.ok());
  CHECK(*fp == k->fingerprint);
  CHECK(fp->size() == 47);  // 16 bytes as aa:bb:...
  auto other = GenerateEd25519Keypair("test");
  REQUIRE(other.ok());
  CHECK(other->fingerprint != k->fingerprint);
}

TEST_CASE("imported public keys are checked") {
  // `ssh-keygen -l -E md5` prints MD5:f5:ce:76:... for this key.
  const std::string key =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPh4vQHfX3wOQaTqp0tF8B6Yq6gKqXh6Y0m2yR0wZ3Yb user@host";
  auto fp = PublicKeyFingerprint(key);
  REQUIRE(fp.ok());
  CHECK(*fp == "f5:ce:76:a5:97:95:24:b7:0c:46:61:07:64:cb:f5:04");
  CHECK_FALSE(PublicKeyFingerprint(
                  "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPh4vQHfX3wOQaTqp0tF8B6Yq6gKqXh6Y0m2yR0wZ3Yb")
                  .ok());
  CHECK_FALSE(PublicKeyFingerprint("ssh-ed25519").ok());
  CHECK_FALSE(PublicKeyFingerprint("not-a-type AAAA").ok());
  CHECK_FALSE(PublicKeyFingerprint("ssh-ed25519 !!!!").ok());
}

TEST_CASE("an image larger than the flavor's disk is refused as Nova does (issue 16, hole 10)") {
  FlavorRecord flavor;
  flavor.disk_gb = 1;
  ImageInfo image;
  image.size = 3 << 20;
  image.virtual_size = int64_t{1} << 50;  // a 1 PiB qcow2
  absl::Status s = CheckImageFitsFlavor(image, flavor);
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(s.message()).find("Flavor's disk is too small for requested image") == 0);
  CHECK(std::string(s.message()).find("1125899906842624 bytes") != std::string::npos);
  image.virtual_size = int64_t{1} << 30;  // exactly the disk
  CHECK(CheckImageFitsFlavor(image, flavor).ok());
  image.size = (int64_t{1} << 30) + 1;  // a raw file larger than the disk
  CHECK_FALSE(CheckImageFitsFlavor(image, flavor).ok());
  image = {};
  image.min_disk_gb = 2;
  CHECK_FALSE(CheckImageFitsFlavor(image, flavor).ok());
  flavor.disk_gb = 0;  // no root disk size: the image's own
  image.virtual_size = int64_t{1} << 50;
  CHECK(CheckImageFitsFlavor(image, flavor).ok());
}

}  // namespace
}  // namespace gureum::compute
