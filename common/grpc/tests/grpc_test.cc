#include <unistd.h>

#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/grpc/client.h"
#include "common/grpc/echo_service.h"
#include "common/grpc/server.h"

#include "grpc/health/v1/health.grpc.pb.h"

namespace gureum::grpcx {
namespace {

using gureum::echo::v1::EchoRequest;
using gureum::echo::v1::EchoResponse;

absl::StatusOr<Caller> TestAuth(const std::string& token) {
  if (token != "good-token") return absl::UnauthenticatedError("The token is not valid.");
  Caller c;
  c.user_id = "u-1";
  c.project_id = "p-1";
  c.roles = {"member", "reader"};
  return c;
}

struct Fixture {
  explicit Fixture(bool with_auth = true) : metrics("echo"), service(env) {
    if (with_auth) env.auth = TestAuth;
    env.metrics = &metrics;
    auto started = Server::Start({.listen_address = "127.0.0.1:0"}, {&service});
    REQUIRE(started.ok());
    server = *std::move(started);
    channel = MakeChannel("127.0.0.1:" + std::to_string(server->port()));
    stub = gureum::echo::v1::Echo::NewStub(channel);
  }
  // As services call: retried on UNAVAILABLE.
  grpc::Status Call(const std::string& message, const CallOptions& options, EchoResponse* out) {
    EchoRequest req;
    req.set_message(message);
    return CallUnary(*stub, &gureum::echo::v1::Echo::Stub::Echo, req, out, options);
  }
  // One attempt, as a stream or a probe is made.
  grpc::Status CallOnce(const std::string& message, const CallOptions& options, EchoResponse* out) {
    grpc::ClientContext ctx;
    PrepareContext(ctx, options);
    EchoRequest req;
    req.set_message(message);
    return stub->Echo(&ctx, req, out);
  }
  std::string Unavailable() {
    std::string all = metrics.Serialize();
    std::string key = "code=\"UNAVAILABLE\",method=\"Echo\",service=\"echo\"} ";
    size_t at = all.find(key);
    return at == std::string::npos
               ? "0"
               : all.substr(at + key.size(), all.find('\n', at) - at - key.size());
  }
  metrics::Metrics metrics;
  CallEnv env;
  EchoService service;
  std::unique_ptr<Server> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<gureum::echo::v1::Echo::Stub> stub;
};

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_CASE("the server serves the health service and echo") {
  Fixture f;
  auto health = grpc::health::v1::Health::NewStub(f.channel);
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  REQUIRE(health->Check(&ctx, req, &resp).ok());
  REQUIRE(resp.status() == grpc::health::v1::HealthCheckResponse::SERVING);

  EchoResponse out;
  REQUIRE(f.Call("hello", {.token = "good-token"}, &out).ok());
  REQUIRE(out.message() == "hello");
  REQUIRE(out.user_id() == "u-1");
}

TEST_CASE("the auth hook refuses calls without a valid token") {
  Fixture f;
  EchoResponse out;
  grpc::Status no_token = f.Call("x", {}, &out);
  REQUIRE(no_token.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE(no_token.error_message() == "The request you have made requires authentication.");
  grpc::Status bad = f.Call("x", {.token = "forged"}, &out);
  REQUIRE(bad.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE_THAT(f.metrics.Serialize(),
               Catch::Contains("code=\"UNAUTHENTICATED\",method=\"Echo\",service=\"echo\"} 2"));
}

TEST_CASE("public methods need no token") {
  Fixture f;
  f.env.public_methods.insert("Echo");
  EchoResponse out;
  REQUIRE(f.Call("open", {}, &out).ok());
  REQUIRE(out.user_id().empty());
}

TEST_CASE("the request id travels from client to server and back") {
  Fixture f;
  EchoResponse out;
  grpc::ClientContext ctx;
  PrepareContext(ctx,
                 {.token = "good-token", .request_id = "req-00000000-0000-4000-8000-0000000000aa"});
  EchoRequest req;
  REQUIRE(f.stub->Echo(&ctx, req, &out).ok());
  REQUIRE(out.request_id() == "req-00000000-0000-4000-8000-0000000000aa");

  // A caller without a usable id is told the one the server chose.
  grpc::ClientContext bare;
  bare.AddMetadata("x-auth-token", "good-token");
  bare.AddMetadata("x-openstack-request-id", "not-an-id");
  REQUIRE(f.stub->Echo(&bare, req, &out).ok());
  auto md = bare.GetServerTrailingMetadata();
  auto it = md.find("x-openstack-request-id");
  REQUIRE(it != md.end());
  REQUIRE(std::string(it->second.data(), it->second.size()) == out.request_id());
  REQUIRE(out.request_id().rfind("req-", 0) == 0);

  // Inside a scope the current thread's id is used.
  log::ScopedRequestId scope("req-00000000-0000-4000-8000-0000000000bb");
  REQUIRE(f.Call("x", {.token = "good-token"}, &out).ok());
  REQUIRE(out.request_id() == "req-00000000-0000-4000-8000-0000000000bb");
}

TEST_CASE("CallUnary retries UNAVAILABLE with one request id") {
  Fixture f;
  EchoResponse out;
  grpc::Status s = f.Call("unavailable:2",
                          {.token = "good-token",
                           .request_id = "req-00000000-0000-4000-8000-0000000000cc",
                           .retry = {.initial_backoff = absl::Milliseconds(10)}},
                          &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  REQUIRE(out.message() == "unavailable:2");
  REQUIRE(out.request_id() == "req-00000000-0000-4000-8000-0000000000cc");
  REQUIRE(f.Unavailable() == "2");
}

TEST_CASE("CallUnary gives up after max_attempts and says why") {
  Fixture f;
  EchoResponse out;
  grpc::Status s = f.Call("unavailable:10",
                          {.token = "good-token",
                           .retry = {.max_attempts = 3, .initial_backoff = absl::Milliseconds(5)}},
                          &out);
  REQUIRE(s.error_code() == grpc::StatusCode::UNAVAILABLE);
  REQUIRE(s.error_message() == "not yet");
  REQUIRE(f.Unavailable() == "3");
}

TEST_CASE("CallUnary does not wait past the deadline to retry") {
  Fixture f;
  EchoResponse out;
  // The first backoff (up to 60 s) would end after the 1 s deadline: no second attempt.
  grpc::Status s =
      f.Call("unavailable:10",
             {.token = "good-token",
              .timeout = absl::Seconds(1),
              .retry = {.initial_backoff = absl::Seconds(60), .max_backoff = absl::Seconds(60)}},
             &out);
  // A random wait under 1 s may still fit once or twice; it never reaches the fifth.
  REQUIRE(s.error_code() == grpc::StatusCode::UNAVAILABLE);
  REQUIRE(std::stoi(f.Unavailable()) < 5);
}

TEST_CASE("other errors and single calls are not retried") {
  Fixture f;
  EchoResponse out;
  REQUIRE(f.Call("x", {.token = "forged"}, &out).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE_THAT(f.metrics.Serialize(),
               Catch::Contains("code=\"UNAUTHENTICATED\",method=\"Echo\",service=\"echo\"} 1"));
  // gRPC's own retry filter is off on our channels: one attempt, one failure.
  REQUIRE(f.CallOnce("unavailable:1", {.token = "good-token"}, &out).error_code() ==
          grpc::StatusCode::UNAVAILABLE);
  REQUIRE(f.Unavailable() == "1");
}

TEST_CASE("a call waits for a server that is still starting") {
  int port = FreePort();
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(port));
  auto stub = gureum::echo::v1::Echo::NewStub(channel);
  auto pending = std::async(std::launch::async, [&] {
    grpc::ClientContext ctx;
    PrepareContext(ctx, {.timeout = absl::Seconds(20)});
    EchoRequest req;
    req.set_message("late");
    EchoResponse out;
    return stub->Echo(&ctx, req, &out).error_code();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server is "late"
  CallEnv env;
  EchoService service(env);
  auto server = Server::Start({.listen_address = "127.0.0.1:" + std::to_string(port)}, {&service});
  REQUIRE(server.ok());
  REQUIRE(pending.get() == grpc::StatusCode::OK);
}

TEST_CASE(
    "without wait_for_ready, a call to a server nobody runs ends UNAVAILABLE, not at the "
    "deadline") {
  int port = FreePort();
  auto stub = gureum::echo::v1::Echo::NewStub(MakeChannel("127.0.0.1:" + std::to_string(port)));
  EchoRequest req;
  req.set_message("nobody");
  EchoResponse out;
  // A deadline far longer than the test's timeout: waiting for it would fail the test by
  // timing out, and it would end DEADLINE_EXCEEDED, not UNAVAILABLE.
  grpc::Status s = CallUnary(*stub, &gureum::echo::v1::Echo::Stub::Echo, req, &out,
                             {.timeout = absl::Hours(1), .wait_for_ready = false});
  REQUIRE(s.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK_THAT(s.error_message(), Catch::Contains("127.0.0.1:" + std::to_string(port)));
}

TEST_CASE("shutdown lets in-flight calls finish, then refuses new ones") {
  Fixture f;
  auto in_flight = std::async(std::launch::async, [&] {
    EchoResponse out;
    return f.Call("sleep:300", {.token = "good-token"}, &out).error_code();
  });
  // Wait until the call is being served before shutting down.
  for (int i = 0; i < 200 && f.metrics.Serialize().find("sleep") == std::string::npos; ++i) {
    if (in_flight.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready) break;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  f.server->Shutdown(absl::Seconds(5));
  REQUIRE(in_flight.get() == grpc::StatusCode::OK);
  EchoResponse out;
  grpc::Status after =
      f.Call("x", {.token = "good-token", .timeout = absl::Milliseconds(300)}, &out);
  REQUIRE_FALSE(after.ok());
}

TEST_CASE("a port in use is a clear error") {
  Fixture f;
  CallEnv env;
  EchoService service(env);
  auto second = Server::Start({.listen_address = "127.0.0.1:" + std::to_string(f.server->port())},
                              {&service});
  REQUIRE_FALSE(second.ok());
  REQUIRE_THAT(std::string(second.status().message()), Catch::Contains("cannot listen"));
}

}  // namespace
}  // namespace gureum::grpcx
