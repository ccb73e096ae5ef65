// amqp_bench: how fast Gureum's Bus casts with publisher confirms, and how fast a cast
// travels to a consumer that acks it, on a real RabbitMQ. The goal: confirmed
// casts >= 10,000/s end to end.
//
//   amqp_bench [--url amqp://guest:guest@127.0.0.1:5672/%2f] [--messages 50000]
//              [--concurrency 32]
// The URL defaults to $GUREUM_TEST_AMQP_URL. Queues are unique to the run and deleted.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "common/base/process.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "tests/bench/harness.h"

namespace {

using gureum::amqp::Message;
using SteadyClock = std::chrono::steady_clock;

const char kGoal[] = ">= 10000 /s";

long long NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

// Publishers stamp each body with the send time; the consumer measures to its ack.
gureum::bench::Row EndToEnd(gureum::amqp::Publisher& publisher,
                            const gureum::amqp::ConnectionOptions& options,
                            const std::string& queue, long long total, int concurrency,
                            int batch = 1) {
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(total);
  gureum::amqp::ConsumerOptions co;
  co.queue = queue;
  co.prefetch = 512;
  auto consumer = gureum::amqp::Consumer::Create(options, co, [&](const Message& m) {
    long long sent = 0;
    if (!absl::SimpleAtoi(m.body, &sent)) return absl::InvalidArgumentError("bad body");
    double ms = (NowNanos() - sent) / 1e6;
    absl::MutexLock lock(&mu);
    latencies_ms.push_back(ms);
    return absl::OkStatus();
  });
  if (!consumer.ok()) {
    std::cerr << consumer.status() << "\n";
    std::exit(1);
  }
  (*consumer)->Start();
  if (!(*consumer)->WaitUntilConsuming(absl::Seconds(30))) {
    std::cerr << "consumer did not start\n";
    std::exit(1);
  }
  const auto start = SteadyClock::now();
  if (batch <= 1) {
    gureum::bench::RunClosedLoop("", total, concurrency, [&](int) {
      Message m;
      m.body = std::to_string(NowNanos());
      return publisher.Cast(queue, m);
    }, "");
  } else {
    gureum::bench::RunClosedLoop("", total / batch, concurrency, [&](int) {
      std::vector<Message> messages(batch);
      for (Message& m : messages) m.body = std::to_string(NowNanos());
      return publisher.CastBatch(queue, messages);
    }, "");
  }
  // Bounded wait for the consumer to drain what was confirmed.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  while (SteadyClock::now() < deadline) {
    absl::MutexLock lock(&mu);
    if (static_cast<long long>(latencies_ms.size()) >= total) break;
    mu.Unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    mu.Lock();
  }
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  (*consumer)->Stop();
  absl::MutexLock lock(&mu);
  return gureum::bench::Summarize(
      batch <= 1 ? "cast -> consumed+acked (1 consumer)"
                 : "CastBatch of " + std::to_string(batch) + " -> consumed+acked",
      latencies_ms, seconds, concurrency, kGoal);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"AMQP benchmark: confirmed casts and cast-to-consume latency"};
  const char* env_url = std::getenv("GUREUM_TEST_AMQP_URL");
  std::string url = env_url ? env_url : "";
  long long total = 50000;
  int concurrency = 32;
  app.add_option("--url", url, "amqp://user:pass@host:port/vhost (default $GUREUM_TEST_AMQP_URL)");
  app.add_option("--messages", total, "messages per scenario");
  app.add_option("--concurrency", concurrency, "publishing threads");
  CLI11_PARSE(app, argc, argv);
  gureum::InitProcess();

  auto options = gureum::amqp::ParseUrl(url);
  if (!options.ok()) {
    std::cerr << options.status() << "\n";
    return 2;
  }
  auto publisher = gureum::amqp::Publisher::Create(*options);
  if (!publisher.ok()) {
    std::cerr << publisher.status() << "\n";
    return 2;
  }
  gureum::amqp::Publisher& bus = **publisher;
  const std::string prefix = absl::StrCat("bench-", getpid(), "-");
  std::vector<std::string> queues;
  auto queue = [&](const std::string& name) {
    queues.push_back(prefix + name);
    return queues.back();
  };

  std::vector<gureum::bench::Row> rows;
  const std::string q1 = queue("single");
  rows.push_back(gureum::bench::RunClosedLoop(
      "cast+confirm, 1 thread", std::min(total, 5000LL), 1,
      [&](int) { return bus.Cast(q1, Message{}); }, kGoal));
  const std::string q2 = queue("concurrent");
  rows.push_back(gureum::bench::RunClosedLoop(
      absl::StrCat("cast+confirm, ", concurrency, " threads"), total, concurrency,
      [&](int) { return bus.Cast(q2, Message{}); }, kGoal));
  constexpr int kBatch = 100;
  const std::string q3 = queue("batch");
  const std::vector<Message> batch(kBatch);
  gureum::bench::Row row = gureum::bench::RunClosedLoop(
      absl::StrCat("CastBatch of ", kBatch, ", 1 thread (per msg)"), total / kBatch, 1,
      [&](int) { return bus.CastBatch(q3, batch); }, kGoal);
  row.ops *= kBatch;  // throughput in messages; latencies stay per batch
  row.per_second *= kBatch;
  rows.push_back(row);
  rows.push_back(EndToEnd(bus, *options, queue("e2e"), total, concurrency));
  // Bursts (a scheduler placing many servers at once) go out as batches: 4 threads.
  rows.push_back(EndToEnd(bus, *options, queue("e2e-batch"), total, 4, kBatch));
  gureum::bench::PrintTable("AMQP (RabbitMQ, persistent messages, publisher confirms)", rows);

  for (const std::string& q : queues) {
    (void)bus.DeleteQueue(q);
    (void)bus.DeleteQueue(q + gureum::amqp::kDeadSuffix);
  }
  return 0;
}
