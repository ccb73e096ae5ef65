// Object storage (issue 19): 4 KiB PUT and GET through a running gureum-object-proxy (or
// any Swift API: --url is the account's storage URL) at concurrency 8, one keep-alive
// connection per client thread. Issue 19's goal is 10x Debian's Swift 2.30 on this kind of
// machine (about 100 PUT/s and 460 GET/s there). tests/e2e/object_storage_bench_run.sh
// deploys a proxy and three object servers and runs this.
#include <httplib.h>

#include <atomic>
#include <iostream>
#include <random>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "tests/bench/harness.h"

namespace gureum {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"object storage benchmark: small PUT and GET through the Swift API"};
  std::string url, token;
  long long objects = 4000;
  int concurrency = 8;
  size_t size = 4096;
  app.add_option("--url", url, "Storage URL, http://HOST:PORT/v1/AUTH_<project>")->required();
  app.add_option("--token", token, "X-Auth-Token")->required();
  app.add_option("--objects", objects, "Objects per row");
  app.add_option("--concurrency", concurrency, "Client threads");
  app.add_option("--size", size, "Bytes per object");
  CLI11_PARSE(app, argc, argv);
  (void)log::Init({.service = "object_bench", .level = "warn"});

  const size_t scheme = url.find("://");
  const size_t path_at = url.find('/', scheme + 3);
  const std::string base = url.substr(0, path_at), account = url.substr(path_at);
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < concurrency; ++i) {
    clients.push_back(std::make_unique<httplib::Client>(base));
    clients.back()->set_keep_alive(true);
    // A PUT's head and body go in two writes: with Nagle on, the body waits for the
    // server's delayed ACK (40 ms).
    clients.back()->set_tcp_nodelay(true);
    clients.back()->set_read_timeout(30, 0);
  }
  const httplib::Headers auth = {{"X-Auth-Token", token}};
  const std::string container = account + "/bench";
  auto made = clients[0]->Put(container, auth, "", "text/plain");
  if (!made || made->status / 100 != 2) {
    std::cerr << "cannot create the container: " << (made ? made->status : 0) << "\n";
    return 1;
  }
  std::string body(size, '\0');
  std::mt19937 random(7);
  for (char& c : body) c = static_cast<char>(random());
  std::atomic<long long> next_put{0}, next_get{0};
  auto put = [&](int t) {
    const long long i = next_put++;
    auto r =
        clients[t]->Put(absl::StrCat(container, "/o", i), auth, body, "application/octet-stream");
    return r && r->status == 201 ? absl::OkStatus()
                                 : absl::InternalError(r ? std::to_string(r->status) : "no answer");
  };
  auto get = [&](int t) {
    const long long i = next_get++ % objects;
    auto r = clients[t]->Get(absl::StrCat(container, "/o", i), auth);
    return r && r->status == 200 && r->body.size() == size
               ? absl::OkStatus()
               : absl::InternalError(r ? std::to_string(r->status) : "no answer");
  };
  std::vector<bench::Row> rows;
  const std::string kib = absl::StrCat(size / 1024, " KiB");
  rows.push_back(bench::RunClosedLoop(absl::StrCat("PUT ", kib), objects, concurrency, put,
                                      ">= 1000 /s (10x Swift's ~100)"));
  rows.push_back(bench::RunClosedLoop(absl::StrCat("GET ", kib), objects, concurrency, get,
                                      ">= 4600 /s (10x Swift's ~460)"));
  bench::PrintTable("object storage through the proxy", rows);
  return 0;
}

}  // namespace
}  // namespace gureum

int main(int argc, char** argv) { return gureum::Main(argc, argv); }
