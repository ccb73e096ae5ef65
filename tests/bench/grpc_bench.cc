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
#include <thread>

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
  double cpu_begin = gureum::bench::ProcessCpuSeconds();
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
  if (row.ops > 0) {
    row.cpu_us_per_op = (gureum::bench::ProcessCpuSeconds() - cpu_begin) * 1e6 / row.ops;
  }
  return row;
}

// The same load from gRPC's completion-queue API: `threads` client threads each drain a
// queue of their own and start the next call from the completion, with no hand-off to a
// callback thread pool. The cheapest client gRPC offers, so more of the two shared cores
// is left to the server being measured.
gureum::bench::Row RunQueue(const std::string& scenario,
                            std::vector<std::unique_ptr<gureum::echo::v1::Echo::Stub>>& stubs,
                            const std::string& token, long long total, int concurrency,
                            int threads) {
  using Clock = std::chrono::steady_clock;
  struct Call {
    std::unique_ptr<grpc::ClientContext> ctx;
    EchoRequest req;
    EchoResponse resp;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<EchoResponse>> reader;
    Clock::time_point start;
    int slot = 0;
  };
  std::atomic<long long> issued{0};
  std::mutex mu;
  std::vector<double> latencies;
  latencies.reserve(total);
  long long errors = 0;
  std::string first_error;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  for (int t = 0; t < threads; ++t) queues.push_back(std::make_unique<grpc::CompletionQueue>());
  auto start_call = [&](Call* call, grpc::CompletionQueue* cq) {
    if (issued.fetch_add(1) >= total) {
      delete call;
      return false;
    }
    call->ctx = std::make_unique<grpc::ClientContext>();
    gureum::grpcx::PrepareContext(*call->ctx, {.token = token, .timeout = absl::Seconds(10)});
    call->req.set_message("ping");
    call->start = Clock::now();
    call->reader = stubs[call->slot % stubs.size()]->AsyncEcho(call->ctx.get(), call->req, cq);
    call->reader->Finish(&call->resp, &call->status, call);
    return true;
  };
  auto begin = Clock::now();
  double cpu_begin = gureum::bench::ProcessCpuSeconds();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      grpc::CompletionQueue* cq = queues[t].get();
      int live = 0;
      for (int i = t; i < concurrency; i += threads) {
        auto* call = new Call;
        call->slot = i;
        if (start_call(call, cq)) ++live;
      }
      std::vector<double> mine;
      long long my_errors = 0;
      std::string my_first_error;
      void* tag = nullptr;
      bool ok = false;
      while (live > 0 && cq->Next(&tag, &ok)) {
        auto* call = static_cast<Call*>(tag);
        if (call->status.ok()) {
          mine.push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - call->start).count());
        } else if (my_errors++ == 0) {
          my_first_error = call->status.error_message();
        }
        if (!start_call(call, cq)) --live;
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      if (errors == 0 && my_errors > 0) first_error = my_first_error;
      errors += my_errors;
    });
  }
  for (auto& w : workers) w.join();
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  for (auto& q : queues) {
    q->Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (q->Next(&tag, &ok)) {
    }
  }
  gureum::bench::Row row =
      gureum::bench::Summarize(scenario, std::move(latencies), seconds, concurrency, ">= 20000 /s");
  row.errors = errors;
  row.first_error = first_error;
  if (row.ops > 0) {
    row.cpu_us_per_op = (gureum::bench::ProcessCpuSeconds() - cpu_begin) * 1e6 / row.ops;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gRPC unary echo benchmark"};
  long long total = 200000;
  int channels = 2;
  int repeat = 3;
  int queue_threads = 2;
  std::vector<int> concurrencies = {16, 64};
  app.add_option("--total", total, "Calls per scenario");
  app.add_option("--channels", channels, "Client channels (TCP connections)");
  app.add_option("--concurrency", concurrencies, "Concurrency levels of the callback client");
  app.add_option("--queue-threads", queue_threads, "Threads of the completion-queue client");
  app.add_option("--repeat", repeat,
                 "Runs of each scenario (the machine is shared: show the spread)");
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
  // The blocking caller goes the way services call each other: CallUnary, retried on
  // UNAVAILABLE.
  auto call = [&](int thread) {
    EchoRequest req;
    req.set_message("ping");
    EchoResponse resp;
    grpc::Status s =
        gureum::grpcx::CallUnary(*stubs[thread % stubs.size()], &gureum::echo::v1::Echo::Stub::Echo,
                                 req, &resp, {.token = kToken, .timeout = absl::Seconds(10)});
    return s.ok() ? absl::OkStatus() : absl::UnavailableError(s.error_message());
  };
  // Warm up connections and thread pools.
  gureum::bench::RunClosedLoop("warm-up", 2000, 8, call, "");

  std::vector<gureum::bench::Row> rows;
  // One blocking caller: the latency of a single call with nothing else in flight.
  rows.push_back(gureum::bench::RunClosedLoop("echo + auth hook, 1 blocking caller", total / 20, 1,
                                              call, "(latency)"));
  for (int c : concurrencies) {
    for (int r = 0; r < repeat; ++r) {
      rows.push_back(RunAsync("echo + auth hook, callback client", stubs, kToken, total, c));
    }
    for (int r = 0; r < repeat; ++r) {
      rows.push_back(
          RunQueue("echo + auth hook, queue client (" + std::to_string(queue_threads) + " threads)",
                   stubs, kToken, total, c, queue_threads));
    }
  }
  gureum::bench::PrintTable("gRPC unary (server and client on the same 2 cores)", rows);
  (*server)->Shutdown(absl::Seconds(1));
  return 0;
}
