#include "network/agent/router_nat.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/agent/firewall.h"

namespace gureum::network_agent {

std::string RouterNatRules(const pb::HostRouter& router, const std::string& qg,
                           const std::string& gateway_address,
                           const std::vector<std::string>& internal_cidrs) {
  if (qg.empty()) return "";
  std::vector<std::pair<std::string, std::string>> fips;  // floating, fixed
  for (const auto& f : router.floating_ips()) {
    if (AddressFamily(f.floating_ip_address()) == 4 && AddressFamily(f.fixed_ip_address()) == 4) {
      fips.emplace_back(f.floating_ip_address(), f.fixed_ip_address());
    }
  }
  std::sort(fips.begin(), fips.end());
  std::vector<std::string> internal = MergePrefixes(internal_cidrs);
  bool snat = router.router().external_gateway().enable_snat() && !gateway_address.empty() &&
              !internal.empty();
  if (fips.empty() && !snat) return "";
  const std::string out = absl::StrCat("oifname \"", qg, "\"");
  std::string pre, post;
  for (const auto& [floating, fixed] : fips) {
    absl::StrAppend(&pre, "    ip daddr ", floating, " dnat to ", fixed, "\n");
    absl::StrAppend(&post, "    ", out, " ip saddr ", fixed, " snat to ", floating, "\n");
  }
  if (snat) {
    absl::StrAppend(&post, "    ", out, " ip saddr { ", absl::StrJoin(internal, ", "),
                    " } snat to ", gateway_address, "\n");
  }
  return absl::StrCat(
      "table ip ", kNatTable, " {\n",
      "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n", pre,
      "  }\n", "  chain output {\n    type nat hook output priority -100; policy accept;\n", pre,
      "  }\n",
      "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n",
      post, "  }\n}\n");
}

std::string RouterNatTransaction(const std::string& rules) {
  return absl::StrCat("table ip ", kNatTable, "\ndelete table ip ", kNatTable, "\n", rules);
}

}  // namespace gureum::network_agent
