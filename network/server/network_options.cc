// ParseVniRange (network_options.h).
#include "network/server/network_options.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace gureum::network {

absl::Status ParseVniRange(const std::string& text, int* lo, int* hi) {
  std::string first = std::string(text.substr(0, text.find(',')));
  std::vector<std::string> parts = absl::StrSplit(first, ':');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], lo) || !absl::SimpleAtoi(parts[1], hi) ||
      *lo < 1 || *hi > (1 << 24) - 1 || *lo > *hi) {
    return absl::InvalidArgumentError(
        "vni_ranges must look like 1:10000 (1 <= min <= max < 2^24), got '" + text + "'");
  }
  return absl::OkStatus();
}

}  // namespace gureum::network
