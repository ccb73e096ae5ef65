// Prometheus metrics for a Gureum process. One Metrics object per process (made in
// main and passed to whatever records into it); `Serialize()` renders the text format
// that the /metrics endpoint serves. RPC, REST and AMQP handlers record through the
// helpers here so every service exports the same families:
//
//   gureum_rpc_requests_total{service,method,code}       counter
//   gureum_rpc_duration_seconds{service,method}          histogram
//   gureum_http_requests_total{service,method,route,status}  counter
//   gureum_http_duration_seconds{service,method,route}   histogram
#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace gureum::metrics {

class Metrics {
 public:
  explicit Metrics(std::string service);

  const std::string& service() const { return service_; }
  prometheus::Registry& registry() { return *registry_; }

  // One finished gRPC call: `code` is the gRPC status name ("OK", "NOT_FOUND").
  void RecordRpc(const std::string& method, const std::string& code, double seconds);
  // One finished REST request; `route` is the route pattern, not the concrete path, so
  // ids do not explode the label space.
  void RecordHttp(const std::string& method, const std::string& route, int status, double seconds);

  // The Prometheus text exposition of every metric in the registry.
  std::string Serialize() const;

 private:
  // Histogram children are cached: Family::Add hashes all labels on each call.
  prometheus::Histogram& RpcHistogram(const std::string& method);
  prometheus::Histogram& HttpHistogram(const std::string& method, const std::string& route);

  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& rpc_requests_;
  prometheus::Family<prometheus::Histogram>& rpc_duration_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_duration_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, prometheus::Counter*> counters_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, prometheus::Histogram*> histograms_ ABSL_GUARDED_BY(mu_);
};

// Latency buckets in seconds, from 100 µs to 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace gureum::metrics
