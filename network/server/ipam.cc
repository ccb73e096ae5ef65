#include "network/server/ipam.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <arpa/inet.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gureum::network {
namespace {

u128 Mask(int bits, int prefix) {
  if (prefix == 0) return 0;
  u128 all = bits == 32 ? u128(0xffffffffu) : ~u128(0);
  return (all << (bits - prefix)) & all;
}

Ip Plus(const Ip& ip, u128 n) { return Ip{ip.version, ip.value + n}; }

}  // namespace

Ip Cidr::last() const {
  u128 all = bits() == 32 ? u128(0xffffffffu) : ~u128(0);
  return Ip{network.version, network.value | (all & ~Mask(bits(), prefix))};
}

absl::StatusOr<Ip> ParseIp(const std::string& text) {
  Ip ip;
  if (text.find(':') == std::string::npos) {
    in_addr a;
    if (inet_pton(AF_INET, text.c_str(), &a) != 1) {
      return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid IP address."));
    }
    ip.version = 4;
    ip.value = ntohl(a.s_addr);
    return ip;
  }
  in6_addr a;
  if (inet_pton(AF_INET6, text.c_str(), &a) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid IP address."));
  }
  ip.version = 6;
  for (int i = 0; i < 16; ++i) ip.value = (ip.value << 8) | a.s6_addr[i];
  return ip;
}

std::string FormatIp(const Ip& ip) {
  char buf[INET6_ADDRSTRLEN];
  if (ip.version == 4) {
    in_addr a;
    a.s_addr = htonl(static_cast<uint32_t>(ip.value));
    inet_ntop(AF_INET, &a, buf, sizeof buf);
  } else {
    in6_addr a;
    u128 v = ip.value;
    for (int i = 15; i >= 0; --i) {
      a.s6_addr[i] = static_cast<uint8_t>(v & 0xff);
      v >>= 8;
    }
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
  }
  return buf;
}

static absl::StatusOr<Cidr> ParseCidrImpl(const std::string& text, bool strict) {
  size_t slash = text.find('/');
  std::string addr = text.substr(0, slash);
  auto ip = ParseIp(addr);
  if (!ip.ok())
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid CIDR."));
  Cidr c;
  int bits = ip->version == 4 ? 32 : 128;
  c.prefix = bits;
  if (slash != std::string::npos) {
    if (!absl::SimpleAtoi(text.substr(slash + 1), &c.prefix) || c.prefix < 0 || c.prefix > bits) {
      return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid CIDR."));
    }
  } else if (strict) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid CIDR."));
  }
  c.network = Ip{ip->version, ip->value & Mask(bits, c.prefix)};
  if (strict && !(c.network == *ip)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' isn't a recommended CIDR, it should be '", FormatCidr(c), "'."));
  }
  return c;
}

absl::StatusOr<Cidr> ParseCidr(const std::string& text) { return ParseCidrImpl(text, true); }
absl::StatusOr<Cidr> ParsePrefix(const std::string& text) { return ParseCidrImpl(text, false); }

std::string FormatCidr(const Cidr& cidr) {
  return absl::StrCat(FormatIp(cidr.network), "/", cidr.prefix);
}

bool Contains(const Cidr& cidr, const Ip& ip) {
  return ip.version == cidr.network.version &&
         (ip.value & Mask(cidr.bits(), cidr.prefix)) == cidr.network.value;
}

bool Overlaps(const Cidr& a, const Cidr& b) {
  if (a.network.version != b.network.version) return false;
  return Contains(a, b.network) || Contains(b, a.network);
}

Ip DefaultGateway(const Cidr& cidr) { return Plus(cidr.network, 1); }

std::vector<IpRange> DefaultPools(const Cidr& cidr, const Ip* gateway) {
  Ip lo = Plus(cidr.network, 1);
  Ip hi = cidr.last();
  if (cidr.network.version == 4) hi.value -= 1;
  if (cidr.prefix >= cidr.bits() - 1 || hi.value < lo.value) return {};
  std::vector<IpRange> pools;
  if (gateway != nullptr && Contains(cidr, *gateway) && gateway->value >= lo.value &&
      gateway->value <= hi.value) {
    if (gateway->value > lo.value) pools.push_back({lo, Ip{lo.version, gateway->value - 1}});
    if (gateway->value < hi.value) pools.push_back({Ip{lo.version, gateway->value + 1}, hi});
  } else {
    pools.push_back({lo, hi});
  }
  return pools;
}

absl::Status ValidatePools(const Cidr& cidr, const std::vector<IpRange>& pools, const Ip* gateway) {
  std::vector<IpRange> sorted = pools;
  for (const IpRange& p : pools) {
    std::string text = FormatIp(p.start) + "-" + FormatIp(p.end);
    if (!Contains(cidr, p.start) || !Contains(cidr, p.end)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The allocation pool ", text, " spans beyond the subnet cidr ", FormatCidr(cidr), "."));
    }
    if (p.end.value < p.start.value) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid allocation pool ", text, ": end before start."));
    }
    if (cidr.network.version == 4 && cidr.prefix < 31 &&
        (p.start == cidr.network || p.end == cidr.last())) {
      return absl::InvalidArgumentError(absl::StrCat("The allocation pool ", text,
                                                     " holds the network or broadcast address of ",
                                                     FormatCidr(cidr), "."));
    }
    if (gateway != nullptr && gateway->value >= p.start.value && gateway->value <= p.end.value) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Gateway ip ", FormatIp(*gateway), " conflicts with allocation pool ", text, "."));
    }
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const IpRange& a, const IpRange& b) { return a.start.value < b.start.value; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].start.value <= sorted[i - 1].end.value) {
      return absl::InvalidArgumentError("Found overlapping allocation pools.");
    }
  }
  return absl::OkStatus();
}

uint64_t PoolSize(const std::vector<IpRange>& pools) {
  u128 total = 0;
  const u128 cap = ~uint64_t{0};
  for (const IpRange& p : pools) {
    total += p.end.value - p.start.value + 1;
    if (total >= cap || p.end.value - p.start.value >= cap) return ~uint64_t{0};
  }
  return static_cast<uint64_t>(total);
}

Ip NthAddress(const std::vector<IpRange>& pools, uint64_t offset) {
  u128 n = offset;
  for (const IpRange& p : pools) {
    u128 size = p.end.value - p.start.value + 1;
    if (n < size) return Plus(p.start, n);
    n -= size;
  }
  return pools.empty() ? Ip{} : pools.back().end;
}

bool InPools(const std::vector<IpRange>& pools, const Ip& ip) {
  for (const IpRange& p : pools) {
    if (p.start.version == ip.version && ip.value >= p.start.value && ip.value <= p.end.value)
      return true;
  }
  return false;
}

std::string MacFromBits(uint32_t bits24) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "fa:16:3e:%02x:%02x:%02x", (bits24 >> 16) & 0xff,
                (bits24 >> 8) & 0xff, bits24 & 0xff);
  return buf;
}

absl::StatusOr<std::string> NormalizeMac(const std::string& text) {
  std::string out;
  bool ok = text.size() == 17;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    if (i % 3 == 2)
      ok = c == ':';
    else
      ok = std::isxdigit(static_cast<unsigned char>(c)) != 0;
    out.push_back(c);
  }
  if (ok) {
    int first = std::stoi(out.substr(0, 2), nullptr, 16);
    if ((first & 1) != 0 || out == "00:00:00:00:00:00") ok = false;
  }
  if (!ok)
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid MAC address."));
  return out;
}

}  // namespace gureum::network
