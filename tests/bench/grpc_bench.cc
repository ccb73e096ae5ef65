// gRPC unary echo with the auth hook on: the floor under every Gureum RPC.
// Goal (issue 2): >= 20,000 calls/s on the 2-core machine.
//
// The server and the client share the machine (and its two cores), so the figure is a
// lower bound on what a server alone can take, and it varies from run to run with how
// the kernel schedules the two: each scenario runs --repeat times. The auth hook
// compares the token in constant time and builds a Caller, as the token check will. The
// server is on gRPC's callback API (common/grpc/reactor.h), the echo answered inline.
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include <CLI/CLI.hpp>

#include "common/base/process.h"
#include "common/grpc/client.h"
#include "common/grpc/echo_service.h"
#include "common/grpc/server.h"
#include "tests/bench/harness.h"

using gureum::echo::v1::EchoRequest;
using gureum::echo::v1::EchoResponse;

namespace {

// Keeps `concurrency` calls in flight with gRPC's callback API: each completion starts the
// next call. Unlike blocking stubs, no client thread sleeps per call, so the client costs
// less of the two cores the server also needs.
gureum::bench::Row RunAsync(const std::string& scenario,
                            std::vector<std::unique_ptr<gureum::echo::v1::Echo::Stub>>& stubs,
                            const std::string& token, long long total, int concurrency) {
  using Clock = std::chrono::steady_clock;
  struct Call {
    grpc::ClientContext ctx;
    EchoRequest req;
    EchoResponse resp;
    Clock::time_point start;
  };
  std::mutex mu;
  std::condition_variable done_cv;
  std::vector<double> latencies;
  latencies.reserve(total);
  std::atomic<long long> issued{0};
  long long finished = 0;
  long long errors = 0;
  std::string first_error;
  std::function<void(int)> start_call = [&](int slot) {
    if (issued.fetch_add(1) >= total) return;
    auto* call = new Call;
    gureum::grpcx::PrepareContext(call->ctx, {.token = token, .timeout = absl::Seconds(10)});
    call->req.set_message("ping");
    call->start = Clock::now();
    stubs[slot % stubs.size()]->async()->Echo(
        &call->ctx, &call->req, &call->resp, [&, call, slot](grpc::Status s) {
          double ms = std::chrono::duration<double, std::milli>(Clock::now() - call->start).count();
          delete call;
          {
            std::lock_guard<std::mutex> lock(mu);
            if (s.ok()) {
              latencies.push_back(ms);
            } else if (errors++ == 0) {
              first_error = s.error_message();
            }
            ++finished;
            if (finished == total) done_cv.notify_all();
          }
          start_call(slot);
        });
  };
  auto begin = Clock::now();
  for (int i = 0; i < concurrency; ++i) start_call(i);
  {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return finished == total; });
  }
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  gureum::bench::Row row =
      gureum::bench::Summarize(scenario, std::move(latencies), seconds, concurrency, ">= 20000 /s");
  row.errors = errors;
  row.first_error = first_error;
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gRPC unary echo benchmark"};
  long long total = 200000;
  int channels = 2;
  int repeat = 3;
  std::vector<int> concurrencies = {16, 64};
  app.add_option("--total", total, "Calls per scenario");
  app.add_option("--channels", channels, "Client channels (TCP connections)");
  app.add_option("--concurrency", concurrencies, "Concurrency levels of the callback client");
  app.add_option("--repeat", repeat, "Runs of each scenario (the machine is shared: show the spread)");
  CLI11_PARSE(app, argc, argv);
  gureum::InitProcess();
  if (sodium_init() < 0) return 1;

  const std::string kToken = "bench-token-0123456789abcdef0123456789abcdef";
  gureum::grpcx::CallEnv env;
  env.auth = [&](const std::string& token) -> absl::StatusOr<gureum::Caller> {
    if (token.size() != kToken.size() ||
        sodium_memcmp(token.data(), kToken.data(), token.size()) != 0) {
      return absl::UnauthenticatedError("The request you have made requires authentication.");
    }
    gureum::Caller c;
    c.user_id = "bench-user";
    c.project_id = "bench-project";
    c.roles = {"admin", "member", "reader"};
    return c;
  };
  gureum::metrics::Metrics metrics("bench");
  env.metrics = &metrics;
  gureum::grpcx::EchoService service(env);
  auto server = gureum::grpcx::Server::Start({.listen_address = "127.0.0.1:0"}, {&service});
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  std::string target = "127.0.0.1:" + std::to_string((*server)->port());

  std::vector<std::unique_ptr<gureum::echo::v1::Echo::Stub>> stubs;
  for (int i = 0; i < channels; ++i) {
    stubs.push_back(gureum::echo::v1::Echo::NewStub(
        gureum::grpcx::MakeChannel(target, {.connection_id = i + 1})));
  }
  auto call = [&](int thread) {
    grpc::ClientContext ctx;
    gureum::grpcx::PrepareContext(ctx, {.token = kToken, .timeout = absl::Seconds(10)});
    EchoRequest req;
    req.set_message("ping");
    EchoResponse resp;
    grpc::Status s = stubs[thread % stubs.size()]->Echo(&ctx, req, &resp);
    return s.ok() ? absl::OkStatus() : absl::UnavailableError(s.error_message());
  };
  // Warm up connections and thread pools.
  gureum::bench::RunClosedLoop("warm-up", 2000, 8, call, "");

  std::vector<gureum::bench::Row> rows;
  // One blocking caller: the latency of a single call with nothing else in flight.
  rows.push_back(gureum::bench::RunClosedLoop("echo + auth hook, 1 blocking caller",
                                              total / 20, 1, call, "(latency)"));
  for (int c : concurrencies) {
    for (int r = 0; r < repeat; ++r) {
      rows.push_back(RunAsync("echo + auth hook, callback client", stubs, kToken, total, c));
    }
  }
  gureum::bench::PrintTable("gRPC unary (server and client on the same 2 cores)", rows);
  (*server)->Shutdown(absl::Seconds(1));
  return 0;
}
