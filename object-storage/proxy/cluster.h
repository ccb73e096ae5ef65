// The proxy's view of the storage cluster: where a name lives (the ring's primaries, then
// its handoffs), the internal paths of the object servers' API, new timestamps, and the
// fan-out of one request to every replica with Swift's quorum rule.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "object-storage/proxy/node_client.h"
#include "object-storage/ring/ring_holder.h"
#include "object-storage/server/timestamp.h"

namespace gureum::object::proxy {

// The devices of one name's partition.
struct Placement {
  std::shared_ptr<const ring::Ring> ring;  // keeps the devices alive
  uint32_t partition = 0;
  std::vector<const ring::Device*> primaries;
  std::vector<const ring::Device*> handoffs;
};

std::string HostOf(const ring::Device& d);  // "ip:port"

// One replica's answer: an HTTP response, or status 0 when the node did not answer.
struct ReplicaAnswer {
  const ring::Device* device = nullptr;
  NodeResponse response;
};

class Cluster {
 public:
  Cluster(ring::RingHolder& rings, NodeClient& client, Clock& clock)
      : rings_(rings), client_(client), clock_(clock) {}

  Placement Locate(const std::string& account, const std::string& container = "",
                   const std::string& object = "");
  // A new X-Timestamp, later than any this proxy gave before.
  Timestamp NewTimestamp();

  // The internal path of a name on `device` ("/o/...", "/c/...", "/a/...").
  static std::string Path(const ring::Device& device, uint32_t partition,
                          const std::string& account, const std::string& container = "",
                          const std::string& object = "");

  // Sends one request per primary in parallel; a primary that does not answer (or has no
  // such device, 507) is replaced by the next handoff when `use_handoffs`. `headers_for`
  // gives replica i's headers.
  std::vector<ReplicaAnswer> SendToAll(const Placement& where, const std::string& method,
                                       const std::function<std::string(const ring::Device&)>& path,
                                       const std::function<Headers(size_t)>& headers_for,
                                       bool use_handoffs, const std::string& body = "");

  // Tries the primaries, then the handoffs, in order; the first 2xx answer, or else the
  // most telling failure (a 404 before a node that did not answer).
  ReplicaAnswer ReadFirst(const Placement& where, const std::string& method,
                          const std::function<std::string(const ring::Device&)>& path,
                          const Headers& headers);

  NodeClient& client() { return client_; }
  Clock& clock() { return clock_; }

 private:
  ring::RingHolder& rings_;
  NodeClient& client_;
  Clock& clock_;
  absl::Mutex mu_;
  int64_t last_ticks_ ABSL_GUARDED_BY(mu_) = 0;
};

// Swift's quorum over replica statuses: the status class (2xx, 4xx, 5xx) that at least
// replicas/2+1 answers share gives the answer (its most common status); 503 otherwise.
int QuorumStatus(const std::vector<int>& statuses, size_t replicas);

}  // namespace gureum::object::proxy
