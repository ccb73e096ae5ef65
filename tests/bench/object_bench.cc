// Object storage (issue 19): small-object PUT and GET at concurrency 8 (one keep-alive
// connection per client thread), then large-object PUT and GET (256 MiB, one client), through
// a running gureum-object-proxy or any Swift API (--url is the account's storage URL).
// Issue 19's goals: small objects at 10x Debian's Swift 2.30 on this kind of machine (about
// 100 PUT/s and 460 GET/s there), large ones at 70% of the disk's sequential speed.
// tests/e2e/object_storage_bench_run.sh runs it against our proxy alone,
// tests/bench/swift_side_by_side.sh against ours and Debian's Swift in one run (--tsv: one
// line per row, "scenario<TAB>ops/s<TAB>MiB/s<TAB>errors", for that script's table).
#include <httplib.h>

#include <atomic>
#include <cstring>
#include <iostream>
#include <random>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"
#include "tests/bench/harness.h"

namespace gureum {
namespace {

struct Options {
  std::string url, token, container = "bench";
  long long objects = 4000;
  int concurrency = 8;
  size_t size = 4096;
  long long large_objects = 2;
  size_t large_size = 256u << 20;
  bool tsv = false;
};

std::string RandomBytes(size_t size, unsigned seed) {
  std::string body(size, '\0');
  std::mt19937_64 random(seed);
  for (size_t i = 0; i + 8 <= size; i += 8) {
    const uint64_t v = random();
    std::memcpy(&body[i], &v, 8);
  }
  return body;
}

absl::Status Failed(const httplib::Result& r) {
  return absl::InternalError(r ? std::to_string(r->status) : httplib::to_string(r.error()));
}

class Bench {
 public:
  explicit Bench(const Options& o) : o_(o), auth_{{"X-Auth-Token", o.token}} {
    const size_t scheme = o.url.find("://");
    const size_t path_at = o.url.find('/', scheme + 3);
    base_ = o.url.substr(0, path_at);
    container_ = absl::StrCat(o.url.substr(path_at), "/", o.container);
    for (int i = 0; i < std::max(o.concurrency, 1); ++i) {
      clients_.push_back(std::make_unique<httplib::Client>(base_));
      clients_.back()->set_keep_alive(true);
      // A PUT's head and body go in two writes: with Nagle on, the body waits for the
      // server's delayed ACK (40 ms).
      clients_.back()->set_tcp_nodelay(true);
      clients_.back()->set_read_timeout(300, 0);
      clients_.back()->set_write_timeout(300, 0);
    }
  }

  absl::Status CreateContainer() {
    auto made = clients_[0]->Put(container_, auth_, "", "text/plain");
    if (!made || made->status / 100 != 2) return Failed(made);
    return absl::OkStatus();
  }

  std::vector<bench::Row> Small() {
    const std::string body = RandomBytes(o_.size, 7);
    std::atomic<long long> next_put{0}, next_get{0};
    auto put = [&](int t) {
      auto r = clients_[t]->Put(absl::StrCat(container_, "/o", next_put++), auth_, body,
                                "application/octet-stream");
      return r && r->status == 201 ? absl::OkStatus() : Failed(r);
    };
    auto get = [&](int t) {
      auto r = clients_[t]->Get(absl::StrCat(container_, "/o", next_get++ % o_.objects), auth_);
      return r && r->status == 200 && r->body.size() == o_.size ? absl::OkStatus() : Failed(r);
    };
    const std::string kib = absl::StrCat(o_.size / 1024, " KiB");
    std::vector<bench::Row> rows;
    rows.push_back(bench::RunClosedLoop(absl::StrCat("PUT ", kib), o_.objects, o_.concurrency, put,
                                        ">= 1000 /s (10x Swift's ~100)"));
    rows.push_back(bench::RunClosedLoop(absl::StrCat("GET ", kib), o_.objects, o_.concurrency, get,
                                        ">= 4600 /s (10x Swift's ~460)"));
    return rows;
  }

  // One client, one object at a time: the rate a single stream reaches, to compare with
  // the disk's sequential speed. The GET counts bytes as they arrive (nothing is kept).
  std::vector<bench::Row> Large() {
    const std::string body = RandomBytes(o_.large_size, 11);
    std::atomic<long long> next_put{0}, next_get{0};
    auto put = [&](int) {
      auto r = clients_[0]->Put(absl::StrCat(container_, "/large", next_put++), auth_, body,
                                "application/octet-stream");
      return r && r->status == 201 ? absl::OkStatus() : Failed(r);
    };
    auto get = [&](int) {
      size_t got = 0;
      auto r = clients_[0]->Get(absl::StrCat(container_, "/large", next_get++ % o_.large_objects),
                                auth_, [&](const char*, size_t n) {
                                  got += n;
                                  return true;
                                });
      return r && r->status == 200 && got == o_.large_size ? absl::OkStatus() : Failed(r);
    };
    const std::string mib = absl::StrCat(o_.large_size >> 20, " MiB");
    std::vector<bench::Row> rows;
    rows.push_back(bench::RunClosedLoop(absl::StrCat("PUT ", mib), o_.large_objects, 1, put,
                                        ">= 70% of the disk's sequential write"));
    rows.push_back(bench::RunClosedLoop(absl::StrCat("GET ", mib), o_.large_objects, 1, get,
                                        ">= 70% of the disk's sequential read"));
    return rows;
  }

 private:
  const Options& o_;
  const httplib::Headers auth_;
  std::string base_, container_;
  std::vector<std::unique_ptr<httplib::Client>> clients_;
};

void PrintTsv(const std::vector<bench::Row>& rows, const std::vector<size_t>& sizes) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const bench::Row& r = rows[i];
    std::cout << absl::StrFormat("%s\t%.3f\t%.1f\t%d\n", r.scenario, r.per_second,
                                 r.per_second * static_cast<double>(sizes[i]) / (1 << 20),
                                 r.errors);
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"object storage benchmark: PUT and GET through the Swift API"};
  Options o;
  app.add_option("--url", o.url, "Storage URL, http://HOST:PORT/v1/AUTH_<project>")->required();
  app.add_option("--token", o.token, "X-Auth-Token")->required();
  app.add_option("--container", o.container, "Container the objects go to (created)");
  app.add_option("--objects", o.objects, "Small objects per row");
  app.add_option("--concurrency", o.concurrency, "Client threads for small objects");
  app.add_option("--size", o.size, "Bytes per small object");
  app.add_option("--large-objects", o.large_objects, "Large objects per row (0: none)");
  app.add_option("--large-size", o.large_size, "Bytes per large object");
  app.add_flag("--tsv", o.tsv, "Print scenario, ops/s, MiB/s and errors, tab-separated");
  CLI11_PARSE(app, argc, argv);
  (void)log::Init({.service = "object_bench", .level = "warn"});

  Bench bench(o);
  if (absl::Status made = bench.CreateContainer(); !made.ok()) {
    std::cerr << "cannot create the container: " << made.message() << "\n";
    return 1;
  }
  std::vector<bench::Row> rows = bench.Small();
  std::vector<size_t> sizes = {o.size, o.size};
  if (o.large_objects > 0) {
    for (bench::Row& r : bench.Large()) rows.push_back(std::move(r));
    sizes.insert(sizes.end(), {o.large_size, o.large_size});
  }
  if (o.tsv) {
    PrintTsv(rows, sizes);
  } else {
    bench::PrintTable("object storage through the proxy", rows);
  }
  return 0;
}

}  // namespace
}  // namespace gureum

int main(int argc, char** argv) { return gureum::Main(argc, argv); }
