// amqp_bench: how fast Gureum's Bus casts with publisher confirms, and how fast a cast
// travels to a consumer that acks it, on a real RabbitMQ. The goal: confirmed
// casts >= 10,000/s end to end.
//
//   amqp_bench [--url amqp://guest:guest@127.0.0.1:5672/%2f] [--messages 50000]
//              [--concurrency 32] [--e2e-concurrency 32 64]
// The URL defaults to $GUREUM_TEST_AMQP_URL. Queues are unique to the run and deleted.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/base/process.h"
#include "tests/bench/harness.h"

namespace {

using gureum::amqp::Message;
using SteadyClock = std::chrono::steady_clock;

const char kGoal[] = ">= 10000 /s";

long long NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

// The fields of /proc/<pid>/stat after the command name (state first); empty when there
// is no such process.
std::vector<std::string> StatFields(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (pid <= 0 || !std::getline(in, line) || line.rfind(')') == std::string::npos) return {};
  // The command name is in parentheses and may hold spaces.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  return {std::istream_iterator<std::string>(rest), {}};
}

// CPU seconds (user + system) process `pid` has used: the broker's, to set next to ours.
double ProcessCpu(int pid) {
  std::vector<std::string> f = StatFields(pid);
  if (f.size() < 13) return 0;
  return (std::stod(f[11]) + std::stod(f[12])) / sysconf(_SC_CLK_TCK);
}

std::vector<std::string> broker_notes;

// Publishers stamp each body with the send time; the consumers measure to their ack.
// With several queues, each has its consumer and publishing thread t casts to queue
// t % queues, as a scheduler casts to many hosts' queues.
gureum::bench::Row EndToEnd(gureum::amqp::Publisher& publisher,
                            const gureum::amqp::ConnectionOptions& options,
                            const std::vector<std::string>& queues, long long total,
                            int concurrency, int broker_pid, int batch = 1) {
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(total);
  std::vector<std::unique_ptr<gureum::amqp::Consumer>> consumers;
  for (const std::string& queue : queues) {
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
    consumers.push_back(*std::move(consumer));
  }
  const auto start = SteadyClock::now();
  const double cpu_start = gureum::bench::ProcessCpuSeconds();
  const double broker_start = ProcessCpu(broker_pid);
  if (batch <= 1) {
    gureum::bench::RunClosedLoop(
        "", total, concurrency,
        [&](int t) {
          Message m;
          m.body = std::to_string(NowNanos());
          return publisher.Cast(queues[t % queues.size()], m);
        },
        "");
  } else {
    gureum::bench::RunClosedLoop(
        "", total / batch, concurrency,
        [&](int t) {
          std::vector<Message> messages(batch);
          for (Message& m : messages) m.body = std::to_string(NowNanos());
          return publisher.CastBatch(queues[t % queues.size()], messages);
        },
        "");
  }
  // Bounded wait for the consumers to drain what was confirmed.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  while (SteadyClock::now() < deadline) {
    absl::MutexLock lock(&mu);
    if (static_cast<long long>(latencies_ms.size()) >= total) break;
    mu.Unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    mu.Lock();
  }
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const double cpu = gureum::bench::ProcessCpuSeconds() - cpu_start;
  const double broker = ProcessCpu(broker_pid) - broker_start;
  for (auto& consumer : consumers) consumer->Stop();
  absl::MutexLock lock(&mu);
  std::string scenario = batch <= 1
                             ? "cast -> consumed+acked"
                             : "CastBatch of " + std::to_string(batch) + " -> consumed+acked";
  scenario += queues.size() == 1 ? " (1 queue)" : " (" + std::to_string(queues.size()) + " queues)";
  gureum::bench::Row row =
      gureum::bench::Summarize(scenario, latencies_ms, seconds, concurrency, kGoal);
  if (row.ops > 0) {
    row.cpu_us_per_op = cpu * 1e6 / row.ops;
    if (broker_pid > 0) {
      broker_notes.push_back(absl::StrCat(
          row.scenario, ", ", concurrency, " threads: RabbitMQ used ",
          static_cast<int>(broker * 1e6 / row.ops), " us of CPU per message, this process ",
          static_cast<int>(row.cpu_us_per_op)));
    }
  }
  return row;
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
  std::vector<int> e2e_concurrency = {32, 64};
  app.add_option("--e2e-concurrency", e2e_concurrency,
                 "publishing threads of the one-queue end-to-end scenario, one row each");
  std::string only;
  int broker_pid = 0;
  int spread_queues = 4;
  int batch_size = 100;
  int batch_threads = 4;
  app.add_option("--batch", batch_size, "messages per CastBatch");
  app.add_option("--batch-threads", batch_threads, "threads of the end-to-end CastBatch scenario");
  app.add_option("--queues", spread_queues, "queues of the spread end-to-end scenario");
  app.add_option("--broker-pid", broker_pid, "RabbitMQ's beam.smp, to report its CPU per message");
  app.add_option("--only", only, "one scenario: confirm, batch, e2e, e2e-queues or e2e-batch");
  CLI11_PARSE(app, argc, argv);
  gureum::InitProcess();
  if (broker_pid != 0) {
    std::vector<std::string> f = StatFields(broker_pid);
    if (f.size() < 13 || f[0] == "Z") {
      std::cerr << "--broker-pid " << broker_pid << " is not a running process\n";
      return 2;
    }
  }

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

  auto wanted = [&](const char* name) { return only.empty() || only == name; };
  std::vector<gureum::bench::Row> rows;
  if (wanted("confirm")) {
    const std::string q1 = queue("single");
    rows.push_back(gureum::bench::RunClosedLoop(
        "cast+confirm, 1 thread", std::min(total, 5000LL), 1,
        [&](int) { return bus.Cast(q1, Message{}); }, kGoal));
    const std::string q2 = queue("concurrent");
    rows.push_back(gureum::bench::RunClosedLoop(
        absl::StrCat("cast+confirm, ", concurrency, " threads"), total, concurrency,
        [&](int) { return bus.Cast(q2, Message{}); }, kGoal));
  }
  if (wanted("batch")) {
    const std::string q3 = queue("batch");
    const std::vector<Message> batch(batch_size);
    gureum::bench::Row row = gureum::bench::RunClosedLoop(
        absl::StrCat("CastBatch of ", batch_size, ", 1 thread (per msg)"), total / batch_size, 1,
        [&](int) { return bus.CastBatch(q3, batch); }, kGoal);
    row.ops *= batch_size;  // throughput in messages; latencies stay per batch
    row.per_second *= batch_size;
    row.cpu_us_per_op /= batch_size;
    rows.push_back(row);
  }
  // One consumer, and publishers at each of --e2e-concurrency: RabbitMQ's CPU per
  // persistent message falls as more are in flight (more per read, per write to disk, per
  // confirm), so the rate depends on how many casts are waiting at once.
  if (wanted("e2e")) {
    for (int c : e2e_concurrency) {
      rows.push_back(
          EndToEnd(bus, *options, {queue(absl::StrCat("e2e-c", c))}, total, c, broker_pid));
    }
  }
  // Casts spread over several queues, as the scheduler's go to many hosts: RabbitMQ
  // serves each queue from one Erlang process, so one queue uses at most one core.
  if (wanted("e2e-queues")) {
    std::vector<std::string> spread;
    for (int i = 0; i < spread_queues; ++i) spread.push_back(queue(absl::StrCat("e2e-", i)));
    rows.push_back(EndToEnd(bus, *options, spread, total, concurrency, broker_pid));
  }
  // Bursts (a scheduler placing many servers at once) go out as batches: 4 threads.
  if (wanted("e2e-batch")) {
    rows.push_back(EndToEnd(bus, *options, {queue("e2e-batch")}, total, batch_threads, broker_pid,
                            batch_size));
  }
  gureum::bench::PrintTable("AMQP (RabbitMQ, persistent messages, publisher confirms)", rows);
  for (const std::string& note : broker_notes) std::printf("%s\n", note.c_str());

  for (const std::string& q : queues) {
    (void)bus.DeleteQueue(q);
    (void)bus.DeleteQueue(q + gureum::amqp::kDeadSuffix);
  }
  return 0;
}
