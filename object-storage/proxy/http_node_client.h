// NodeClient over plain HTTP/1.1 sockets, with a pool of idle keep-alive connections per
// node (closed after `idle_limit`, well below the servers' idle timeout, so a pooled
// connection is seldom one the server has just closed; a request that fails on a pooled
// connection before anything was answered is retried once on a fresh one). Responses
// must carry a Content-Length (the object servers' do) unless they have no body.
#pragma once

#include <chrono>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "object-storage/proxy/node_client.h"

namespace gureum::object::proxy {

struct HttpNodeClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds io_timeout{10000};  // each read or write (Swift's node_timeout)
  absl::Duration idle_limit = absl::Seconds(5);
  size_t max_idle_per_node = 64;
};

class HttpNodeClient final : public NodeClient {
 public:
  HttpNodeClient(Clock& clock, HttpNodeClientOptions options = {})
      : clock_(clock), options_(options) {}
  ~HttpNodeClient() override;

  absl::StatusOr<NodeResponse> Send(const std::string& host, const std::string& method,
                                    const std::string& path, const Headers& headers,
                                    const std::string& body) override;
  absl::StatusOr<std::unique_ptr<NodeUpload>> StartUpload(const std::string& host,
                                                          const std::string& method,
                                                          const std::string& path,
                                                          const Headers& headers,
                                                          long long length) override;
  absl::StatusOr<std::unique_ptr<NodeDownload>> StartDownload(const std::string& host,
                                                              const std::string& method,
                                                              const std::string& path,
                                                              const Headers& headers) override;

  // A connection that answered in full goes back to the pool (internal).
  void Release(const std::string& host, int fd);

 private:
  // A connected socket: from the pool (`pooled` true) or new.
  absl::StatusOr<int> Connect(const std::string& host, bool& pooled);
  absl::StatusOr<int> Dial(const std::string& host);

  Clock& clock_;
  const HttpNodeClientOptions options_;
  absl::Mutex mu_;
  struct Idle {
    int fd;
    absl::Time since;
  };
  absl::flat_hash_map<std::string, std::vector<Idle>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object::proxy
