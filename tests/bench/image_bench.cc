// Image data throughput (issue 4): upload and download of a 1 GiB image over the Glance
// v2 REST API and over the gRPC streams of a *running* gureum-image, next to `dd` to the
// same disk in the same run, and the service's peak resident memory (VmHWM and the
// highest VmRSS sampled during the transfers, from /proc/<pid>/status).
//
// Goals: each transfer >= 70% of dd; gureum-image resident memory < 64 MiB.
//
// Upload is compared with `dd if=/dev/zero of=<store>/dd.tmp bs=1M conv=fdatasync` (the
// store syncs each image before it is active); download with a cold `dd` read of a file
// on the same disk: the bench drops the page cache of the stored image file
// (POSIX_FADV_DONTNEED) before each download, so both read from the disk. The client
// sends a repeated 1 MiB random block and discards what it receives, so it touches no
// disk itself. tests/e2e/image_bench_run.sh deploys identity and image and runs this.
//
//   image_bench --rest http://127.0.0.1:9292 --grpc 127.0.0.1:19292 --token $T
//     --pid $(pidof gureum-image) --store-dir /var/lib/gureum/images [--mib 1024]
#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "image.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kBlock = 1 << 20;

struct Options {
  std::string rest, grpc, token, store_dir;
  int pid = 0;
  long long mib = 1024;
  std::string only;  // "rest" or "grpc": run just those scenarios (for profiling)
};

long long StatusKib(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}

// Samples VmRSS every 50 ms while alive.
class RssSampler {
 public:
  explicit RssSampler(int pid)
      : pid_(pid), thread_([this] {
          while (!stop_) {
            long long kib = StatusKib(pid_, "VmRSS");
            if (kib > max_kib_) max_kib_ = kib;
            if (kib > phase_max_kib_) phase_max_kib_ = kib;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
        }) {}
  ~RssSampler() {
    stop_ = true;
    thread_.join();
  }
  long long max_kib() const { return max_kib_; }
  // The highest VmRSS since the last call, and starts a new phase.
  long long TakePhaseMax() { return phase_max_kib_.exchange(0); }

 private:
  int pid_;
  std::atomic<bool> stop_{false};
  std::atomic<long long> max_kib_{0};
  std::atomic<long long> phase_max_kib_{0};
  std::thread thread_;
};

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs a shell command and returns how long it took.
double Timed(const std::string& cmd) {
  auto start = Clock::now();
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "image_bench: failed: " << cmd << "\n";
    std::exit(1);
  }
  return Seconds(start);
}

void DropCache(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

std::string Block() {
  std::mt19937_64 rng(42);
  std::string s(kBlock, '\0');
  for (size_t i = 0; i < kBlock; i += 8) {
    uint64_t v = rng();
    std::memcpy(&s[i], &v, 8);
  }
  return s;
}

httplib::Client RestClient(const Options& o) {
  httplib::Client c(o.rest);
  c.set_read_timeout(3600, 0);
  c.set_write_timeout(3600, 0);
  return c;
}

std::string CreateImage(const Options& o, const std::string& name) {
  httplib::Client c = RestClient(o);
  nlohmann::json body = {{"name", name}, {"disk_format", "raw"}, {"container_format", "bare"}};
  auto r = c.Post("/v2/images", {{"X-Auth-Token", o.token}}, body.dump(), "application/json");
  if (!r || r->status != 201) {
    std::cerr << "image_bench: create failed: " << (r ? r->body : "no answer") << "\n";
    std::exit(1);
  }
  return nlohmann::json::parse(r->body)["id"];
}

void DeleteImage(const Options& o, const std::string& id) {
  RestClient(o).Delete(("/v2/images/" + id).c_str(), {{"X-Auth-Token", o.token}});
}

double RestUpload(const Options& o, const std::string& id, const std::string& block) {
  httplib::Client c = RestClient(o);
  const size_t total = static_cast<size_t>(o.mib) * kBlock;
  auto start = Clock::now();
  auto r = c.Put(("/v2/images/" + id + "/file").c_str(), {{"X-Auth-Token", o.token}}, total,
                 [&](size_t offset, size_t length, httplib::DataSink& sink) {
                   size_t in_block = offset % kBlock;
                   return sink.write(block.data() + in_block, std::min(length, kBlock - in_block));
                 },
                 "application/octet-stream");
  double s = Seconds(start);
  if (!r || r->status != 204) {
    std::cerr << "image_bench: REST upload failed: " << (r ? r->body : "no answer") << "\n";
    std::exit(1);
  }
  return s;
}

// A lean HTTP/1.1 GET on a raw socket reading 1 MiB at a time: cpp-httplib's client
// receives in 4 KiB pieces, which on this 2-core host costs more CPU than the server's
// side and would measure the client rather than gureum-image.
double RestDownload(const Options& o, const std::string& id) {
  std::string hostport = o.rest.substr(o.rest.find("://") + 3);
  std::string host = hostport.substr(0, hostport.rfind(':'));
  int port = std::stoi(hostport.substr(hostport.rfind(':') + 1));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::cerr << "image_bench: cannot connect to " << o.rest << "\n";
    std::exit(1);
  }
  std::string req = "GET /v2/images/" + id + "/file HTTP/1.1\r\nHost: " + hostport +
                    "\r\nX-Auth-Token: " + o.token + "\r\nConnection: close\r\n\r\n";
  auto start = Clock::now();
  if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) std::exit(1);
  std::vector<char> buf(kBlock);
  std::string head;
  size_t body = 0;
  bool in_body = false;
  for (;;) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) break;
    if (in_body) {
      body += static_cast<size_t>(n);
      continue;
    }
    head.append(buf.data(), static_cast<size_t>(n));
    size_t end = head.find("\r\n\r\n");
    if (end != std::string::npos) {
      in_body = true;
      body = head.size() - end - 4;
      head.resize(end);
    }
  }
  double s = Seconds(start);
  ::close(fd);
  if (head.find(" 200 ") == std::string::npos || body != static_cast<size_t>(o.mib) * kBlock) {
    std::cerr << "image_bench: REST download failed (" << body << " bytes): " << head << "\n";
    std::exit(1);
  }
  return s;
}

std::unique_ptr<gureum::image::v1::Images::Stub> Stub(const Options& o) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 << 20);
  return gureum::image::v1::Images::NewStub(
      grpc::CreateCustomChannel(o.grpc, grpc::InsecureChannelCredentials(), args));
}

double GrpcUpload(const Options& o, const std::string& id, const std::string& block) {
  auto stub = Stub(o);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-auth-token", o.token);
  gureum::image::v1::Image done;
  auto start = Clock::now();
  auto writer = stub->UploadImage(&ctx, &done);
  gureum::image::v1::UploadImageRequest msg;
  msg.set_id(id);
  msg.set_data(block);
  for (long long i = 0; i < o.mib; ++i) {
    if (!writer->Write(msg)) break;
    msg.clear_id();
  }
  writer->WritesDone();
  grpc::Status st = writer->Finish();
  double s = Seconds(start);
  if (!st.ok()) {
    std::cerr << "image_bench: gRPC upload failed: " << st.error_message() << "\n";
    std::exit(1);
  }
  return s;
}

double GrpcDownload(const Options& o, const std::string& id) {
  auto stub = Stub(o);
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-auth-token", o.token);
  gureum::image::v1::DownloadImageRequest req;
  req.set_id(id);
  size_t got = 0;
  auto start = Clock::now();
  auto reader = stub->DownloadImage(&ctx, req);
  gureum::image::v1::ImageChunk chunk;
  while (reader->Read(&chunk)) got += chunk.data().size();
  grpc::Status st = reader->Finish();
  double s = Seconds(start);
  if (!st.ok() || got != static_cast<size_t>(o.mib) * kBlock) {
    std::cerr << "image_bench: gRPC download failed: " << st.error_message() << "\n";
    std::exit(1);
  }
  return s;
}

void Row(const std::string& what, double mib, double seconds, double baseline,
         const std::string& goal, long long rss_kib = -1) {
  double rate = mib / seconds;
  std::string pct =
      baseline > 0 ? std::to_string(static_cast<int>(100 * rate / baseline + 0.5)) + "%" : "-";
  std::string rss = rss_kib >= 0 ? std::to_string(rss_kib / 1024) : "-";
  std::printf("%-34s %9.1f %10.0f %10s %12s  %s\n", what.c_str(), seconds, rate, pct.c_str(),
              rss.c_str(), goal.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"image_bench: 1 GiB over REST and gRPC vs dd, and gureum-image's memory"};
  Options o;
  app.add_option("--rest", o.rest, "Image REST base URL, e.g. http://127.0.0.1:9292")->required();
  app.add_option("--grpc", o.grpc, "Image gRPC host:port")->required();
  app.add_option("--token", o.token, "A project-scoped token")->required();
  app.add_option("--pid", o.pid, "PID of the running gureum-image")->required();
  app.add_option("--store-dir", o.store_dir, "The service's filesystem_store_datadir")->required();
  app.add_option("--mib", o.mib, "Image size in MiB");
  app.add_option("--only", o.only, "Run only the rest or only the grpc scenarios")
      ->check(CLI::IsMember({"rest", "grpc"}));
  CLI11_PARSE(app, argc, argv);

  const double mib = static_cast<double>(o.mib);
  const std::string block = Block();
  const std::string dd_file = o.store_dir + "/dd.bench.tmp";
  RssSampler sampler(o.pid);

  double dd_write = Timed("dd if=/dev/zero of=" + dd_file +
                          " bs=1M count=" + std::to_string(o.mib) + " conv=fdatasync status=none");
  DropCache(dd_file);
  double dd_read = Timed("dd if=" + dd_file + " of=/dev/null bs=1M status=none");
  std::remove(dd_file.c_str());
  double dd_write_rate = mib / dd_write, dd_read_rate = mib / dd_read;

  long long rss[4] = {-1, -1, -1, -1};
  double rest_up = 0, rest_down = 0, grpc_up = 0, grpc_down = 0, grpc_down_warm = 0;
  if (o.only != "grpc") {
    sampler.TakePhaseMax();
    std::string rest_id = CreateImage(o, "bench-rest");
    rest_up = RestUpload(o, rest_id, block);
    rss[0] = sampler.TakePhaseMax();
    DropCache(o.store_dir + "/" + rest_id);
    rest_down = RestDownload(o, rest_id);
    rss[1] = sampler.TakePhaseMax();
    DeleteImage(o, rest_id);
  }
  if (o.only != "rest") {
    std::string grpc_id = CreateImage(o, "bench-grpc");
    sampler.TakePhaseMax();
    grpc_up = GrpcUpload(o, grpc_id, block);
    rss[2] = sampler.TakePhaseMax();
    DropCache(o.store_dir + "/" + grpc_id);
    grpc_down = GrpcDownload(o, grpc_id);
    rss[3] = sampler.TakePhaseMax();
    // Again from the page cache: what the data path costs when the disk is not the limit.
    grpc_down_warm = GrpcDownload(o, grpc_id);
    DeleteImage(o, grpc_id);
  }

  long long hwm = StatusKib(o.pid, "VmHWM");
  std::printf("\nimage data path: %lld MiB, gureum-image pid %d, store %s\n", o.mib, o.pid,
              o.store_dir.c_str());
  std::printf("%-34s %9s %10s %10s %12s  %s\n", "scenario", "seconds", "MiB/s", "% of dd",
              "max RSS MiB", "goal");
  Row("dd write (bs=1M, conv=fdatasync)", mib, dd_write, 0, "baseline for uploads");
  Row("dd read (cold cache)", mib, dd_read, 0, "baseline for downloads");
  if (o.only != "grpc") {
    Row("REST PUT /v2/images/{id}/file", mib, rest_up, dd_write_rate, ">= 70% of dd write", rss[0]);
    Row("REST GET /v2/images/{id}/file", mib, rest_down, dd_read_rate, ">= 70% of dd read", rss[1]);
  }
  if (o.only != "rest") {
    Row("gRPC UploadImage (1 MiB messages)", mib, grpc_up, dd_write_rate, ">= 70% of dd write",
        rss[2]);
    Row("gRPC DownloadImage (1 MiB chunks)", mib, grpc_down, dd_read_rate, ">= 70% of dd read",
        rss[3]);
    Row("gRPC DownloadImage, page cache warm", mib, grpc_down_warm, dd_read_rate,
        "(the data path without the disk)");
  }
  std::printf(
      "gureum-image memory: VmHWM %.1f MiB (whole life), highest VmRSS sampled %.1f MiB; "
      "goal < 64 MiB\n",
      hwm / 1024.0, sampler.max_kib() / 1024.0);
  return 0;
}
