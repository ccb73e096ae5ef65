// Boots Gureum's tiny image (tests/images/build-tiny.sh) for real under QEMU through the
// libvirt adapter on qemu:///system: qcow2 overlay over the disk, config drive with
// metadata and user data, direct kernel boot, serial console to a file. Waits for the
// guest's marker and its metadata in the console log, then deletes and checks that no
// domain and no disk is left. Needs GUREUM_TEST_LIBVIRT_URI (tests/run.sh starts
// libvirtd through tests/lib/libvirt.sh).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "common/testing/test_env.h"
#include "compute/agent/command.h"
#include "compute/agent/instance_files.h"
#include "compute/agent/kvm_probe.h"
#include "compute/agent/libvirt_hypervisor.h"

namespace gureum::compute_agent {
namespace {

std::string TinyImageDir() {
  std::string out = std::string(GUREUM_BINARY_DIR) + "/tiny-image";
  absl::Status s = RunChecked({std::string(GUREUM_SOURCE_DIR) + "/tests/images/build-tiny.sh", out},
                              absl::Minutes(5));
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out;
}

// Polls (no timing assertion: the deadline only bounds a hung guest).
bool WaitForText(const std::string& path, const std::string& text, absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    if (ReadTail(path, 1 << 20).find(text) != std::string::npos) return true;
    absl::SleepFor(absl::Milliseconds(250));
  }
  return false;
}

TEST_CASE("the tiny image boots under QEMU, reads its config drive, and is deleted cleanly") {
  const std::string uri = testing::RequireEnv("GUREUM_TEST_LIBVIRT_URI");
  const std::string images = TinyImageDir();
  auto virt = ResolveVirtType("auto", uri, absl::Seconds(20), images + "/tiny-kernel");
  REQUIRE(virt.ok());
  auto hv = CreateLibvirtHypervisor(uri);
  REQUIRE(hv.ok());

  const std::string root = std::filesystem::temp_directory_path() / testing::UniqueName("gureum-boot");
  InstanceFiles files(root);
  const std::string uuid = "7e57b007-0000-4000-8000-" + std::to_string(100000000000 + getpid() % 100000);
  REQUIRE(files.Create(uuid).ok());
  InstancePaths p = files.Paths(uuid);
  REQUIRE(CreateOverlay(images + "/tiny-disk.raw", "raw", p.disk, 0).ok());
  pb::InstanceSpec spec;
  spec.set_uuid(uuid);
  spec.set_name("tiny-boot");
  spec.set_user_data(absl::Base64Escape("#!/bin/sh\necho hello-from-user-data\n"));
  (*spec.mutable_metadata())["purpose"] = "boot-test";
  REQUIRE(MakeConfigDrive(spec, p.config_drive).ok());

  DomainSpec d;
  d.uuid = uuid;
  d.name = "instance-" + uuid;
  d.virt_type = *virt;
  d.memory_mb = 256;
  d.kernel = images + "/tiny-kernel";
  d.initrd = images + "/tiny-initrd";
  d.cmdline = "console=ttyS0";
  d.disks.push_back({.path = p.disk});
  d.disks.push_back({.path = p.config_drive, .format = "raw", .device = "cdrom", .bus = "ide"});
  d.console_log = p.console_log;
  d.metadata = {{"instance_uuid", uuid}};
  REQUIRE((*hv)->Define(d).ok());
  absl::Status started = (*hv)->Start(uuid);
  INFO(started.ToString());
  CHECK(started.ok());
  if (started.ok()) {
    CHECK((*hv)->Get(uuid)->power_state == PowerState::kRunning);
    bool booted = WaitForText(p.console_log, "GUREUM-TINY-DONE", absl::Seconds(120));
    std::string console = ReadTail(p.console_log, 1 << 20);
    INFO("virt_type " << *virt << "; console log:\n" << console.substr(console.size() > 3000 ? console.size() - 3000 : 0));
    CHECK(booted);
    CHECK(console.find("GUREUM-TINY-BOOTED") != std::string::npos);
    CHECK(console.find("\"purpose\":\"boot-test\"") != std::string::npos);
    CHECK(console.find("hello-from-user-data") != std::string::npos);
    CHECK(console.find(uuid) != std::string::npos);
  }

  // Delete: the domain and every file of the instance go.
  REQUIRE((*hv)->Undefine(uuid).ok());
  REQUIRE(files.Remove(uuid).ok());
  CHECK((*hv)->Get(uuid).status().code() == absl::StatusCode::kNotFound);
  auto all = (*hv)->List();
  REQUIRE(all.ok());
  for (const DomainInfo& info : *all) CHECK(info.uuid != uuid);
  CHECK_FALSE(std::filesystem::exists(p.disk));
  CHECK_FALSE(std::filesystem::exists(p.dir));
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

}  // namespace
}  // namespace gureum::compute_agent
