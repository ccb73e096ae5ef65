#include "object-storage/server/timestamp.h"

#include <catch2/catch.hpp>

#include "object-storage/server/names.h"
#include "object-storage/server/range.h"

namespace gureum::object {
namespace {

TEST_CASE("timestamp: parsed, printed with fixed width, ordered", "[object]") {
  CHECK(Timestamp::Parse("1700000000.12345")->ToString() == "1700000000.12345");
  CHECK(Timestamp::Parse("12.5")->ToString() == "0000000012.50000");
  CHECK(Timestamp::Parse("12")->ToString() == "0000000012.00000");
  CHECK_FALSE(Timestamp::Parse("").has_value());
  CHECK_FALSE(Timestamp::Parse("1.123456").has_value());
  CHECK_FALSE(Timestamp::Parse("-1").has_value());
  CHECK_FALSE(Timestamp::Parse("1x").has_value());
  CHECK(*Timestamp::Parse("9.99999") < *Timestamp::Parse("10"));
  CHECK(Timestamp::FromTime(absl::FromUnixMicros(1700000000123450)).ToString() ==
        "1700000000.12345");
  CHECK(Timestamp::Parse("1700000000.5")->seconds() == 1700000000);
}

TEST_CASE("names: hex both ways, md5", "[object]") {
  CHECK(HexEncode("a/b") == "612f62");
  CHECK(*HexDecode("612F62") == "a/b");
  CHECK_FALSE(HexDecode("6").has_value());
  CHECK_FALSE(HexDecode("zz").has_value());
  CHECK(Md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_CASE("ranges: single, open, suffix, several, unsatisfiable, malformed", "[object]") {
  auto r = ParseRanges("bytes=0-9", 100);
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].first == 0);
  CHECK((*r)[0].last == 9);
  r = ParseRanges("bytes=90-", 100);
  CHECK((*r)[0].length() == 10);
  r = ParseRanges("bytes=-5", 100);
  CHECK((*r)[0].first == 95);
  r = ParseRanges("bytes=-500", 100);
  CHECK((*r)[0].first == 0);
  r = ParseRanges("bytes=0-0, 50-200", 100);
  REQUIRE(r->size() == 2);
  CHECK((*r)[1].last == 99);
  r = ParseRanges("bytes=100-200", 100);
  CHECK(r->empty());
  CHECK_FALSE(ParseRanges("items=0-1", 100).has_value());
  CHECK_FALSE(ParseRanges("bytes=5-1", 100).has_value());
  CHECK_FALSE(ParseRanges("bytes=a-b", 100).has_value());
}

}  // namespace
}  // namespace gureum::object
