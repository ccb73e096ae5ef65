// Misbehaving HTTP clients for benchmarks: N loopback connections that each send a
// request head one byte at a time (a "slowloris"), opening a new connection whenever the
// server closes one, so N are held against the server for the whole run. Runs on one
// thread of its own until Stop() or `max_duration`, whichever comes first.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace gureum::bench {

class SlowClients {
 public:
  struct Options {
    int port = 0;  // on 127.0.0.1 only
    int connections = 0;
    std::chrono::milliseconds byte_interval{1000};  // one byte per connection this often
    std::chrono::seconds max_duration{600};
  };
  explicit SlowClients(Options options);
  ~SlowClients();  // stops
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  void Stop();
  // Connections open now (as far as this side knows), and how many the server closed.
  int open() const { return open_; }
  long long closed_by_server() const { return closed_by_server_; }
  // Waits until all `connections` are open, or `limit` has passed; returns open().
  int WaitUntilOpen(std::chrono::seconds limit = std::chrono::seconds(10)) const {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (open_ < options_.connections && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return open_;
  }
  // One line for the report, e.g. "200 slow connections held (37 closed by the server)".
  std::string Summary() const;

 private:
  void Run();

  Options options_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0};
  std::atomic<long long> closed_by_server_{0};
  std::atomic<long long> refused_{0};
  std::thread thread_;
};

}  // namespace gureum::bench
