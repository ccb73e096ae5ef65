#include "common/validate/validate.h"

#include <string>

#include <catch2/catch.hpp>

namespace gureum {
namespace {

TEST_CASE("a name within the limit is accepted") {
  REQUIRE(ValidateName("name", "").ok());
  REQUIRE(ValidateName("name", "web-1").ok());
  REQUIRE(ValidateName("name", std::string(255, 'a')).ok());
  // 255 characters of two bytes each: the limit counts characters, not bytes.
  std::string wide;
  for (int i = 0; i < 255; ++i) wide += "\xc3\xa9";
  REQUIRE(ValidateName("name", wide).ok());
}

TEST_CASE("a name past the limit is refused with 400 and no echo of the value") {
  absl::Status s = ValidateName("name", std::string(256, 'a'));
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(s.message().find("Invalid input for field/attribute name") == 0);
  REQUIRE(s.message().find("aaaa") == absl::string_view::npos);
  absl::Status huge = ValidateName("name", std::string(900 * 1024, 'x'));
  REQUIRE(huge.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(huge.message().size() < 200);
  REQUIRE_FALSE(ValidateName("key", "abcd", 3).ok());
  REQUIRE(ValidateName("key", "abc", 3).ok());
}

TEST_CASE("a NUL byte is refused") {
  absl::Status s = ValidateName("name", std::string("ab\0cd", 5));
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(s.message().find("NUL") != absl::string_view::npos);
}

TEST_CASE("invalid UTF-8 is refused") {
  REQUIRE_FALSE(IsValidUtf8("\xff"));
  REQUIRE_FALSE(IsValidUtf8("\xc3"));              // truncated
  REQUIRE_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  REQUIRE_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  REQUIRE_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  REQUIRE(IsValidUtf8("\xf0\x9f\x98\x80"));        // emoji
  REQUIRE(ValidateName("name", "\xff").code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Utf8SequenceLength: the well-formed sequence a text starts with") {
  CHECK(Utf8SequenceLength("") == 0);
  CHECK(Utf8SequenceLength("a\xff") == 1);
  CHECK(Utf8SequenceLength("\xc3\xa9x") == 2);
  CHECK(Utf8SequenceLength("\xea\xb5\xac\xeb\xa6\x84") == 3);  // 구름
  CHECK(Utf8SequenceLength("\xf0\x9f\x98\x80") == 4);
  CHECK(Utf8SequenceLength("\x80") == 0);          // a stray continuation byte
  CHECK(Utf8SequenceLength("\xe2\x82") == 0);      // cut short
  CHECK(Utf8SequenceLength("\xe0\x80\xaf") == 0);  // overlong
}

TEST_CASE("descriptions get the long ceiling") {
  REQUIRE(ValidateText("description", std::string(65535, 'd')).ok());
  REQUIRE_FALSE(ValidateText("description", std::string(65536, 'd')).ok());
}

}  // namespace
}  // namespace gureum
