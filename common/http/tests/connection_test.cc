// The server against misbehaving and demanding clients (issue 16): slow heads, idle
// keep-alive connections, connection caps, bodies cut short, paths that are not UTF-8,
// graceful Stop, pipelining, HEAD, large streams. The misbehaving clients are raw
// sockets (raw_client.h); deadlines are set small so each case takes a second or so.
// Nothing asserts on time: each wait polls until a generous deadline.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/http/server.h"
#include "common/http/tests/raw_client.h"

namespace gureum::http {
namespace {

using std::chrono::milliseconds;
using testing::RawClient;

constexpr milliseconds kPatience{10000};  // the longest any wait here may take

// Polls `done` every 10 ms until it is true or kPatience has passed.
template <class Fn>
bool Eventually(Fn done) {
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

ServerOptions Small(ServerOptions o = {}) {
  o.host = "127.0.0.1";
  return o;
}

struct Running {
  explicit Running(ServerOptions options) : server(Small(std::move(options))) {
    server.Route("GET", "/ping", [](Request&, Response& res) { res.Json(200, {{"ok", true}}); });
  }
  void Start() {
    auto started = server.Start();
    REQUIRE(started.ok());
    port = *started;
  }
  bool Ping() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(5, 0);
    auto r = c.Get("/ping");
    return r && r->status == 200;
  }
  Server server;
  int port = 0;
};

const char kPingRequest[] = "GET /ping HTTP/1.1\r\nHost: t\r\n\r\n";

TEST_CASE("a head sent one byte at a time is cut off by the head deadline, others are served") {
  Running s({.threads = 2, .head_timeout = milliseconds(400), .idle_timeout = milliseconds(60000)});
  s.Start();
  RawClient slow(s.port);
  REQUIRE(slow.connected());
  const std::string head =
      "GET /ping HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  size_t sent = 0;
  bool closed = false;
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!closed && std::chrono::steady_clock::now() < deadline) {
    // Every byte is progress, so only the deadline for the whole head can end this.
    if (sent < head.size()) slow.Send(std::string(1, head[sent++]));
    REQUIRE(s.Ping());  // the server answers others meanwhile
    closed = slow.WaitClosed(milliseconds(50));
  }
  REQUIRE(closed);
  REQUIRE(sent < head.size());  // closed while still sending, not for running out of bytes
}

TEST_CASE("idle keep-alive connections do not hold the workers") {
  Running s({.threads = 2});
  s.Start();
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 60; ++i) {
    auto c = std::make_unique<RawClient>(s.port);
    REQUIRE(c->connected());
    if (i % 2 == 0) {  // half have had a request and are kept alive, half never sent one
      REQUIRE(c->Send(kPingRequest));
      auto r = c->ReadResponse();
      REQUIRE(r);
      REQUIRE(r->status == 200);
    }
    idle.push_back(std::move(c));
  }
  for (int i = 0; i < 5; ++i) REQUIRE(s.Ping());
  // And each kept-alive connection is still usable.
  REQUIRE(idle[0]->Send(kPingRequest));
  auto r = idle[0]->ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 200);
}

TEST_CASE("an idle connection is closed after idle_timeout") {
  Running s({.idle_timeout = milliseconds(200)});
  s.Start();
  RawClient c(s.port);
  REQUIRE(c.Send(kPingRequest));
  REQUIRE(c.ReadResponse()->status == 200);
  REQUIRE(c.WaitClosed(kPatience));
}

TEST_CASE("connections are capped per client address") {
  Running s({.max_connections_per_client = 3});
  s.Start();
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawClient>(s.port));
    REQUIRE(held.back()->Send(kPingRequest));
    REQUIRE(held.back()->ReadResponse()->status == 200);
  }
  RawClient fourth(s.port);
  auto refused = fourth.ReadResponse();  // a 503, or closed without one
  if (refused) REQUIRE(refused->status == 503);
  REQUIRE(fourth.WaitClosed(kPatience));
  held.pop_back();  // one closes: a new one is let in
  REQUIRE(Eventually([&] {
    RawClient again(s.port);
    if (!again.Send(kPingRequest)) return false;
    auto r = again.ReadResponse();
    return r && r->status == 200;
  }));
}

struct BodyCounter {
  std::atomic<int> handled{0};
};

TEST_CASE("a body shorter than its Content-Length never reaches the handler") {
  BodyCounter counter;
  Running s({.error_style = ErrorStyle::kNeutron, .body_timeout = milliseconds(300)});
  s.server.Route("POST", "/v2.0/networks", [&](Request&, Response& res) {
    ++counter.handled;
    res.Json(201, {{"network", {}}});
  });
  s.Start();
  const std::string head =
      "POST /v2.0/networks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n";

  SECTION("the client half-closes: 400, then closed") {
    RawClient c(s.port);
    REQUIRE(c.Send(head + "{\"network\":"));
    c.ShutdownWrite();
    auto r = c.ReadResponse();
    REQUIRE(r);
    REQUIRE(r->status == 400);
    REQUIRE_THAT(nlohmann::json::parse(r->body)["NeutronError"]["message"].get<std::string>(),
                 Catch::Contains("shorter than its Content-Length"));
    REQUIRE(c.WaitClosed(kPatience));
  }
  SECTION("the client stops sending: closed by the body deadline") {
    RawClient c(s.port);
    REQUIRE(c.Send(head + "{\"network\":"));
    REQUIRE(c.WaitClosed(kPatience));
  }
  REQUIRE(counter.handled == 0);
  // The full body is handled.
  RawClient ok(s.port);
  REQUIRE(ok.Send(head + std::string(R"({"network":{}})") + std::string(86, ' ')));
  auto r = ok.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 201);
  REQUIRE(counter.handled == 1);
}

TEST_CASE("status lines carry the standard reason phrases") {
  Running s({.max_body_bytes = 10});
  s.server.Route("POST", "/x", [](Request&, Response& res) { res.Empty(204); });
  s.Start();
  RawClient c(s.port);
  REQUIRE(c.Send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n"));
  auto r = c.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 413);
  REQUIRE(r->reason == "Payload Too Large");  // what cpp-httplib sent, and clients may match
}

TEST_CASE("a path that is not UTF-8 is a 400 in the API's envelope, never a 500") {
  Running s({.error_style = ErrorStyle::kNeutron});
  bool ran = false;
  s.server.Route("GET", "/v2.0/extensions/{alias}", [&](Request& req, Response& res) {
    ran = true;
    res.Error(absl::NotFoundError("Extension " + req.PathParam("alias") + " not found."));
  });
  s.Start();
  RawClient c(s.port);
  REQUIRE(c.Send("GET /v2.0/extensions/%ff%fe HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 400);
  REQUIRE_THAT(nlohmann::json::parse(r->body)["NeutronError"]["message"].get<std::string>(),
               Catch::Contains("UTF-8"));
  REQUIRE_FALSE(ran);
  // A control character is valid UTF-8: routed, and the JSON escapes it.
  REQUIRE(c.Send("GET /v2.0/extensions/x%0aFAKE HTTP/1.1\r\nHost: t\r\n\r\n"));
  r = c.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 404);
  REQUIRE(nlohmann::json::parse(r->body)["NeutronError"]["message"] ==
          "Extension x\nFAKE not found.");
  // A query key or value that is not UTF-8 is refused the same way, before the handler.
  ran = false;
  for (const char* query : {"?name=%ff%fe", "?%c0%af=x"}) {
    REQUIRE(c.Send(std::string("GET /v2.0/extensions/x") + query + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    r = c.ReadResponse();
    REQUIRE(r);
    REQUIRE(r->status == 400);
    REQUIRE_THAT(nlohmann::json::parse(r->body)["NeutronError"]["message"].get<std::string>(),
                 Catch::Contains("query"));
  }
  REQUIRE_FALSE(ran);
}

TEST_CASE("an unknown route or method answers at once, whatever body is declared") {
  // A body deadline far past the client's patience: an answer that waited for the body
  // (or for the deadline) would never come within ReadResponse's 10 s.
  ServerOptions o;
  o.error_style = ErrorStyle::kKeystone;
  o.body_timeout = std::chrono::hours(1);
  Running s(o);
  s.server.Route("GET", "/v3/things", [](Request&, Response& res) { res.Json(200, {}); });
  s.Start();
  for (const char* line : {"POST /v3/nowhere HTTP/1.1", "POST /v3/things HTTP/1.1"}) {
    RawClient c(s.port);
    REQUIRE(c.Send(std::string(line) + "\r\nHost: t\r\nContent-Length: 1000000000000\r\n\r\n"));
    auto r = c.ReadResponse();
    REQUIRE(r);
    CHECK((r->status == 404 || r->status == 405));
  }
}

TEST_CASE("an error message with bytes that are not UTF-8 still gives valid JSON") {
  Running s({.error_style = ErrorStyle::kKeystone});
  s.server.Route("GET", "/v3/users/{id}", [](Request&, Response& res) {
    res.Error(absl::NotFoundError("Could not find user: \xff\xfe."));
  });
  s.Start();
  httplib::Client c("127.0.0.1", s.port);
  auto r = c.Get("/v3/users/u1");
  REQUIRE(r);
  REQUIRE(r->status == 404);
  auto body = nlohmann::json::parse(r->body);  // throws if not valid JSON / UTF-8
  REQUIRE(body["error"]["message"] == "Could not find user: \xEF\xBF\xBD\xEF\xBF\xBD.");
}

TEST_CASE("Stop lets an in-flight request finish and closes idle connections") {
  Running s({.shutdown_grace = milliseconds(10000)});
  std::atomic<bool> entered{false}, release{false};
  s.server.Route("GET", "/slow", [&](Request&, Response& res) {
    entered = true;
    while (!release) std::this_thread::sleep_for(milliseconds(5));
    res.Json(200, {{"done", true}});
  });
  s.Start();
  RawClient idle(s.port);
  REQUIRE(idle.Send(kPingRequest));
  REQUIRE(idle.ReadResponse()->status == 200);

  RawClient busy(s.port);
  REQUIRE(busy.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(Eventually([&] { return entered.load(); }));
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    s.server.Stop();
    stopped = true;
  });
  REQUIRE(idle.WaitClosed(kPatience));                                  // the idle one goes at once
  REQUIRE(Eventually([&] { return !RawClient(s.port).connected(); }));  // no new ones
  REQUIRE_FALSE(stopped);  // Stop waits for the request in flight
  release = true;
  auto r = busy.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->status == 200);
  REQUIRE(r->headers["connection"] == "close");
  stopper.join();
  REQUIRE(stopped);
}

TEST_CASE("two pipelined requests are answered in order") {
  Running s({});
  s.server.Route("GET", "/echo/{x}", [](Request& req, Response& res) {
    res.Json(200, {{"x", req.PathParam("x")}});
  });
  s.Start();
  RawClient c(s.port);
  REQUIRE(
      c.Send("GET /echo/one HTTP/1.1\r\nHost: t\r\n\r\nGET /echo/two HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto a = c.ReadResponse();
  auto b = c.ReadResponse();
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(nlohmann::json::parse(a->body)["x"] == "one");
  REQUIRE(nlohmann::json::parse(b->body)["x"] == "two");
}

TEST_CASE("HTTP/1.0 clients keep the connection only when they ask, and are told so") {
  Running s({});
  s.Start();
  RawClient keep(s.port);
  for (int i = 0; i < 2; ++i) {
    REQUIRE(keep.Send("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = keep.ReadResponse();
    REQUIRE(r);
    REQUIRE(r->status == 200);
    REQUIRE(r->headers["connection"] == "keep-alive");
  }
  RawClient once(s.port);
  REQUIRE(once.Send("GET /ping HTTP/1.0\r\n\r\n"));
  auto r = once.ReadResponse();
  REQUIRE(r);
  REQUIRE(r->headers["connection"] == "close");
  REQUIRE(once.WaitClosed(kPatience));
}

TEST_CASE("HEAD of a streamed GET sends the length and no body, 405 names the methods") {
  Running s({});
  std::atomic<int> produced{0};
  s.server.Route("GET", "/v2/images/{id}/file", [&](Request&, Response& res) {
    res.Stream(1000, "application/octet-stream", [&](char* buf, size_t cap) {
      ++produced;
      return absl::StatusOr<size_t>(0);
    });
  });
  s.Start();
  RawClient c(s.port);
  REQUIRE(
      c.Send("HEAD /v2/images/i1/file HTTP/1.1\r\nHost: t\r\n\r\n" + std::string(kPingRequest)));
  auto h = c.ReadResponse(kPatience, /*head_only=*/true);
  REQUIRE(h);
  REQUIRE(h->status == 200);
  REQUIRE(h->headers["content-length"] == "1000");
  auto p = c.ReadResponse();  // read right after the head: no body bytes came between
  REQUIRE(p);
  REQUIRE(p->status == 200);
  REQUIRE(produced == 0);
  REQUIRE(c.Send("DELETE /v2/images/i1/file HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto m = c.ReadResponse();
  REQUIRE(m);
  REQUIRE(m->status == 405);
  REQUIRE(m->headers["allow"] == "GET, HEAD");
}

TEST_CASE("chunked streams of several MiB both ways") {
  Running s({.max_body_bytes = 1024});
  static constexpr size_t kSize = 6 << 20;
  std::atomic<size_t> received{0};
  s.server.Route("PUT", "/v2/images/{id}/file",
                 [&](Request& req, Response& res) {
                   absl::Status st = req.ReadBody([&](const char*, size_t n) {
                     received += n;
                     return true;
                   });
                   if (!st.ok()) return res.Error(st);
                   res.Empty(204);
                 },
                 {.stream_body = true});
  s.server.Route("GET", "/v2/images/{id}/file", [](Request&, Response& res) {
    auto left = std::make_shared<size_t>(kSize);
    res.Stream(-1, "application/octet-stream", [left](char* buf, size_t cap) {
      size_t n = std::min(cap, *left);
      std::memset(buf, 'z', n);
      *left -= n;
      return absl::StatusOr<size_t>(n);
    });
  });
  s.Start();
  httplib::Client c("127.0.0.1", s.port);
  const std::string piece(100000, 'y');
  auto r = c.Put(
      "/v2/images/i1/file",
      [&](size_t offset, httplib::DataSink& sink) {  // chunked
        if (offset < kSize) return sink.write(piece.data(), std::min(piece.size(), kSize - offset));
        sink.done();
        return true;
      },
      "application/octet-stream");
  REQUIRE(r);
  REQUIRE(r->status == 204);
  REQUIRE(received == kSize);
  size_t got = 0;
  auto g = c.Get("/v2/images/i1/file", [&](const char*, size_t n) {
    got += n;
    return true;
  });
  REQUIRE(g);
  REQUIRE(g->status == 200);
  REQUIRE(got == kSize);
}

TEST_CASE("a streamed upload that stops in the middle is an error for the handler") {
  Running s({.body_timeout = milliseconds(300)});
  std::atomic<int> outcome{0};  // 1 ok, 2 error
  s.server.Route("PUT", "/v2/images/{id}/file",
                 [&](Request& req, Response& res) {
                   absl::Status st = req.ReadBody([](const char*, size_t) { return true; });
                   outcome = st.ok() ? 1 : 2;
                   if (!st.ok()) return res.Error(st);
                   res.Empty(204);
                 },
                 {.stream_body = true});
  s.Start();
  RawClient c(s.port);
  REQUIRE(c.Send("PUT /v2/images/i1/file HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" +
                 std::string(5000, 'a')));
  REQUIRE(c.WaitClosed(kPatience));
  REQUIRE(Eventually([&] { return outcome.load() != 0; }));
  REQUIRE(outcome == 2);
}

TEST_CASE("/metrics is off the API port unless asked, and served on its own listener") {
  metrics::Metrics metrics("test");
  Running api({.metrics = &metrics, .metrics_port = 0});
  api.Start();
  httplib::Client c("127.0.0.1", api.port);
  REQUIRE(c.Get("/ping")->status == 200);
  REQUIRE(c.Get("/metrics")->status == 404);
  REQUIRE(api.server.metrics_port() > 0);
  httplib::Client m("127.0.0.1", api.server.metrics_port());
  auto r = m.Get("/metrics");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  REQUIRE_THAT(r->body, Catch::Contains("route=\"/ping\""));
  REQUIRE(m.Get("/ping")->status == 404);  // only metrics (and /healthz) there
  REQUIRE(m.Get("/healthz")->status == 200);

  Running open({.metrics = &metrics, .expose_metrics_on_api = true});
  open.Start();
  httplib::Client o("127.0.0.1", open.port);
  REQUIRE(o.Get("/metrics")->status == 200);
}

}  // namespace
}  // namespace gureum::http
