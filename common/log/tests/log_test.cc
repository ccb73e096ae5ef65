#include "common/log/log.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <spdlog/spdlog.h>

namespace gureum::log {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("log lines carry the service name and the request id") {
  std::string path = "/tmp/gureum_log_test_" + std::to_string(getpid()) + ".log";
  std::remove(path.c_str());
  REQUIRE(Init({.service = "identity", .level = "debug", .file = path}).ok());
  {
    ScopedRequestId rid("req-00000000-0000-4000-8000-000000000001");
    spdlog::info("token issued user={}", "u1");
    {
      ScopedRequestId inner("req-00000000-0000-4000-8000-000000000002");
      spdlog::debug("inner");
    }
    spdlog::warn("outer again");
  }
  spdlog::info("no request");
  spdlog::default_logger()->flush();
  std::string text = ReadFile(path);
  REQUIRE_THAT(text,
               Catch::Contains(
                   "INFO identity req-00000000-0000-4000-8000-000000000001 token issued user=u1"));
  REQUIRE_THAT(text, Catch::Contains("req-00000000-0000-4000-8000-000000000002 inner"));
  REQUIRE_THAT(text,
               Catch::Contains("WARN identity req-00000000-0000-4000-8000-000000000001 outer"));
  REQUIRE_THAT(text, Catch::Contains("identity - no request"));
  std::remove(path.c_str());
  REQUIRE(CurrentRequestId() == "-");
}

TEST_CASE("bad options are errors that name the problem") {
  absl::Status s = Init({.service = "x", .level = "loud"});
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE_THAT(std::string(s.message()), Catch::Contains("loud"));
  s = Init({.service = "x", .level = "info", .file = "/proc/gureum-no-such-dir/x.log"});
  REQUIRE_THAT(std::string(s.message()), Catch::Contains("/proc/gureum-no-such-dir/x.log"));
}

TEST_CASE("request ids from peers are accepted only in the expected shape") {
  std::string good = "req-3f2c1a00-0000-4000-8000-000000000001";
  REQUIRE(AcceptOrNewRequestId(good) == good);
  std::string injected = AcceptOrNewRequestId("req-x\nFAKE LOG LINE");
  REQUIRE(injected.rfind("req-", 0) == 0);
  REQUIRE(injected.find('\n') == std::string::npos);
  REQUIRE(AcceptOrNewRequestId("") != AcceptOrNewRequestId(""));
}

TEST_CASE("control characters and invalid UTF-8 are escaped, so no one forges a line") {
  REQUIRE(EscapeForLog("plain text, \u00e9t\u00e9 \u4e91 \U0001F600") ==
          "plain text, \u00e9t\u00e9 \u4e91 \U0001F600");
  REQUIRE(EscapeForLog("a\nb\rc\td\x01"
                       "e\x7f") == "a\\x0ab\\x0dc\\x09d\\x01e\\x7f");
  REQUIRE(EscapeForLog("x\xff\xfey") == "x\\xff\\xfey");
  REQUIRE(EscapeForLog("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
  REQUIRE(EscapeForLog("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  REQUIRE(EscapeForLog("\xe4\xba") == "\\xe4\\xba");           // cut short

  std::string path = "/tmp/gureum_log_escape_test_" + std::to_string(getpid()) + ".log";
  std::remove(path.c_str());
  REQUIRE(Init({.service = "network", .level = "info", .file = path}).ok());
  spdlog::info("GET {} -> 404",
               "/v2.0/extensions/x\n2026-01-01T00:00:00.000000Z INFO network - "
               "admin password changed\xff");
  spdlog::default_logger()->flush();
  std::string text = ReadFile(path);
  std::remove(path.c_str());
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);  // one line, not two
  REQUIRE_THAT(text, Catch::Contains("/v2.0/extensions/x\\x0a2026-01-01T00:00:00.000000Z INFO"));
  REQUIRE_THAT(text, Catch::Contains("changed\\xff -> 404"));
}

TEST_CASE("Redact hides secrets") {
  REQUIRE(Redact("hunter2") == "***");
  REQUIRE(Redact("") == "");
}

}  // namespace
}  // namespace gureum::log
