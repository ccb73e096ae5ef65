#include "image/format_inspector.h"

#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"

namespace gureum::image {
namespace {

uint64_t Be(const std::string& h, size_t off, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(h[off + i]);
  return v;
}

uint64_t Le(const std::string& h, size_t off, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(h[off + i]);
  return v;
}

bool HasAt(const std::string& h, size_t off, const char* magic, size_t len) {
  return h.size() >= off + len && std::memcmp(h.data() + off, magic, len) == 0;
}

constexpr size_t kIsoMagicOffset = 0x8001;

bool IsRawLike(const std::string& f) {
  return f == "raw" || f == "aki" || f == "ari" || f == "ami";
}

absl::Status Refuse(const std::string& message) { return absl::InvalidArgumentError(message); }

// The embedded descriptor of a sparse vmdk, checked as Glance's format_inspector does:
// createType monolithicSparse or streamOptimized, exactly one extent, of type SPARSE (the
// data is in this very file), whose file name has no path; no parent (a delta disk
// reads its parent file, as a qcow2 backing file would). Anything else (FLAT, VMFS,
// ZERO, several extents, "/etc/shadow") would make qemu open another host file.
absl::Status CheckVmdkDescriptor(std::string desc) {
  desc = desc.substr(0, desc.find('\0'));  // the descriptor area is NUL-padded
  std::string create_type;
  int extents = 0;
  for (absl::string_view line : absl::StrSplit(desc, absl::ByAnyChar("\r\n"))) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> kv = absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (kv.size() == 2) {
      absl::string_view key = absl::StripAsciiWhitespace(kv[0]);
      absl::string_view value = absl::StripAsciiWhitespace(kv[1]);
      value = absl::StripSuffix(absl::StripPrefix(value, "\""), "\"");
      if (key == "createType") create_type = std::string(value);
      if (key == "parentFileNameHint") {
        return Refuse("vmdk images with a parent (parentFileNameHint) are not allowed.");
      }
      if (key == "parentCID" && !absl::EqualsIgnoreCase(value, "ffffffff")) {
        return Refuse("vmdk images with a parent (parentCID) are not allowed.");
      }
      continue;
    }
    if (!(absl::StartsWith(line, "RW ") || absl::StartsWith(line, "RDONLY ") ||
          absl::StartsWith(line, "NOACCESS "))) {
      continue;
    }
    ++extents;
    // <access> <sectors> <type> "<file name>" [<offset>]
    size_t quote = line.find('"');
    std::vector<absl::string_view> head =
        absl::StrSplit(line.substr(0, quote), ' ', absl::SkipWhitespace());
    if (head.size() != 3 || quote == absl::string_view::npos) {
      return Refuse("A vmdk extent line is malformed.");
    }
    if (head[2] != "SPARSE") {
      return Refuse(
          absl::StrCat("vmdk extents must be SPARSE extents inside the image itself; "
                       "found a ",
                       head[2], " extent."));
    }
    absl::string_view rest = line.substr(quote + 1);
    size_t close = rest.find('"');
    if (close == absl::string_view::npos) return Refuse("A vmdk extent line is malformed.");
    absl::string_view file = rest.substr(0, close);
    if (file.find('/') != absl::string_view::npos || file.find('\\') != absl::string_view::npos ||
        file == "." || file == "..") {
      return Refuse(
          "A vmdk extent names a path: only an extent inside the image itself is "
          "allowed.");
    }
  }
  if (create_type != "monolithicSparse" && create_type != "streamOptimized") {
    return Refuse("Only vmdk createType monolithicSparse or streamOptimized is allowed.");
  }
  if (extents != 1) {
    return Refuse(
        absl::StrCat("A sparse vmdk must have exactly one extent; it has ", extents, "."));
  }
  return absl::OkStatus();
}

}  // namespace

std::string FormatInspector::Detect(const std::string& h) {
  if (HasAt(h, 0, "QFI\xfb", 4)) return "qcow2";
  if (HasAt(h, 0, "KDMV", 4) || HasAt(h, 0, "# Disk DescriptorFile", 21)) return "vmdk";
  if (h.size() >= 0x44 && Le(h, 0x40, 4) == 0xbeda107f) return "vdi";
  if (HasAt(h, 0, "conectix", 8)) return "vhd";
  if (HasAt(h, 0, "vhdxfile", 8)) return "vhdx";
  if (HasAt(h, 0, "QED\0", 4)) return "qed";
  if (HasAt(h, kIsoMagicOffset, "CD001", 5)) return "iso";
  return "raw";
}

absl::Status FormatInspector::Feed(const char* data, size_t size) {
  if (decided_) return verdict_;
  size_t take = std::min(size, kHeaderBytes - header_.size());
  header_.append(data, take);
  if (header_.size() < kHeaderBytes) return absl::OkStatus();
  decided_ = true;
  verdict_ = Verdict(-1);
  return verdict_;
}

absl::Status FormatInspector::Finish(int64_t total_bytes) {
  if (!decided_) {
    decided_ = true;
    verdict_ = Verdict(total_bytes);
  }
  if (!verdict_.ok()) return verdict_;
  if (!virtual_size_.has_value()) virtual_size_ = total_bytes;  // raw-like and iso
  return absl::OkStatus();
}

// `total_bytes` is -1 while the upload is still running.
absl::Status FormatInspector::Verdict(int64_t total_bytes) {
  const std::string found = Detect(header_);
  const std::string& want = disk_format_;
  if (IsRawLike(want) || want == "iso") {
    bool ok = found == "raw" || (found == "iso" && (want == "iso" || want == "raw"));
    if (want == "iso" && found != "iso") {
      return Refuse(absl::StrCat("Image data is not an ISO 9660 image (it looks like ", found,
                                 "), but disk_format is iso."));
    }
    if (!ok) {
      return Refuse(absl::StrCat("Image data is in ", found, " format, but disk_format is ", want,
                                 ". Set disk_format to match the data."));
    }
    return absl::OkStatus();
  }
  if (found != want) {
    return Refuse(absl::StrCat("Image data is in ",
                               found == "raw" ? "an unrecognised (raw)" : found,
                               " format, but disk_format is ", want, "."));
  }
  const std::string& h = header_;
  if (want == "qcow2") {
    if (h.size() < 104) return Refuse("The qcow2 header is truncated.");
    uint64_t version = Be(h, 4, 4);
    if (version != 2 && version != 3) {
      return Refuse(absl::StrCat("Unsupported qcow2 version ", version, "."));
    }
    if (Be(h, 8, 8) != 0) {
      return Refuse(
          "qcow2 images with a backing file are not allowed: the backing file would "
          "be read from the compute host. Upload a flattened image (qemu-img convert).");
    }
    if (version == 3 && (Be(h, 72, 8) & 0x4) != 0) {
      return Refuse(
          "qcow2 images with an external data file are not allowed. Upload a "
          "self-contained image (qemu-img convert).");
    }
    // Bits 0-4 are dirty, corrupt, external data file, compression type and extended L2;
    // qemu refuses an image with any other, and so do we (Glance: unknown features).
    if (version == 3 && (Be(h, 72, 8) & ~uint64_t{0x1f}) != 0) {
      return Refuse("The qcow2 image has unknown incompatible features.");
    }
    virtual_size_ = static_cast<int64_t>(Be(h, 24, 8));
  } else if (want == "vmdk") {
    if (!HasAt(h, 0, "KDMV", 4)) {
      return Refuse(
          "Only sparse vmdk images (monolithicSparse, streamOptimized) are allowed; "
          "descriptor-only vmdk files refer to other files.");
    }
    if (h.size() < 64) return Refuse("The vmdk header is truncated.");
    uint64_t capacity = Le(h, 12, 8);
    uint64_t desc_off = Le(h, 28, 8) * 512;
    uint64_t desc_len = Le(h, 36, 8) * 512;
    if (desc_off == 0 || desc_len == 0 || desc_off + desc_len > h.size()) {
      return Refuse("The vmdk embedded descriptor is missing or beyond the first 64 KiB.");
    }
    // qemu follows the embedded descriptor's extents when the header's capacity is 0.
    if (capacity == 0) return Refuse("The vmdk header has a capacity of 0.");
    GUREUM_RETURN_IF_ERROR(CheckVmdkDescriptor(h.substr(desc_off, desc_len)));
    virtual_size_ = static_cast<int64_t>(capacity * 512);
  } else if (want == "vdi") {
    if (h.size() < 0x178) return Refuse("The vdi header is truncated.");
    virtual_size_ = static_cast<int64_t>(Le(h, 0x170, 8));
  }
  (void)total_bytes;
  return absl::OkStatus();
}

}  // namespace gureum::image
