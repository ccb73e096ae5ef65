// A fixed set of worker threads running queued tasks in order of arrival. Used where
// blocking work (SQL, libvirt, file I/O) must leave a thread that may not block, e.g.
// gRPC's callback threads (common/grpc/reactor.h).
#pragma once

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace gureum {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  // Runs the tasks already queued, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Schedule(std::function<void()> task);

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace gureum
