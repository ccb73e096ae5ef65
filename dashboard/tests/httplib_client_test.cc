// HttplibHttpClient against a real common/http server: whole and streamed (sized and
// chunked) bodies, answers with their status and headers, and an unreachable peer.
#include <catch2/catch.hpp>

#include "common/http/server.h"

#include "dashboard/httplib_http_client.h"

namespace gureum::dashboard {
namespace {

struct EchoServer {
  EchoServer() {
    server.Route(
        "PUT", "/up",
        [](http::Request& req, http::Response& res) {
          size_t n = 0;
          absl::Status s = req.ReadBody([&n](const char*, size_t size) {
            n += size;
            return true;
          });
          res.Json(s.ok() ? 201 : 400, {{"bytes", n}, {"type", req.Header("Content-Type")}});
        },
        {.stream_body = true});
    server.Route("POST", "/json", [](http::Request& req, http::Response& res) {
      res.SetHeader("Location", "/json/1");
      res.Json(409, {{"echo", req.body()}, {"token", req.Header("X-Auth-Token")}});
    });
    port = *server.Start();
  }
  ~EchoServer() { server.Stop(); }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  http::Server server{{.host = "127.0.0.1"}};
  int port = 0;
};

TEST_CASE("HttplibHttpClient sends JSON and returns any status with its headers") {
  EchoServer echo;
  HttplibHttpClient client;
  auto r = client.Send({.method = "POST",
                        .url = echo.Url("/json?x=1"),
                        .headers = {{"X-Auth-Token", "t0k"}},
                        .body = R"({"a":1})"});
  REQUIRE(r.ok());
  CHECK(r->status == 409);
  CHECK(r->Header("location") == "/json/1");
  auto body = nlohmann::json::parse(r->body);
  CHECK(body["echo"] == R"({"a":1})");
  CHECK(body["token"] == "t0k");
}

TEST_CASE("HttplibHttpClient streams an upload, sized or chunked") {
  EchoServer echo;
  HttplibHttpClient client;
  const std::string data(3 << 20, 'z');
  auto push = [&data](const http::BodyReader& reader) {
    for (size_t off = 0; off < data.size(); off += 65536) {
      if (!reader(data.data() + off, std::min<size_t>(65536, data.size() - off))) {
        return absl::AbortedError("stopped");
      }
    }
    return absl::OkStatus();
  };
  for (long long length : {static_cast<long long>(data.size()), -1LL}) {
    INFO(length);
    auto r = client.Send({.method = "PUT",
                          .url = echo.Url("/up"),
                          .headers = {{"Content-Type", "application/octet-stream"}},
                          .stream = push,
                          .stream_length = length});
    REQUIRE(r.ok());
    CHECK(r->status == 201);
    auto body = nlohmann::json::parse(r->body);
    CHECK(body["bytes"] == data.size());
    CHECK(body["type"] == "application/octet-stream");
  }
}

TEST_CASE("HttplibHttpClient reports an unreachable service as Unavailable") {
  int port = 0;
  {
    EchoServer gone;
    port = gone.port;
  }
  HttplibHttpClient client({.connect_timeout = absl::Seconds(2)});
  auto r = client.Send({.method = "GET", .url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  CHECK(absl::IsUnavailable(r.status()));
  CHECK(absl::IsInvalidArgument(client.Send({.method = "GET", .url = "nope"}).status()));
}

}  // namespace
}  // namespace gureum::dashboard
