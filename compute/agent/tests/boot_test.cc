// Boots Gureum's tiny image (tests/images/build-tiny.sh) for real under QEMU through the
// libvirt adapter on qemu:///system: qcow2 overlay over the disk, config drive with
// metadata and user data, direct kernel boot, serial console to a file. Waits for the
// guest's marker and its metadata in the console log, then deletes and checks that no
// domain and no disk is left. Needs GUREUM_TEST_LIBVIRT_URI (tests/run.sh starts
// libvirtd through tests/lib/libvirt.sh).
#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "common/amqp/fake_bus.h"
#include "common/base/clock.h"
#include "common/process/command.h"
#include "common/testing/test_env.h"
#include "compute/agent/compute_manager.h"
#include "compute/agent/fakes.h"
#include "compute/agent/instance_files.h"
#include "compute/agent/kvm_probe.h"
#include "compute/agent/libvirt_hypervisor.h"

namespace gureum::compute_agent {
using process::RunChecked;
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

// The tiny image as a domain of its own: direct kernel boot, the overlay as its disk, the
// serial console to the instance's log.
DomainSpec TinyDomain(const std::string& uuid, const std::string& virt_type,
                      const std::string& images, const InstancePaths& p) {
  DomainSpec d;
  d.uuid = uuid;
  d.name = "instance-" + uuid;
  d.virt_type = virt_type;
  d.memory_mb = 256;
  d.kernel = images + "/tiny-kernel";
  d.initrd = images + "/tiny-initrd";
  d.cmdline = "console=ttyS0";
  d.disks.push_back({.path = p.disk});
  d.console_log = p.console_log;
  return d;
}

// One tiny guest's parts on the test libvirt: the hypervisor adapter, a folder of instance
// files with the guest's overlay in it. At the end the domain (if a failed check left it
// defined, or running) and the folder go.
struct TinyGuest {
  TinyGuest(const std::string& virt_mode, const std::string& tag, const std::string& uuid_prefix)
      : uri(testing::RequireEnv("GUREUM_TEST_LIBVIRT_URI")),
        images(TinyImageDir()),
        root(std::filesystem::temp_directory_path() / testing::UniqueName(tag)),
        files(root),
        uuid(uuid_prefix + std::to_string(100000000000 + getpid() % 100000)) {
    auto v = ResolveVirtType(virt_mode, uri, absl::Seconds(20),
                             virt_mode == "auto" ? images + "/tiny-kernel" : "");
    REQUIRE(v.ok());
    virt = *v;
    auto h = CreateLibvirtHypervisor(uri);
    REQUIRE(h.ok());
    hv = std::move(*h);
    REQUIRE(files.Create(uuid).ok());
    p = files.Paths(uuid);
    REQUIRE(CreateOverlay(images + "/tiny-disk.raw", "raw", p.disk, 0).ok());
  }
  ~TinyGuest() {
    if (hv) (void)hv->Undefine(uuid);  // NotFound when the test removed it itself
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  std::string uri, images, root;
  InstanceFiles files;
  std::string uuid, virt;
  std::unique_ptr<Hypervisor> hv;
  InstancePaths p;
};

TEST_CASE("the tiny image boots under QEMU, reads its config drive, and is deleted cleanly") {
  TinyGuest g("auto", "gureum-boot", "7e57b007-0000-4000-8000-");
  const std::string& uuid = g.uuid;
  const InstancePaths& p = g.p;
  Hypervisor& hv = *g.hv;
  pb::InstanceSpec spec;
  spec.set_uuid(uuid);
  spec.set_name("tiny-boot");
  spec.set_user_data(absl::Base64Escape("#!/bin/sh\necho hello-from-user-data\n"));
  (*spec.mutable_metadata())["purpose"] = "boot-test";
  REQUIRE(MakeConfigDrive(spec, p.config_drive).ok());

  DomainSpec d = TinyDomain(uuid, g.virt, g.images, p);
  d.disks.push_back({.path = p.config_drive, .format = "raw", .device = "cdrom", .bus = "ide"});
  d.metadata = {{"instance_uuid", uuid}};
  REQUIRE(hv.Define(d).ok());
  absl::Status started = hv.Start(uuid);
  INFO(started.ToString());
  CHECK(started.ok());
  if (started.ok()) {
    CHECK(hv.Get(uuid)->power_state == PowerState::kRunning);
    bool booted = WaitForText(p.console_log, "GUREUM-TINY-DONE", absl::Seconds(120));
    std::string console = ReadTail(p.console_log, 1 << 20);
    INFO("virt_type " << g.virt << "; console log:\n"
                      << console.substr(console.size() > 3000 ? console.size() - 3000 : 0));
    CHECK(booted);
    CHECK(console.find("GUREUM-TINY-BOOTED") != std::string::npos);
    CHECK(console.find("\"purpose\":\"boot-test\"") != std::string::npos);
    CHECK(console.find("hello-from-user-data") != std::string::npos);
    CHECK(console.find(uuid) != std::string::npos);
  }

  // Delete: the domain and every file of the instance go.
  REQUIRE(hv.Undefine(uuid).ok());
  REQUIRE(g.files.Remove(uuid).ok());
  CHECK(hv.Get(uuid).status().code() == absl::StatusCode::kNotFound);
  auto all = hv.List();
  REQUIRE(all.ok());
  for (const DomainInfo& info : *all) CHECK(info.uuid != uuid);
  CHECK_FALSE(std::filesystem::exists(p.disk));
  CHECK_FALSE(std::filesystem::exists(p.dir));
}

// A guest still booting has no power-button handler yet and drops an ACPI request. Stop
// repeats the request (every 10 s, as Nova does), so the guest powers itself off once its
// handler runs instead of waiting out the timeout and being destroyed.
TEST_CASE("a stop sent while the guest boots is repeated until the guest powers off by ACPI") {
  TinyGuest g("qemu", "gureum-acpi", "7e57b007-0000-4000-a000-");
  const std::string& uuid = g.uuid;
  const InstancePaths& p = g.p;
  Hypervisor& hv = *g.hv;
  REQUIRE(hv.Define(TinyDomain(uuid, g.virt, g.images, p)).ok());
  REQUIRE(hv.Start(uuid).ok());
  // At once: the first request reaches a kernel that has not loaded its button driver.
  absl::Status stopped = hv.Stop(uuid, absl::Seconds(120));
  std::string console = ReadTail(p.console_log, 1 << 20);
  INFO(stopped.ToString() << "\nconsole:\n"
                          << console.substr(console.size() > 3000 ? console.size() - 3000 : 0));
  CHECK(stopped.ok());
  CHECK(hv.Get(uuid)->power_state == PowerState::kShutdown);
  CHECK(console.find("GUREUM-TINY-BOOTED") != std::string::npos);
  CHECK(console.find("GUREUM-TINY-POWEROFF") != std::string::npos);  // by ACPI, not destroy

  REQUIRE(hv.Undefine(uuid).ok());
  REQUIRE(g.files.Remove(uuid).ok());
}

// The agent's own path on QEMU: ComputeManager builds the tiny image (image cache from a
// folder of files, overlay, config drive), stops it with an ACPI shutdown (the guest's
// power-button handler answers), starts it again, and deletes it.
TEST_CASE("the agent builds, stops (ACPI), starts and deletes a real QEMU instance") {
  const std::string uri = testing::RequireEnv("GUREUM_TEST_LIBVIRT_URI");
  const std::string images = TinyImageDir();
  auto virt = ResolveVirtType("qemu", uri, absl::Seconds(20), "");
  REQUIRE(virt.ok());
  auto hv = CreateLibvirtHypervisor(uri);
  REQUIRE(hv.ok());
  const std::string root =
      std::filesystem::temp_directory_path() / testing::UniqueName("gureum-life");
  AgentOptions options;
  options.host = "boot-host";
  options.virt_type = *virt;
  options.instances_path = root;
  options.image_cache_path = root + "/_base";
  options.shutdown_timeout = absl::Seconds(90);
  DirectoryImageClient image_client(images);
  ImageCache cache(options.image_cache_path, image_client, RealClock::Get());
  InstanceFiles files(root);
  compute::FakePlacementClient placement;
  amqp::FakeBus bus;
  ComputeManager manager(options, {**hv, cache, files, placement, bus, RealClock::Get()});

  const std::string uuid =
      "7e57b007-0000-4000-9000-" + std::to_string(100000000000 + getpid() % 100000);
  pb::BuildInstance b;
  b.mutable_request()->set_task_id("t-build");
  pb::InstanceSpec* spec = b.mutable_request()->mutable_spec();
  spec->set_uuid(uuid);
  spec->set_name("life");
  spec->set_user_data(absl::Base64Escape("life-cycle-user-data"));
  spec->mutable_flavor()->set_vcpus(1);
  spec->mutable_flavor()->set_ram_mb(256);
  spec->mutable_flavor()->set_disk_gb(1);
  spec->mutable_image()->set_id("tiny-disk.raw");
  (*spec->mutable_image()->mutable_properties())["kernel_id"] = "tiny-kernel";
  (*spec->mutable_image()->mutable_properties())["ramdisk_id"] = "tiny-initrd";
  (*spec->mutable_image()->mutable_properties())["os_command_line"] = "console=ttyS0";
  REQUIRE(manager.Build(b).ok());
  auto count = [&](const std::string& text) {
    std::string log = ReadTail(files.Paths(uuid).console_log, 1 << 20);
    int n = 0;
    for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
    return n;
  };
  auto wait_count = [&](const std::string& text, int n) {
    absl::Time deadline = absl::Now() + absl::Seconds(150);
    while (absl::Now() < deadline && count(text) < n) absl::SleepFor(absl::Milliseconds(250));
    return count(text) >= n;
  };
  REQUIRE((*hv)->Get(uuid).ok());
  CHECK(wait_count("GUREUM-TINY-DONE", 1));
  INFO("console:\n" << ReadTail(files.Paths(uuid).console_log, 3000));
  CHECK(count("life-cycle-user-data") == 1);

  pb::InstanceAction a;
  a.set_instance_uuid(uuid);
  a.set_kind(pb::InstanceAction::STOP);
  REQUIRE(manager.Act(a).ok());
  CHECK((*hv)->Get(uuid)->power_state == PowerState::kShutdown);
  CHECK(count("GUREUM-TINY-POWEROFF") == 1);  // it went by ACPI, not by destroy

  a.set_kind(pb::InstanceAction::START);
  REQUIRE(manager.Act(a).ok());
  CHECK((*hv)->Get(uuid)->power_state == PowerState::kRunning);
  CHECK(wait_count("GUREUM-TINY-DONE", 2));

  a.set_kind(pb::InstanceAction::DELETE);
  REQUIRE(manager.Act(a).ok());
  CHECK((*hv)->Get(uuid).status().code() == absl::StatusCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(files.Paths(uuid).dir));
  std::vector<std::string> updates;
  for (const amqp::Message& m : bus.Queued("conductor")) {
    pb::Cast c;
    if (c.ParseFromString(m.body) && c.has_instance_update()) {
      updates.push_back(c.instance_update().vm_state());
    }
  }
  CHECK(updates == std::vector<std::string>{"active", "stopped", "active", "deleted"});
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}

}  // namespace
}  // namespace gureum::compute_agent
