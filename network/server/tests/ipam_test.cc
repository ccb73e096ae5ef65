// The pure address arithmetic of the IPAM: parsing, containment, overlap, default gateway
// and pools, pool indexing, MACs.
#include "network/server/ipam.h"

#include <catch2/catch.hpp>

namespace gureum::network {
namespace {

Cidr C(const std::string& s) {
  auto c = ParseCidr(s);
  REQUIRE(c.ok());
  return *c;
}
Ip I(const std::string& s) {
  auto i = ParseIp(s);
  REQUIRE(i.ok());
  return *i;
}

TEST_CASE("CIDRs parse, normalize and refuse host bits or junk") {
  CHECK(FormatCidr(C("10.0.0.0/24")) == "10.0.0.0/24");
  CHECK(FormatCidr(C("fd00:1::/64")) == "fd00:1::/64");
  auto bad = ParseCidr("10.0.0.5/24");
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("10.0.0.0/24") != std::string::npos);
  CHECK_FALSE(ParseCidr("10.0.0.0/33").ok());
  CHECK_FALSE(ParseCidr("10.0.0/24").ok());
  CHECK_FALSE(ParseCidr("banana").ok());
  CHECK_FALSE(ParseCidr("10.0.0.0").ok());
  auto prefix = ParsePrefix("10.1.2.3");
  REQUIRE(prefix.ok());
  CHECK(FormatCidr(*prefix) == "10.1.2.3/32");
  CHECK(FormatCidr(*ParsePrefix("10.1.2.3/8")) == "10.0.0.0/8");
}

TEST_CASE("containment and overlap, per address family") {
  CHECK(Contains(C("10.0.0.0/24"), I("10.0.0.255")));
  CHECK_FALSE(Contains(C("10.0.0.0/24"), I("10.0.1.0")));
  CHECK_FALSE(Contains(C("10.0.0.0/24"), I("::1")));
  CHECK(Overlaps(C("10.0.0.0/16"), C("10.0.5.0/24")));
  CHECK(Overlaps(C("10.0.5.0/24"), C("10.0.0.0/16")));
  CHECK_FALSE(Overlaps(C("10.0.0.0/24"), C("10.0.1.0/24")));
  CHECK(Overlaps(C("fd00::/48"), C("fd00:0:0:1::/64")));
  CHECK_FALSE(Overlaps(C("fd00::/64"), C("10.0.0.0/8")));
}

TEST_CASE("default gateway and pools leave out network, broadcast and gateway") {
  Cidr c = C("10.0.0.0/24");
  Ip gw = DefaultGateway(c);
  CHECK(FormatIp(gw) == "10.0.0.1");
  auto pools = DefaultPools(c, &gw);
  REQUIRE(pools.size() == 1);
  CHECK(FormatIp(pools[0].start) == "10.0.0.2");
  CHECK(FormatIp(pools[0].end) == "10.0.0.254");
  CHECK(PoolSize(pools) == 253);
  Ip mid = I("10.0.0.100");
  auto split = DefaultPools(c, &mid);
  REQUIRE(split.size() == 2);
  CHECK(FormatIp(split[0].end) == "10.0.0.99");
  CHECK(FormatIp(split[1].start) == "10.0.0.101");
  CHECK(PoolSize(split) == 253);
  CHECK(PoolSize(DefaultPools(C("10.0.0.0/28"), nullptr)) == 14);
  CHECK(DefaultPools(C("10.0.0.0/31"), nullptr).empty());
  Cidr v6 = C("fd00::/64");
  Ip gw6 = DefaultGateway(v6);
  auto p6 = DefaultPools(v6, &gw6);
  REQUIRE(p6.size() == 1);
  CHECK(FormatIp(p6[0].start) == "fd00::2");
  CHECK(FormatIp(p6[0].end) == "fd00::ffff:ffff:ffff:ffff");
  CHECK(PoolSize(p6) == ~uint64_t{0} - 1);  // 2^64 - 2 addresses
}

TEST_CASE("the n-th address walks the pools in order") {
  std::vector<IpRange> pools = {{I("10.0.0.2"), I("10.0.0.4")}, {I("10.0.0.10"), I("10.0.0.11")}};
  CHECK(FormatIp(NthAddress(pools, 0)) == "10.0.0.2");
  CHECK(FormatIp(NthAddress(pools, 2)) == "10.0.0.4");
  CHECK(FormatIp(NthAddress(pools, 3)) == "10.0.0.10");
  CHECK(FormatIp(NthAddress(pools, 4)) == "10.0.0.11");
  CHECK(InPools(pools, I("10.0.0.3")));
  CHECK_FALSE(InPools(pools, I("10.0.0.5")));
}

TEST_CASE("user pools are checked against the CIDR, each other and the gateway") {
  Cidr c = C("10.0.0.0/24");
  Ip gw = I("10.0.0.1");
  CHECK(ValidatePools(c, {{I("10.0.0.10"), I("10.0.0.20")}}, &gw).ok());
  CHECK_FALSE(ValidatePools(c, {{I("10.0.0.10"), I("10.0.1.20")}}, &gw).ok());
  CHECK_FALSE(ValidatePools(c, {{I("10.0.0.20"), I("10.0.0.10")}}, &gw).ok());
  CHECK_FALSE(ValidatePools(c, {{I("10.0.0.1"), I("10.0.0.10")}}, &gw).ok());
  CHECK_FALSE(ValidatePools(c, {{I("10.0.0.2"), I("10.0.0.255")}}, &gw).ok());
  CHECK_FALSE(
      ValidatePools(c, {{I("10.0.0.2"), I("10.0.0.10")}, {I("10.0.0.5"), I("10.0.0.20")}}, &gw)
          .ok());
}

TEST_CASE("MACs use fa:16:3e and are validated") {
  CHECK(MacFromBits(0x0a0b0c) == "fa:16:3e:0a:0b:0c");
  CHECK(*NormalizeMac("FA:16:3E:00:00:01") == "fa:16:3e:00:00:01");
  CHECK_FALSE(NormalizeMac("01:00:5e:00:00:01").ok());  // multicast
  CHECK_FALSE(NormalizeMac("fa:16:3e:00:00").ok());
  CHECK_FALSE(NormalizeMac("zz:16:3e:00:00:01").ok());
}

}  // namespace
}  // namespace gureum::network
