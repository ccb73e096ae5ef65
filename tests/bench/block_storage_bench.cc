// block_storage_bench: the control plane of block storage against running
// gureum-block-storage and gureum-volume-agent processes (tests/e2e/block_storage_bench_run.sh
// deploys them as the e2e tests do, then runs this):
//
//   create -> available   POST /volumes (1 GiB, empty) and poll GET every 2 ms until the
//                         agent's report made it available: scheduling, the cast, qemu-img
//                         create, the report. Goal (issue 18): p50 <= 200 ms; Cinder's
//                         published mean is 2.6 s.
//   create (202 only)     the POST alone.
//   attach (API share)    POST /attachments with a connector (reserve, the export cast,
//                         qemu-storage-daemon started, the connection info back) then
//                         os-complete: everything of an attach but the hypervisor's part.
//                         Goal: <= 1 s.
//   detach (API share)    DELETE /attachments/{id}.
//
// Volumes are deleted after each scenario (not timed). Prints the harness's table.
#include <httplib.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/bench/harness.h"

namespace gureum::bench {
namespace {

using nlohmann::json;

struct Options {
  std::string rest;     // http://127.0.0.1:8776
  std::string project;  // the token's project
  std::string token;
  int volumes = 40;
  std::vector<int> concurrency = {1, 4};
};

class Cinder {
 public:
  explicit Cinder(const Options& o) : o_(o), client_(o.rest) {
    client_.set_read_timeout(120, 0);
    headers_ = {{"X-Auth-Token", o.token}, {"OpenStack-API-Version", "volume 3.44"}};
  }

  absl::StatusOr<json> Call(const std::string& method, const std::string& path,
                            const json& body = nullptr) {
    const std::string url = "/v3/" + o_.project + path;
    httplib::Result r = method == "GET" ? client_.Get(url.c_str(), headers_)
                        : method == "DELETE"
                            ? client_.Delete(url.c_str(), headers_)
                            : client_.Post(url.c_str(), headers_, body.dump(), "application/json");
    if (!r) return absl::UnavailableError(absl::StrCat(method, " ", path, ": no answer"));
    if (r->status >= 300) {
      return absl::InternalError(absl::StrCat(method, " ", path, ": ", r->status, " ", r->body));
    }
    if (r->body.empty()) return json::object();
    return json::parse(r->body, nullptr, false);
  }

  // Polls until the volume's status is `want` (error: a failure).
  absl::Status AwaitStatus(const std::string& id, const std::string& want) {
    const absl::Time deadline = absl::Now() + absl::Seconds(120);
    while (absl::Now() < deadline) {
      absl::StatusOr<json> v = Call("GET", "/volumes/" + id);
      if (!v.ok()) return v.status();
      const std::string status = (*v)["volume"]["status"];
      if (status == want) return absl::OkStatus();
      if (status == "error") return absl::InternalError("volume " + id + " went to error");
      absl::SleepFor(absl::Milliseconds(2));
    }
    return absl::DeadlineExceededError("volume " + id + " never became " + want);
  }

 private:
  const Options& o_;
  httplib::Client client_;
  httplib::Headers headers_;
};

void DeleteAll(const Options& o, std::vector<std::string>& ids) {
  Cinder c(o);
  for (const std::string& id : ids) (void)c.Call("DELETE", "/volumes/" + id);
  for (const std::string& id : ids) {
    for (int i = 0; i < 2000; ++i) {
      if (!c.Call("GET", "/volumes/" + id).ok()) break;  // 404: gone
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  ids.clear();
}

std::vector<Row> CreateRows(const Options& o, int concurrency) {
  std::mutex mu;
  std::vector<std::string> ids;
  std::vector<double> post_ms;
  std::vector<Cinder> clients;
  for (int t = 0; t < concurrency; ++t) clients.emplace_back(o);
  Row full = RunClosedLoop(
      "create -> available", o.volumes, concurrency,
      [&](int t) -> absl::Status {
        const absl::Time start = absl::Now();
        absl::StatusOr<json> v =
            clients[t].Call("POST", "/volumes", {{"volume", {{"size", 1}, {"name", "bench"}}}});
        if (!v.ok()) return v.status();
        const std::string id = (*v)["volume"]["id"];
        {
          std::lock_guard<std::mutex> lock(mu);
          ids.push_back(id);
          post_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
        }
        return clients[t].AwaitStatus(id, "available");
      },
      "p50 <= 200 ms (Cinder: 2.6 s mean)");
  Row post = Summarize("create (202 only)", post_ms, full.seconds, concurrency, "");
  DeleteAll(o, ids);
  return {full, post};
}

std::vector<Row> AttachRows(const Options& o, int concurrency) {
  std::vector<std::string> ids;
  Cinder setup(o);
  for (int i = 0; i < o.volumes; ++i) {
    absl::StatusOr<json> v =
        setup.Call("POST", "/volumes", {{"volume", {{"size", 1}, {"name", "bench-att"}}}});
    if (!v.ok()) return {};
    ids.push_back((*v)["volume"]["id"]);
  }
  for (const std::string& id : ids) {
    if (!setup.AwaitStatus(id, "available").ok()) return {};
  }
  std::vector<Cinder> clients;
  for (int t = 0; t < concurrency; ++t) clients.emplace_back(o);
  std::atomic<int> next_volume{0}, next_detach{0};
  std::vector<std::string> attachments(ids.size());
  Row attach = RunClosedLoop(
      "attach (API share)", o.volumes, concurrency,
      [&](int t) -> absl::Status {
        const int i = next_volume.fetch_add(1);
        json body = {{"attachment",
                      {{"volume_uuid", ids[i]},
                       {"instance_uuid", "11111111-2222-4333-8444-555555555555"},
                       {"connector", {{"host", "bench-host"}, {"ip", "127.0.0.1"}}}}}};
        absl::StatusOr<json> a = clients[t].Call("POST", "/attachments", body);
        if (!a.ok()) return a.status();
        attachments[i] = (*a)["attachment"]["id"];
        return clients[t]
            .Call("POST", "/attachments/" + attachments[i] + "/action", {{"os-complete", {}}})
            .status();
      },
      "<= 1 s");
  Row detach = RunClosedLoop(
      "detach (API share)", o.volumes, concurrency,
      [&](int t) -> absl::Status {
        const int i = next_detach.fetch_add(1);
        return clients[t].Call("DELETE", "/attachments/" + attachments[i]).status();
      },
      "");
  for (const std::string& id : ids) (void)setup.AwaitStatus(id, "available");
  DeleteAll(o, ids);
  return {attach, detach};
}

int Main(int argc, char** argv) {
  Options o;
  CLI::App app{"block storage control-plane benchmark"};
  app.add_option("--rest", o.rest, "gureum-block-storage's REST base (http://host:8776)")
      ->required();
  app.add_option("--project", o.project, "the token's project id")->required();
  app.add_option("--token", o.token, "a token of a member of the project")->required();
  app.add_option("--volumes", o.volumes, "volumes per scenario and concurrency");
  app.add_option("--concurrency", o.concurrency, "concurrency levels");
  CLI11_PARSE(app, argc, argv);
  std::vector<Row> rows;
  for (int c : o.concurrency) {
    for (Row& r : CreateRows(o, c)) rows.push_back(r);
    for (Row& r : AttachRows(o, c)) rows.push_back(r);
  }
  PrintTable("block storage (gureum-block-storage + gureum-volume-agent, file backend)", rows);
  return 0;
}

}  // namespace
}  // namespace gureum::bench

int main(int argc, char** argv) { return gureum::bench::Main(argc, argv); }
