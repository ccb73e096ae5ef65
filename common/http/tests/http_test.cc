#include <httplib.h>

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "common/http/server.h"

namespace gureum::http {
namespace {

struct Fixture {
  explicit Fixture(ServerOptions options = {})
      : metrics("test"), server([&] {
          options.host = "127.0.0.1";
          options.metrics = &metrics;
          return options;
        }()) {}
  void Start() {
    auto started = server.Start();
    REQUIRE(started.ok());
    port = *started;
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
    client->set_keep_alive(true);
  }
  metrics::Metrics metrics;
  Server server;
  std::unique_ptr<httplib::Client> client;
  int port = 0;
};

nlohmann::json Parse(const std::string& s) { return nlohmann::json::parse(s); }

TEST_CASE("routes with parameters, query strings and JSON") {
  Fixture f({.error_style = ErrorStyle::kKeystone});
  f.server.Route("GET", "/v3/projects/{project_id}", [](Request& req, Response& res) {
    res.Json(200, {{"project",
                    {{"id", req.PathParam("project_id")},
                     {"q", req.Query("name").value_or("-")},
                     {"route", req.route}}}});
  });
  f.server.Route("POST", "/v3/projects", [](Request& req, Response& res) {
    auto body = req.JsonBody();
    if (!body.ok()) return res.Error(body.status());
    auto project = RequireObject(*body, "project");
    if (!project.ok()) return res.Error(project.status());
    auto name = RequireString(*project, "name");
    if (!name.ok()) return res.Error(name.status());
    res.Json(201, {{"project", {{"name", *name}}}});
  });
  f.Start();

  auto r = f.client->Get("/v3/projects/abc?name=demo");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto j = Parse(r->body);
  REQUIRE(j["project"]["id"] == "abc");
  REQUIRE(j["project"]["q"] == "demo");
  REQUIRE(j["project"]["route"] == "/v3/projects/{project_id}");

  r = f.client->Post("/v3/projects", R"({"project":{"name":"p1"}})", "application/json");
  REQUIRE(r->status == 201);
  REQUIRE(Parse(r->body)["project"]["name"] == "p1");

  r = f.client->Post("/v3/projects", "{not json", "application/json");
  REQUIRE(r->status == 400);
  REQUIRE(Parse(r->body)["error"]["message"] == "The request body is not valid JSON.");

  r = f.client->Post("/v3/projects", R"({"project":{"name":7}})", "application/json");
  REQUIRE(r->status == 400);
  REQUIRE(Parse(r->body)["error"]["message"] == "'name' must be a string");

  r = f.client->Post("/v3/projects", R"({"project":{}})", "application/json");
  REQUIRE(Parse(r->body)["error"]["message"] == "'name' is a required property");
}

TEST_CASE("unknown routes get a JSON 404 in the API's envelope") {
  Fixture f({.error_style = ErrorStyle::kNova});
  f.Start();
  auto r = f.client->Get("/v2.1/nothing-here");
  REQUIRE(r->status == 404);
  REQUIRE(Parse(r->body)["itemNotFound"]["code"] == 404);
}

TEST_CASE("oversized bodies get 413 and the handler never runs") {
  Fixture f({.max_body_bytes = 1024, .error_style = ErrorStyle::kKeystone});
  bool ran = false;
  f.server.Route("POST", "/v3/users", [&](Request&, Response& res) {
    ran = true;
    res.Empty(204);
  });
  f.Start();
  auto r = f.client->Post("/v3/users", std::string(4096, 'x'), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 413);
  REQUIRE_THAT(Parse(r->body)["error"]["message"].get<std::string>(),
               Catch::Contains("the limit is 1024 bytes"));
  REQUIRE_FALSE(ran);
  // The server is still healthy for the next client.
  httplib::Client again("127.0.0.1", f.port);
  r = again.Post("/v3/users", "{}", "application/json");
  REQUIRE(r->status == 204);
}

TEST_CASE("request ids are echoed or generated") {
  Fixture f;
  f.server.Route("GET", "/x", [](Request& req, Response& res) {
    res.Json(200, {{"rid", req.request_id}});
  });
  f.Start();
  auto r =
      f.client->Get("/x", {{"X-Openstack-Request-Id", "req-00000000-0000-4000-8000-000000000042"}});
  REQUIRE(r->get_header_value("X-Openstack-Request-Id") ==
          "req-00000000-0000-4000-8000-000000000042");
  REQUIRE(Parse(r->body)["rid"] == "req-00000000-0000-4000-8000-000000000042");
  r = f.client->Get("/x");
  REQUIRE(r->get_header_value("X-Openstack-Request-Id").rfind("req-", 0) == 0);
}

TEST_CASE("HEAD answers from the GET route without a body") {
  Fixture f;
  f.server.Route("GET", "/v3/auth/tokens", [](Request&, Response& res) {
    res.SetHeader("X-Subject-Token", "t");
    res.Json(200, {{"token", {}}});
  });
  f.Start();
  auto r = f.client->Head("/v3/auth/tokens");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  REQUIRE(r->body.empty());
  REQUIRE(r->get_header_value("X-Subject-Token") == "t");
}

TEST_CASE("large bodies stream in and out in pieces") {
  Fixture f({.max_body_bytes = 1024});
  static constexpr size_t kSize = 32 << 20;  // 32 MiB, far above the buffered limit
  size_t received = 0;
  size_t pieces = 0;
  size_t largest = 0;
  unsigned long long sum = 0;
  f.server.Route("PUT", "/v2/images/{id}/file",
                 [&](Request& req, Response& res) {
                   absl::Status s = req.ReadBody([&](const char* data, size_t n) {
                     received += n;
                     ++pieces;
                     largest = std::max(largest, n);
                     for (size_t i = 0; i < n; ++i) sum += static_cast<unsigned char>(data[i]);
                     return true;
                   });
                   if (!s.ok()) return res.Error(s);
                   res.Empty(204);
                 },
                 {.stream_body = true});
  f.server.Route("GET", "/v2/images/{id}/file", [&](Request&, Response& res) {
    auto offset = std::make_shared<size_t>(0);
    res.Stream(kSize, "application/octet-stream", [offset](char* buf, size_t cap) {
      size_t n = std::min(cap, kSize - *offset);
      for (size_t i = 0; i < n; ++i) buf[i] = static_cast<char>((*offset + i) % 251);
      *offset += n;
      return absl::StatusOr<size_t>(n);
    });
  });
  f.Start();

  size_t sent = 0;
  auto r = f.client->Put(
      "/v2/images/i1/file", kSize,
      [&](size_t offset, size_t length, httplib::DataSink& sink) {
        std::string chunk(std::min<size_t>(length, 1 << 16), '\0');
        for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<char>((offset + i) % 251);
        sent += chunk.size();
        return sink.write(chunk.data(), chunk.size());
      },
      "application/octet-stream");
  REQUIRE(r);
  REQUIRE(r->status == 204);
  REQUIRE(received == kSize);
  REQUIRE(pieces > 1);
  // Read in pieces larger than a head's 4 KiB read when more has arrived (at 4 KiB, a
  // 256 MiB object upload cost 65536 reads here and as many writes onward).
  REQUIRE(largest > 4096);
  unsigned long long expected = 0;
  for (size_t i = 0; i < kSize; ++i) expected += (i % 251);
  REQUIRE(sum == expected);

  size_t got = 0;
  bool in_order = true;
  auto g = f.client->Get("/v2/images/i1/file", [&](const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (static_cast<unsigned char>(data[i]) != (got + i) % 251) in_order = false;
    }
    got += n;
    return true;
  });
  REQUIRE(g);
  REQUIRE(g->status == 200);
  REQUIRE(got == kSize);
  REQUIRE(in_order);
}

TEST_CASE("a streamed body the handler did not read does not break the connection") {
  Fixture f;
  f.server.Route(
      "PUT", "/v2/images/{id}/file",
      [](Request&, Response& res) { res.Error(absl::FailedPreconditionError("already active")); },
      {.stream_body = true});
  f.server.Route("GET", "/ping", [](Request&, Response& res) { res.Json(200, {{"ok", true}}); });
  f.Start();
  const std::string body = "again";
  for (int i = 0; i < 50; ++i) {
    INFO("round " << i);
    auto r = f.client->Put(
        "/v2/images/i1/file",
        [&](size_t offset, httplib::DataSink& sink) {  // chunked
          if (offset < body.size()) return sink.write(body.data(), body.size());
          sink.done();
          return true;
        },
        "application/octet-stream");
    REQUIRE(r);
    CHECK(r->status == 409);
    // The next request on the same connection is read as itself, not as the old body.
    auto g = f.client->Get("/ping");
    REQUIRE(g);
    CHECK(g->status == 200);
  }
}

TEST_CASE("metrics and health endpoints") {
  Fixture f({.expose_metrics_on_api = true});
  f.server.Route("GET", "/v3/users/{user_id}", [](Request&, Response& res) {
    res.Error(absl::NotFoundError("Could not find user."));
  });
  f.Start();
  REQUIRE(f.client->Get("/v3/users/u1")->status == 404);
  REQUIRE(f.client->Get("/healthz")->status == 200);
  auto m = f.client->Get("/metrics");
  REQUIRE(m->status == 200);
  REQUIRE_THAT(m->body,
               Catch::Contains("route=\"/v3/users/{user_id}\",service=\"test\",status=\"404\"} 1"));
}

TEST_CASE("exceptions in handlers become a 500 in the envelope, never a crash") {
  Fixture f({.error_style = ErrorStyle::kNova});
  f.server.Route("GET", "/boom", [](Request&, Response&) { throw std::runtime_error("boom"); });
  f.Start();
  auto r = f.client->Get("/boom");
  REQUIRE(r->status == 500);
  REQUIRE(Parse(r->body)["computeFault"]["code"] == 500);
  REQUIRE(f.client->Get("/healthz")->status == 200);
}

TEST_CASE("a port in use is a clear error") {
  Fixture a;
  a.Start();
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = a.port;
  Server b(options);
  auto port = b.Start();
  REQUIRE_FALSE(port.ok());
  REQUIRE_THAT(std::string(port.status().message()), Catch::Contains("cannot listen for HTTP"));
}

TEST_CASE("handlers list headers by prefix, case-insensitively, with their values") {
  Fixture f;
  f.server.Route("POST", "/o", [](Request& req, Response& res) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, value] : req.HeadersWithPrefix("x-object-meta-")) {
      out.push_back({name, value});
    }
    res.Json(200, {{"meta", out}, {"all", req.HeadersWithPrefix("").size() > 2}});
  });
  f.Start();
  httplib::Headers headers = {{"X-Object-Meta-Color", "blue"},
                              {"x-object-meta-size", "10"},
                              {"X-Container-Meta-Other", "no"}};
  auto r = f.client->Post("/o", headers, "", "text/plain");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto meta = Parse(r->body)["meta"];
  REQUIRE(meta.size() == 2);
  std::set<std::string> seen;
  for (const auto& pair : meta)
    seen.insert(pair[0].get<std::string>() + "=" + pair[1].get<std::string>());
  REQUIRE(seen.count("X-Object-Meta-Color=blue") == 1);
  REQUIRE(seen.count("x-object-meta-size=10") == 1);
  REQUIRE(Parse(r->body)["all"] == true);
}

TEST_CASE("a COPY route answers the COPY method") {
  Fixture f;
  f.server.Route("COPY", "/o/{name}", [](Request& req, Response& res) {
    res.Json(201, {{"copied", req.PathParam("name")}, {"to", req.Header("Destination")}});
  });
  f.Start();
  httplib::Request copy;
  copy.method = "COPY";
  copy.path = "/o/a";
  copy.headers = {{"Destination", "/c/b"}};
  httplib::Response out;
  httplib::Error error = httplib::Error::Success;
  REQUIRE(f.client->send(copy, out, error));
  REQUIRE(out.status == 201);
  REQUIRE(Parse(out.body)["to"] == "/c/b");
  REQUIRE(f.client->Get("/o/a")->status == 405);
}

TEST_CASE("after Stop the port is free for a new server") {
  int port = 0;
  {
    Fixture a;
    a.Start();
    port = a.port;
    REQUIRE(a.client->Get("/healthz")->status == 200);
    a.server.Stop();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    Server b(options);
    auto again = b.Start();
    REQUIRE(again.ok());
    REQUIRE(*again == port);
  }
}

}  // namespace
}  // namespace gureum::http
