#include "compute/agent/domain_xml.h"

#include <catch2/catch.hpp>

namespace gureum::compute_agent {
namespace {

DomainSpec Basic() {
  DomainSpec s;
  s.uuid = "6c2f3a52-4f11-4a8e-9b1e-2d3f4a5b6c7d";
  s.name = "instance-6c2f3a52";
  s.virt_type = "kvm";
  s.vcpus = 2;
  s.memory_mb = 512;
  s.disks.push_back({.path = "/var/lib/gureum/instances/x/disk"});
  s.console_log = "/var/lib/gureum/instances/x/console.log";
  return s;
}

bool Has(const std::string& xml, const std::string& part) {
  return xml.find(part) != std::string::npos;
}

TEST_CASE("domain XML carries flavor, disk and serial console") {
  auto xml = DomainXml(Basic());
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<domain type=\"kvm\">"));
  CHECK(Has(*xml, "<uuid>6c2f3a52-4f11-4a8e-9b1e-2d3f4a5b6c7d</uuid>"));
  CHECK(Has(*xml, "<memory unit=\"MiB\">512</memory>"));
  CHECK(Has(*xml, "<vcpu>2</vcpu>"));
  CHECK(Has(*xml, "<driver name=\"qemu\" type=\"qcow2\"/>"));
  CHECK(Has(*xml, "<source file=\"/var/lib/gureum/instances/x/disk\"/>"));
  CHECK(Has(*xml, "<target dev=\"vda\" bus=\"virtio\"/>"));
  CHECK(Has(*xml, "<serial type=\"file\">"));
  CHECK(Has(*xml, "path=\"/var/lib/gureum/instances/x/console.log\""));
  CHECK(Has(*xml, "<boot dev=\"hd\"/>"));
  CHECK_FALSE(Has(*xml, "<kernel>"));
  CHECK_FALSE(Has(*xml, "<cpu"));
}

TEST_CASE("domain XML: bridge interfaces in order with MAC, bridge, tap, virtio and MTU") {
  DomainSpec s = Basic();
  s.interfaces.push_back({.mac = "fa:16:3e:00:00:01",
                          .bridge = "brq1234567890a",
                          .tap = "tapaaaaaaaaaaa",
                          .mtu = 1450});
  s.interfaces.push_back(
      {.mac = "fa:16:3e:00:00:02", .bridge = "brq0987654321b", .tap = "tapbbbbbbbbbbb"});
  auto xml = DomainXml(s);
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<interface type=\"bridge\">"));
  CHECK(Has(*xml, "<mac address=\"fa:16:3e:00:00:01\"/>"));
  CHECK(Has(*xml, "<source bridge=\"brq1234567890a\"/>"));
  CHECK(Has(*xml, "<target dev=\"tapaaaaaaaaaaa\"/>"));
  CHECK(Has(*xml, "<model type=\"virtio\"/>"));
  CHECK(Has(*xml, "<mtu size=\"1450\"/>"));
  CHECK(xml->find("fa:16:3e:00:00:01") < xml->find("fa:16:3e:00:00:02"));
  // The second has no MTU of its own: one <mtu> element only.
  CHECK(xml->find("<mtu") == xml->rfind("<mtu"));
  s.interfaces.push_back({.mac = "", .bridge = "brqx"});
  CHECK(DomainXml(s).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("domain XML: machine type, CPU mode, buses of disks and cdrom") {
  DomainSpec s = Basic();
  s.machine_type = "q35";
  s.cpu_mode = "host-passthrough";
  s.disks[0].bus = "scsi";
  s.disks.push_back({.path = "/i/disk.config", .format = "raw", .device = "cdrom", .bus = "sata"});
  auto xml = DomainXml(s);
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "machine=\"q35\""));
  CHECK(Has(*xml, "<cpu mode=\"host-passthrough\"/>"));
  CHECK(Has(*xml, "<target dev=\"sda\" bus=\"scsi\"/>"));
  // The cdrom on sata comes after the scsi disk in the shared sdX letters.
  CHECK(Has(*xml, "<target dev=\"sdb\" bus=\"sata\"/>"));
  CHECK(Has(*xml, "device=\"cdrom\""));
  CHECK(Has(*xml, "<readonly/>"));
}

TEST_CASE("domain XML: direct kernel boot for aki/ari images") {
  DomainSpec s = Basic();
  s.kernel = "/cache/kernel-1";
  s.initrd = "/cache/ramdisk-2";
  s.cmdline = "console=ttyS0 root=/dev/vda";
  auto xml = DomainXml(s);
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<kernel>/cache/kernel-1</kernel>"));
  CHECK(Has(*xml, "<initrd>/cache/ramdisk-2</initrd>"));
  CHECK(Has(*xml, "<cmdline>console=ttyS0 root=/dev/vda</cmdline>"));
  CHECK_FALSE(Has(*xml, "<boot dev"));
}

TEST_CASE("domain XML escapes names, paths and metadata") {
  DomainSpec s = Basic();
  s.name = "a<b>&\"c\"";
  s.disks[0].path = "/tmp/we'ird & <path>";
  s.metadata = {{"display_name", "<script>&amp;"}, {"flavor", "m1.tiny"}};
  auto xml = DomainXml(s);
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<name>a&lt;b&gt;&amp;\"c\"</name>"));
  CHECK(Has(*xml, "&amp; &lt;path&gt;"));
  CHECK_FALSE(Has(*xml, "<script>"));
  // And the metadata comes back out unchanged.
  std::string meta = MetadataXml(s.metadata);
  auto parsed = ParseMetadataXml(meta);
  REQUIRE(parsed.ok());
  CHECK(*parsed == s.metadata);
}

TEST_CASE("domain XML refuses specs libvirt would reject less readably") {
  DomainSpec s = Basic();
  s.uuid = "";
  CHECK(DomainXml(s).status().code() == absl::StatusCode::kInvalidArgument);
  s = Basic();
  s.disks[0].bus = "floppy";
  CHECK(DomainXml(s).status().message().find("floppy") != std::string::npos);
  s = Basic();
  s.disks.clear();
  CHECK_FALSE(DomainXml(s).ok());
  s = Basic();
  s.cpu_mode = "custom";
  CHECK_FALSE(DomainXml(s).ok());
  s = Basic();
  s.vcpus = 0;
  CHECK_FALSE(DomainXml(s).ok());
}

TEST_CASE("metadata parsing rejects what is not ours") {
  CHECK_FALSE(ParseMetadataXml("<not-xml").ok());
  CHECK_FALSE(ParseMetadataXml("<other/>").ok());
}

TEST_CASE("disk targets follow the bus") {
  CHECK(DiskTarget("virtio", 0) == "vda");
  CHECK(DiskTarget("virtio", 1) == "vdb");
  CHECK(DiskTarget("ide", 3) == "hdd");
  CHECK(DiskTarget("sata", 0) == "sda");
}

}  // namespace
}  // namespace gureum::compute_agent

namespace gureum::compute_agent {
namespace {

DiskSpec VolumeDisk() {
  return DiskSpec{.format = "raw",
                  .target = "vdb",
                  .protocol = "nbd",
                  .nbd_host = "192.0.2.7",
                  .nbd_port = 10811,
                  .export_name = "exp-<x>",
                  .serial = "vol-1"};
}

TEST_CASE("disk XML: a volume is an NBD network disk, raw, cache none, stop on error, serial") {
  auto xml = DiskXml(VolumeDisk());
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<disk type=\"network\" device=\"disk\">"));
  CHECK(Has(*xml,
            "<driver name=\"qemu\" type=\"raw\" cache=\"none\" error_policy=\"stop\" "
            "rerror_policy=\"stop\"/>"));
  CHECK(Has(*xml, "<source protocol=\"nbd\" name=\"exp-&lt;x&gt;\">"));
  CHECK(Has(*xml, "<host name=\"192.0.2.7\" port=\"10811\"/>"));
  CHECK(Has(*xml, "<target dev=\"vdb\" bus=\"virtio\"/>"));
  CHECK(Has(*xml, "<serial>vol-1</serial>"));
  DiskSpec no_target = VolumeDisk();
  no_target.target = "";
  CHECK(DiskXml(no_target).status().code() == absl::StatusCode::kInvalidArgument);
  DiskSpec iscsi = VolumeDisk();
  iscsi.protocol = "iscsi";
  CHECK(DiskXml(iscsi).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("domain XML: the disks read back, and one disk's element found by its target") {
  DomainSpec spec = Basic();
  spec.disks.push_back(VolumeDisk());
  auto xml = DomainXml(spec);
  REQUIRE(xml.ok());
  CHECK(Has(*xml, "<acpi/>"));  // hot-unplug asks the guest through ACPI
  auto disks = ParseDisks(*xml);
  REQUIRE(disks.ok());
  REQUIRE(disks->size() == 2);
  CHECK((*disks)[0].target == "vda");
  CHECK((*disks)[0].path == "/var/lib/gureum/instances/x/disk");
  CHECK((*disks)[0].protocol.empty());
  CHECK((*disks)[1].target == "vdb");
  CHECK((*disks)[1].protocol == "nbd");
  CHECK((*disks)[1].nbd_host == "192.0.2.7");
  CHECK((*disks)[1].nbd_port == 10811);
  CHECK((*disks)[1].export_name == "exp-<x>");
  CHECK((*disks)[1].serial == "vol-1");
  CHECK((*disks)[1].bus == "virtio");
  auto element = DiskElementXml(*xml, "vdb");
  REQUIRE(element.ok());
  CHECK(Has(*element, "<disk type=\"network\""));
  CHECK_FALSE(Has(*element, "vda"));
  CHECK(DiskElementXml(*xml, "vdz").status().code() == absl::StatusCode::kNotFound);
  CHECK(ParseDisks("<domain").status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gureum::compute_agent
