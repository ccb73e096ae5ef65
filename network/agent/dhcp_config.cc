#include "network/agent/dhcp_config.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/agent/firewall.h"

namespace gureum::network_agent {
namespace {

std::string Tag(const pb::Subnet& s) { return "subnet-" + s.id(); }

// Only letters, digits, '-', '.' (and '_'): nothing from the server may add a line or a field.
bool Plain(const std::string& s, bool underscore = false) {
  const char* ok = underscore ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._"
                              : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.";
  return s.find_first_not_of(ok) == std::string::npos;
}

// A host's extra DHCP options, the ones that can be written safely: a plain name, a value
// without line breaks.
std::vector<const pb::ExtraDhcpOpt*> SafeOptions(const pb::DhcpHost& h) {
  std::vector<const pb::ExtraDhcpOpt*> out;
  if (h.tag().empty() || !Plain(h.tag())) return out;
  for (const auto& o : h.extra_dhcp_opts()) {
    if (o.opt_name().empty() || !Plain(o.opt_name(), true) ||
        o.opt_value().find_first_of("\n\r", 0, 2) != std::string::npos) {
      continue;
    }
    out.push_back(&o);
  }
  return out;
}

std::vector<const pb::Subnet*> Ipv4DhcpSubnets(const pb::DhcpNetwork& dhcp) {
  std::vector<const pb::Subnet*> out;
  for (const auto& s : dhcp.subnets()) {
    if (s.enable_dhcp() && s.ip_version() != 6 && AddressFamily(s.cidr()) == 4) out.push_back(&s);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id() < b->id(); });
  return out;
}

}  // namespace

std::string Ipv4Netmask(const std::string& cidr) {
  size_t slash = cidr.find('/');
  int len = 0;
  if (slash == std::string::npos || AddressFamily(cidr) != 4 ||
      !absl::SimpleAtoi(cidr.substr(slash + 1), &len) || len < 0 || len > 32) {
    return "";
  }
  uint32_t m = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
  return absl::StrCat(m >> 24, ".", (m >> 16) & 255, ".", (m >> 8) & 255, ".", m & 255);
}

std::string DhcpHostsFile(const pb::DhcpNetwork& dhcp) {
  std::vector<std::string> lines;
  for (const auto& h : dhcp.hosts()) {
    if (AddressFamily(h.ip_address()) != 4 || h.mac_address().empty()) continue;
    // One line per host: nothing from the server may add another (or an option).
    if (h.mac_address().find_first_not_of("0123456789abcdefABCDEF:") != std::string::npos) continue;
    std::string name = h.hostname().empty() || !Plain(h.hostname()) ? "" : "," + h.hostname();
    // A host with extra options is tagged; the options file gives them to the tag.
    std::string tag = SafeOptions(h).empty() ? "" : ",set:" + h.tag();
    lines.push_back(
        absl::StrCat(absl::AsciiStrToLower(h.mac_address()), tag, name, ",", h.ip_address()));
  }
  std::sort(lines.begin(), lines.end());
  return lines.empty() ? "" : absl::StrJoin(lines, "\n") + "\n";
}

std::string DhcpOptsFile(const pb::DhcpNetwork& dhcp, int mtu) {
  std::string out;
  for (const pb::Subnet* s : Ipv4DhcpSubnets(dhcp)) {
    const std::string tag = "tag:" + Tag(*s);
    if (!s->gateway_ip().empty())
      absl::StrAppend(&out, tag, ",option:router,", s->gateway_ip(), "\n");
    std::vector<std::string> dns;
    for (const auto& d : s->dns_nameservers()) {
      if (AddressFamily(d) == 4) dns.push_back(d);
    }
    if (!dns.empty())
      absl::StrAppend(&out, tag, ",option:dns-server,", absl::StrJoin(dns, ","), "\n");
    if (mtu > 0) absl::StrAppend(&out, tag, ",option:mtu,", mtu, "\n");
    // A client that gets option 121 ignores option 3 (RFC 3442): the default route goes
    // into the classless routes too.
    std::vector<std::string> routes;
    for (const auto& r : s->host_routes()) {
      if (AddressFamily(r.destination()) == 4)
        routes.push_back(r.destination() + "," + r.nexthop());
    }
    if (!routes.empty()) {
      if (!s->gateway_ip().empty()) routes.push_back("0.0.0.0/0," + s->gateway_ip());
      absl::StrAppend(&out, tag, ",option:classless-static-route,", absl::StrJoin(routes, ","),
                      "\n");
    }
  }
  // Each port's extra DHCP options (Neutron's extra_dhcp_opts), for its tag only.
  std::vector<std::string> host_lines;
  for (const auto& h : dhcp.hosts()) {
    if (AddressFamily(h.ip_address()) != 4) continue;
    for (const pb::ExtraDhcpOpt* o : SafeOptions(h)) {
      host_lines.push_back(
          absl::StrCat("tag:", h.tag(), ",option:", o->opt_name(), ",", o->opt_value(), "\n"));
    }
  }
  std::sort(host_lines.begin(), host_lines.end());
  host_lines.erase(std::unique(host_lines.begin(), host_lines.end()), host_lines.end());
  for (const std::string& l : host_lines) out += l;
  return out;
}

std::vector<std::string> DnsmasqArgs(const pb::DhcpNetwork& dhcp, const DhcpPaths& paths,
                                     const std::string& interface, int lease_seconds,
                                     const std::string& binary, const std::string& user,
                                     const std::string& group) {
  std::vector<std::string> a = {
      binary,
      "--conf-file=/dev/null",
      "--no-hosts",
      "--no-resolv",
      "--port=0",  // DHCP only: DNS servers come from the subnet
      "--bind-interfaces",
      "--interface=" + interface,
      "--except-interface=lo",
      "--pid-file=" + paths.pid(),
      "--dhcp-hostsfile=" + paths.hosts(),
      "--dhcp-optsfile=" + paths.opts(),
      "--dhcp-leasefile=" + paths.leases(),
      "--log-facility=" + paths.log(),
      "--dhcp-authoritative",
      "--dhcp-no-override",
      "--user=" + user,
      "--group=" + group,
  };
  for (const pb::Subnet* s : Ipv4DhcpSubnets(dhcp)) {
    std::string base = s->cidr().substr(0, s->cidr().find('/'));
    a.push_back(absl::StrCat("--dhcp-range=set:", Tag(*s), ",", base, ",static,",
                             Ipv4Netmask(s->cidr()), ",", lease_seconds, "s"));
  }
  return a;
}

}  // namespace gureum::network_agent
