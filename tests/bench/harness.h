// Benchmark harness: run a scenario N times at concurrency C and print a table of
// throughput and latency percentiles next to the goal the issue sets.
//
//   std::vector<bench::Row> rows;
//   rows.push_back(bench::RunClosedLoop("grpc unary echo", 100000, 8, call,
//                                       ">= 20000 /s"));
//   bench::PrintTable("gRPC", rows);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace gureum::bench {

struct Row {
  std::string scenario;
  long long ops = 0;
  long long errors = 0;
  int concurrency = 1;
  double seconds = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  // CPU time of this process (user + system) per op, in microseconds; 0 when not measured.
  // Steadier than ops/s on a shared machine: it counts the work, not the waiting.
  double cpu_us_per_op = 0;
  std::string goal;  // e.g. ">= 20000 /s" or "p50 <= 5 ms"; free text
  std::string first_error;
};

// Runs `call` `total` times from `concurrency` threads; each call's latency is recorded.
// `call` gets the index of its thread (0..concurrency-1), e.g. to pick a channel.
Row RunClosedLoop(const std::string& scenario, long long total, int concurrency,
                  const std::function<absl::Status(int thread)>& call, const std::string& goal);

// Builds a row from latencies measured by the caller (e.g. publish-to-consume times).
Row Summarize(const std::string& scenario, std::vector<double> latencies_ms, double seconds,
              int concurrency, const std::string& goal);

// CPU seconds (user + system) this process has used so far, all threads.
double ProcessCpuSeconds();

// The value at quantile q (0..1) of `values` (sorted in place). 0 for an empty vector.
double Percentile(std::vector<double>& values, double q);

// Prints a title and the rows as an aligned table on standard output.
void PrintTable(const std::string& title, const std::vector<Row>& rows);

}  // namespace gureum::bench
