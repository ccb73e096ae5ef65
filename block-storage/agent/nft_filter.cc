#include "block-storage/agent/nft_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"

namespace gureum::volume_agent {
namespace {
constexpr absl::Duration kTimeout = absl::Seconds(30);
}  // namespace

absl::Status NftFilter::Nft(std::vector<std::string> args) {
  args.insert(args.begin(), "nft");
  return runner_.RunChecked(args, kTimeout);
}

absl::Status NftFilter::EnsureChain() {
  GUREUM_RETURN_IF_ERROR(Nft({"add", "table", "inet", table_}));
  return Nft({"add", "chain", "inet", table_, "input",
              "{ type filter hook input priority 0 ; policy accept ; }"});
}

absl::Status NftFilter::Allow(int port, const std::string& allowed_ip,
                              const std::string& attachment_id) {
  GUREUM_RETURN_IF_ERROR(EnsureChain());
  GUREUM_RETURN_IF_ERROR(Remove(attachment_id));
  const bool v6 = absl::StrContains(allowed_ip, ':');
  std::string comment = absl::StrCat("\"", attachment_id, "\"");
  std::string dport = std::to_string(port);
  // Other hosts of the allowed address's family, and every host of the other family.
  GUREUM_RETURN_IF_ERROR(
      Nft({"add", "rule", "inet", table_, "input", "tcp", "dport", dport, v6 ? "ip6" : "ip",
           "saddr", "!=", allowed_ip, "drop", "comment", comment}));
  return Nft({"add", "rule", "inet", table_, "input", "tcp", "dport", dport, "meta", "nfproto",
              v6 ? "ipv4" : "ipv6", "drop", "comment", comment});
}

absl::Status NftFilter::Remove(const std::string& attachment_id) {
  absl::StatusOr<std::string> listing =
      runner_.Output({"nft", "-a", "list", "chain", "inet", table_, "input"}, kTimeout);
  if (!listing.ok()) return absl::OkStatus();  // no table or chain: no rules
  for (absl::string_view line : absl::StrSplit(*listing, '\n')) {
    if (!absl::StrContains(line, absl::StrCat("comment \"", attachment_id, "\""))) continue;
    size_t at = line.rfind("# handle ");
    int handle = 0;
    if (at == absl::string_view::npos ||
        !absl::SimpleAtoi(line.substr(at + strlen("# handle ")), &handle)) {
      continue;
    }
    GUREUM_RETURN_IF_ERROR(
        Nft({"delete", "rule", "inet", table_, "input", "handle", std::to_string(handle)}));
  }
  return absl::OkStatus();
}

absl::Status NftFilter::DropTable() {
  absl::Status s = Nft({"delete", "table", "inet", table_});
  if (!s.ok() && absl::StrContains(s.message(), "No such file")) return absl::OkStatus();
  return s;
}

}  // namespace gureum::volume_agent
