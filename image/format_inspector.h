// Checks uploaded disk data against its declared disk_format while it streams past, in
// constant memory (the first 64 KiB are kept), the way Glance's format_inspector does
// after its image-format CVEs (OSSA-2024-001/-002): a file that claims one format but is
// another, and any qcow2 with a backing file or an external data file, are refused,
// because qemu would follow those references to read arbitrary host files.
//
//   FormatInspector inspector("qcow2");
//   for each piece: GUREUM_RETURN_IF_ERROR(inspector.Feed(data, n));  // may fail early
//   GUREUM_RETURN_IF_ERROR(inspector.Finish(total_bytes));
//   inspector.virtual_size();  // from the header (qcow2, vmdk, vdi) or the size
//
// Formats recognised: qcow2, vmdk (monolithicSparse/streamOptimized sparse extents),
// vdi, iso (ISO 9660), vhd, vhdx and qed (recognised only to refuse them under another
// name). raw, aki, ari and ami must not look like any of the disk formats. Failures are
// InvalidArgument with a message naming what was found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "common/status/macros.h"

namespace gureum::image {

class FormatInspector {
 public:
  static constexpr size_t kHeaderBytes = 64 * 1024;

  explicit FormatInspector(std::string disk_format) : disk_format_(std::move(disk_format)) {}

  absl::Status Feed(const char* data, size_t size);
  absl::Status Finish(int64_t total_bytes);
  std::optional<int64_t> virtual_size() const { return virtual_size_; }

  // The format the header looks like ("raw" when none matches). Exposed for tests.
  static std::string Detect(const std::string& header);

 private:
  absl::Status Verdict(int64_t total_bytes);

  std::string disk_format_;
  std::string header_;
  bool decided_ = false;
  absl::Status verdict_;
  std::optional<int64_t> virtual_size_;
};

}  // namespace gureum::image
