#include <catch2/catch.hpp>

#include "image/format_inspector.h"
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

TEST_CASE("inspector: raw data is raw; its virtual size is its size", "[inspector]") {
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
  absl::Status data_file =
      Inspect("qcow2", testing::Qcow2(1 << 20, false, /*data_file=*/true));
  CHECK(absl::IsInvalidArgument(data_file));
  CHECK_THAT(std::string(data_file.message()), Catch::Contains("external data file"));
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
