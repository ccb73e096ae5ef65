#include "common/http/response_head.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"

namespace gureum::http::server_internal {
namespace {

TEST_CASE("a response head: status line, safe headers, request id, framing") {
  Response res;
  res.status = 201;
  res.content_type = "application/json";
  res.headers.push_back({"Location", "http://x/a\r\nSet-Cookie: evil=1"});
  const std::string head = ResponseHead(res, "req-1", 12, true, true, false);
  CHECK(absl::StartsWith(head, "HTTP/1.1 201 Created\r\n"));
  CHECK(absl::StrContains(head, "Location: http://x/a  Set-Cookie: evil=1\r\n"));
  CHECK_FALSE(absl::StrContains(head, "\r\nSet-Cookie"));
  CHECK(absl::StrContains(head, "Content-Type: application/json\r\n"));
  CHECK(absl::StrContains(head, "Content-Length: 12\r\n"));
  CHECK(absl::EndsWith(head, "\r\n\r\n"));
  CHECK_FALSE(absl::StrContains(head, "Connection:"));
}

TEST_CASE("a response head: chunked, until close, HTTP/1.0 keep-alive, bodiless") {
  Response res;
  res.status = 200;
  CHECK(absl::StrContains(ResponseHead(res, "r", -1, true, true, false),
                          "Transfer-Encoding: chunked\r\n"));
  const std::string until_close = ResponseHead(res, "r", kUntilClose, true, false, true);
  CHECK_FALSE(absl::StrContains(until_close, "Content-Length"));
  CHECK_FALSE(absl::StrContains(until_close, "chunked"));
  CHECK(absl::EndsWith(until_close, "Connection: close\r\n\r\n"));
  CHECK(absl::EndsWith(ResponseHead(res, "r", 0, false, true, true),
                       "Connection: keep-alive\r\n\r\n"));
  res.status = 204;
  CHECK_FALSE(absl::StrContains(ResponseHead(res, "r", 0, false, true, false), "Content-Length"));
  res.headers.push_back({"Connection", "close"});
  CHECK(WantsClose(res));
}

}  // namespace
}  // namespace gureum::http::server_internal
