#include "tests/bench/harness.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include <sys/resource.h>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace gureum::bench {

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

Row Summarize(const std::string& scenario, std::vector<double> latencies_ms, double seconds,
              int concurrency, const std::string& goal) {
  Row row;
  row.scenario = scenario;
  row.ops = static_cast<long long>(latencies_ms.size());
  row.concurrency = concurrency;
  row.seconds = seconds;
  row.per_second = seconds > 0 ? row.ops / seconds : 0;
  row.p50_ms = Percentile(latencies_ms, 0.50);
  row.p99_ms = Percentile(latencies_ms, 0.99);
  row.goal = goal;
  return row;
}

Row RunClosedLoop(const std::string& scenario, long long total, int concurrency,
                  const std::function<absl::Status(int thread)>& call, const std::string& goal) {
  using Clock = std::chrono::steady_clock;
  std::atomic<long long> next{0};
  std::atomic<long long> errors{0};
  absl::Mutex mu;
  std::string first_error;
  std::vector<std::vector<double>> per_thread(concurrency);
  auto start = Clock::now();
  double cpu_start = ProcessCpuSeconds();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      per_thread[t].reserve(total / concurrency + 1);
      while (next.fetch_add(1) < total) {
        auto begin = Clock::now();
        absl::Status s = call(t);
        auto end = Clock::now();
        if (!s.ok()) {
          if (errors.fetch_add(1) == 0) {
            absl::MutexLock lock(&mu);
            first_error = s.ToString();
          }
          continue;
        }
        per_thread[t].push_back(std::chrono::duration<double, std::milli>(end - begin).count());
      }
    });
  }
  for (auto& th : threads) th.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  Row row = Summarize(scenario, std::move(all), seconds, concurrency, goal);
  row.errors = errors.load();
  row.first_error = first_error;
  if (row.ops > 0) row.cpu_us_per_op = (ProcessCpuSeconds() - cpu_start) * 1e6 / row.ops;
  return row;
}

void PrintTable(const std::string& title, const std::vector<Row>& rows) {
  std::printf("\n== %s ==\n", title.c_str());
  std::printf("%-44s %9s %6s %4s %9s %12s %9s %9s %10s  %s\n", "scenario", "ops", "errors", "conc",
              "seconds", "ops/s", "p50 ms", "p99 ms", "cpu us/op", "goal");
  for (const Row& r : rows) {
    std::string cpu = r.cpu_us_per_op > 0 ? absl::StrFormat("%.1f", r.cpu_us_per_op) : "-";
    std::printf("%-44s %9lld %6lld %4d %9.2f %12.0f %9.3f %9.3f %10s  %s\n", r.scenario.c_str(),
                r.ops, r.errors, r.concurrency, r.seconds, r.per_second, r.p50_ms, r.p99_ms,
                cpu.c_str(), r.goal.c_str());
    if (!r.first_error.empty()) std::printf("    first error: %s\n", r.first_error.c_str());
  }
  std::fflush(stdout);
}

}  // namespace gureum::bench
