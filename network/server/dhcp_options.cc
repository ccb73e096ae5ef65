// Neutron's extra_dhcp_opts (dhcp_options.h).
#include "network/server/dhcp_options.h"

#include <algorithm>
#include <string>

#include "network/server/network_errors.h"

namespace gureum::network {

absl::Status CheckDhcpOptions(const DhcpOptionList& opts) {
  for (const auto& o : opts) {
    for (const std::string* t : {&o.opt_name(), &o.opt_value()}) {
      if (t->size() > 255 || t->find_first_of("\n\r\0", 0, 3) != std::string::npos)
        return InvalidInput("extra DHCP option '" + o.opt_name() + "' is not valid.");
    }
    if (o.opt_name().empty() || o.opt_name().find(',') != std::string::npos)
      return InvalidInput("extra DHCP option name '" + o.opt_name() + "' is not valid.");
  }
  return absl::OkStatus();
}

void MergeDhcpOptions(const DhcpOptionList& in, DhcpOptionList& cur) {
  for (const auto& o : in) {
    auto same = std::find_if(cur.begin(), cur.end(), [&](const v1::ExtraDhcpOpt& c) {
      return c.opt_name() == o.opt_name() && c.ip_version() == o.ip_version();
    });
    if (same != cur.end() && o.opt_value().empty()) {
      cur.erase(same);
    } else if (same != cur.end()) {
      same->set_opt_value(o.opt_value());
    } else if (!o.opt_value().empty()) {
      *cur.Add() = o;
    }
  }
}

}  // namespace gureum::network
