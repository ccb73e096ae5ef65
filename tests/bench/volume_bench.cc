// volume_bench: sequential write and read, through a volume agent's NBD export and locally,
// with `qemu-img bench` (1 MiB requests, 16 in flight by default) on two qcow2 volumes of the
// file driver, one exported by NbdExporter on 127.0.0.1 and one opened directly. The local
// file is opened with --local-cache (default none: O_DIRECT, QEMU's cache=none as Nova uses
// for local disks; writeback measures the page cache instead); the export is served as the
// agent serves it. Prints MB/s (median of --runs) and the ratio against issue 18's goal
// (NBD >= 70% of local), with the load average: every NBD request wakes two processes, so on
// a busy machine the NBD figures fall with the scheduler's latency, and a deeper queue
// (--depth) hides it.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "block-storage/agent/file_driver.h"
#include "block-storage/agent/nbd_exporter.h"

namespace gureum::volume_agent {
namespace {
namespace fs = std::filesystem;

constexpr char kLocal[] = "0b0b0000-0000-4000-8000-000000000001";
constexpr char kRemote[] = "0b0b0000-0000-4000-8000-000000000002";
constexpr char kAttachment[] = "0b0b0000-0000-4000-8000-0000000000a1";

struct Settings {
  int size_mb = 1024;
  int block_kb = 1024;
  int depth = 16;
  std::string local_cache = "none";
  int runs = 3;
  std::string dir = "/var/tmp";
};

// Seconds qemu-img bench took ("Run completed in 1.234 seconds.").
absl::StatusOr<double> Bench(process::CommandRunner& runner, const Settings& s,
                             const std::string& format, const std::string& target, bool write) {
  std::vector<std::string> argv = {"qemu-img", "bench",
                                   "-f",       format,
                                   "-c",       std::to_string(s.size_mb * 1024 / s.block_kb),
                                   "-s",       absl::StrCat(s.block_kb, "K"),
                                   "-d",       std::to_string(s.depth)};
  if (write) argv.push_back("-w");
  if (format == "qcow2") {
    argv.push_back("-t");
    argv.push_back(s.local_cache);
  }
  argv.push_back(target);
  absl::StatusOr<std::string> out = runner.Output(argv, absl::Minutes(10));
  if (!out.ok()) return out.status();
  size_t at = out->find("Run completed in ");
  double seconds = 0;
  if (at == std::string::npos ||
      std::sscanf(out->c_str() + at, "Run completed in %lf", &seconds) != 1 || seconds <= 0) {
    return absl::InternalError("qemu-img bench: no time in its output: " + *out);
  }
  return seconds;
}

// Median MB/s of `runs` runs.
absl::StatusOr<double> MedianMbps(process::CommandRunner& runner, const Settings& s,
                                  const std::string& format, const std::string& target,
                                  bool write) {
  std::vector<double> mbps;
  for (int i = 0; i < s.runs; ++i) {
    absl::StatusOr<double> seconds = Bench(runner, s, format, target, write);
    if (!seconds.ok()) return seconds.status();
    mbps.push_back(s.size_mb * 1.048576 / *seconds);
  }
  std::sort(mbps.begin(), mbps.end());
  return mbps[mbps.size() / 2];
}

int Run(const Settings& s) {
  fs::path dir = fs::path(s.dir) / ("volume-bench-" + std::to_string(getpid()));
  fs::create_directories(dir / "volumes");
  process::RealCommandRunner runner;
  RandomIdGenerator ids;
  FileDriver driver((dir / "volumes").string(), runner);
  int64_t gb = s.size_mb / 1024 + 1;
  if (!driver.Create(kLocal, gb).ok() || !driver.Create(kRemote, gb).ok()) {
    std::fprintf(stderr, "cannot create the volumes\n");
    return 1;
  }
  auto exporter = NbdExporter::Create(
      {.state_dir = (dir / "state").string(), .port_min = 20809, .port_max = 21808},
      {runner, RealClock::Get(), ids});
  absl::StatusOr<ExportInfo> e = exporter.ok()
                                     ? (*exporter)->Export({.attachment_id = kAttachment,
                                                            .volume_id = kRemote,
                                                            .image = *driver.Image(kRemote),
                                                            .connector_ip = "127.0.0.1"})
                                     : absl::StatusOr<ExportInfo>(exporter.status());
  if (!e.ok()) {
    std::fprintf(stderr, "export: %s\n", e.status().ToString().c_str());
    return 1;
  }
  const std::string url = absl::StrCat("nbd://", e->host, ":", e->port, "/", e->export_name);
  double load[1] = {0};
  getloadavg(load, 1);
  std::printf(
      "volume_bench: %d MiB sequential, %d KiB requests, depth %d, median of %d runs, local "
      "cache %s, load average %.1f\n\n",
      s.size_mb, s.block_kb, s.depth, s.runs, s.local_cache.c_str(), load[0]);
  std::printf("%-18s %12s %12s %8s   %s\n", "scenario", "local MB/s", "NBD MB/s", "ratio", "goal");
  int failed = 0;
  for (bool write : {true, false}) {
    auto local = MedianMbps(runner, s, "qcow2", driver.VolumePath(kLocal), write);
    auto nbd = MedianMbps(runner, s, "raw", url, write);
    if (!local.ok() || !nbd.ok()) {
      std::fprintf(stderr, "%s\n", (local.ok() ? nbd.status() : local.status()).ToString().c_str());
      ++failed;
      continue;
    }
    std::printf("%-18s %12.0f %12.0f %7.0f%%   NBD >= 70%% of local\n",
                write ? "sequential write" : "sequential read", *local, *nbd,
                100.0 * *nbd / *local);
  }
  (void)(*exporter)->Unexport(kAttachment);
  fs::remove_all(dir);
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace gureum::volume_agent

int main(int argc, char** argv) {
  gureum::volume_agent::Settings s;
  CLI::App app{"Sequential I/O through a volume agent NBD export vs the same file locally"};
  app.add_option("--size-mb", s.size_mb, "MiB written and read per run");
  app.add_option("--block-kb", s.block_kb, "request size in KiB");
  app.add_option("--depth", s.depth, "requests in flight");
  app.add_option("--runs", s.runs, "runs per figure (the median is printed)");
  app.add_option("--dir", s.dir, "where the volumes are made");
  app.add_option("--local-cache", s.local_cache, "qemu-img cache mode of the local file")
      ->check(CLI::IsMember({"none", "writeback", "writethrough", "directsync"}));
  CLI11_PARSE(app, argc, argv);
  return gureum::volume_agent::Run(s);
}
