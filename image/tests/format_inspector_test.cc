#include "image/format_inspector.h"

#include <catch2/catch.hpp>

#include "image/tests/test_util.h"

namespace gureum::image {
namespace {

absl::Status Inspect(const std::string& format, const std::string& data, int64_t* vsize = nullptr,
                     size_t piece = 1000) {
  FormatInspector in(format);
  for (size_t off = 0; off < data.size(); off += piece) {
    absl::Status s = in.Feed(data.data() + off, std::min(piece, data.size() - off));
    if (!s.ok()) return s;
  }
  absl::Status s = in.Finish(static_cast<int64_t>(data.size()));
  if (s.ok() && vsize != nullptr) *vsize = in.virtual_size().value_or(-1);
  return s;
}

TEST_CASE("inspector: raw data is raw, its virtual size is its size", "[inspector]") {
  int64_t vsize = 0;
  std::string raw = testing::RandomBytes(200 * 1024);
  REQUIRE(Inspect("raw", raw, &vsize).ok());
  CHECK(vsize == 200 * 1024);
  CHECK(Inspect("raw", "", &vsize).ok());  // empty and short files too
  CHECK(Inspect("ami", "tiny", &vsize).ok());
}

TEST_CASE("inspector: qcow2 header gives the virtual size", "[inspector]") {
  int64_t vsize = 0;
  REQUIRE(Inspect("qcow2", testing::Qcow2(10737418240ULL), &vsize).ok());
  CHECK(vsize == 10737418240LL);
}

TEST_CASE("inspector: a format other than disk_format is refused", "[inspector]") {
  absl::Status s = Inspect("raw", testing::Qcow2(1 << 20));
  CHECK(absl::IsInvalidArgument(s));
  CHECK_THAT(std::string(s.message()), Catch::Contains("qcow2 format, but disk_format is raw"));
  CHECK(absl::IsInvalidArgument(Inspect("qcow2", testing::RandomBytes(100 * 1024))));
  CHECK(absl::IsInvalidArgument(Inspect("vmdk", testing::Qcow2(1 << 20))));
  CHECK(absl::IsInvalidArgument(Inspect("iso", testing::RandomBytes(100 * 1024))));
  std::string vmdk_text = "# Disk DescriptorFile\nRW 100 FLAT \"/etc/shadow\" 0\n";
  CHECK(absl::IsInvalidArgument(Inspect("raw", vmdk_text)));
  CHECK(absl::IsInvalidArgument(Inspect("vmdk", vmdk_text)));
}

TEST_CASE("inspector: qcow2 with a backing file or an external data file is refused",
          "[inspector]") {
  absl::Status backing = Inspect("qcow2", testing::Qcow2(1 << 20, /*backing=*/true));
  CHECK(absl::IsInvalidArgument(backing));
  CHECK_THAT(std::string(backing.message()), Catch::Contains("backing file"));
  absl::Status data_file = Inspect("qcow2", testing::Qcow2(1 << 20, false, /*data_file=*/true));
  CHECK(absl::IsInvalidArgument(data_file));
  CHECK_THAT(std::string(data_file.message()), Catch::Contains("external data file"));
}

// A sparse vmdk (KDMV header) with `descriptor` embedded at sector 1.
std::string SparseVmdk(const std::string& descriptor, uint64_t capacity_sectors = 2048) {
  std::string s(128 * 1024, '\0');
  auto put_le = [&s](size_t off, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  s.replace(0, 4, "KDMV");
  put_le(4, 1, 4);
  put_le(12, capacity_sectors, 8);
  put_le(20, 128, 8);
  put_le(28, 1, 8);   // descriptor at sector 1
  put_le(36, 20, 8);  // 20 sectors long
  s.replace(512, descriptor.size(), descriptor);
  return s;
}

std::string Descriptor(const std::string& create_type, const std::string& extents) {
  return "# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType=\"" +
         create_type + "\"\n\n# Extent description\n" + extents +
         "\n# The Disk Data Base\n#DDB\nddb.virtualHWVersion = \"4\"\n";
}

TEST_CASE("inspector: a sparse vmdk with one extent of itself is accepted", "[inspector]") {
  int64_t vsize = 0;
  REQUIRE(Inspect("vmdk",
                  SparseVmdk(Descriptor("monolithicSparse", "RW 2048 SPARSE \"disk.vmdk\"\n")),
                  &vsize)
              .ok());
  CHECK(vsize == 2048 * 512);
  CHECK(Inspect("vmdk", SparseVmdk(Descriptor("streamOptimized", "RW 2048 SPARSE \"disk.vmdk\"\n")))
            .ok());
}

TEST_CASE("inspector: vmdk extents naming other files are refused (issue 16, hole 10)",
          "[inspector]") {
  for (const std::string& extents : {
           std::string("RW 2048 SPARSE \"/etc/shadow\"\n"),
           std::string("RW 2048 SPARSE \"../../etc/shadow\"\n"),
           std::string("RW 2048 FLAT \"/etc/shadow\" 0\n"),
           std::string("RW 2048 FLAT \"disk-flat.vmdk\" 0\n"),
           std::string("RDONLY 2048 VMFS \"/dev/sda\"\n"),
           std::string("RW 2048 SPARSE \"disk.vmdk\"\nRW 2048 SPARSE \"other.vmdk\"\n"),
           std::string(""),
       }) {
    INFO(extents);
    CHECK(absl::IsInvalidArgument(
        Inspect("vmdk", SparseVmdk(Descriptor("monolithicSparse", extents)))));
  }
  // Other create types, a parent, and a zero capacity (qemu then follows the descriptor).
  CHECK(absl::IsInvalidArgument(
      Inspect("vmdk", SparseVmdk(Descriptor("monolithicFlat", "RW 2048 SPARSE \"disk.vmdk\"\n")))));
  CHECK(absl::IsInvalidArgument(
      Inspect("vmdk", SparseVmdk(Descriptor("monolithicSparse", "RW 2048 SPARSE \"disk.vmdk\"\n") +
                                 "parentFileNameHint=\"/etc/shadow\"\n"))));
  CHECK(absl::IsInvalidArgument(Inspect(
      "vmdk", SparseVmdk(Descriptor("monolithicSparse", "RW 2048 SPARSE \"disk.vmdk\"\n"), 0))));
}

TEST_CASE("inspector: qcow2 with unknown incompatible features is refused", "[inspector]") {
  std::string q = testing::Qcow2(1 << 20);
  q[79] = static_cast<char>(0x40);  // incompatible feature bit 6
  CHECK(absl::IsInvalidArgument(Inspect("qcow2", q)));
}

TEST_CASE("inspector: the verdict comes once 64 KiB are in, before the rest", "[inspector]") {
  FormatInspector in("raw");
  std::string q = testing::Qcow2(1 << 20);
  CHECK(in.Feed(q.data(), 1000).ok());
  CHECK(absl::IsInvalidArgument(in.Feed(q.data() + 1000, FormatInspector::kHeaderBytes)));
}

TEST_CASE("inspector: ISO 9660 is recognised", "[inspector]") {
  std::string iso(64 * 1024, '\0');
  iso.replace(0x8001, 5, "CD001");
  CHECK(FormatInspector::Detect(iso) == "iso");
  CHECK(Inspect("iso", iso).ok());
  CHECK(Inspect("raw", iso).ok());
  CHECK(absl::IsInvalidArgument(Inspect("qcow2", iso)));
}

}  // namespace
}  // namespace gureum::image
