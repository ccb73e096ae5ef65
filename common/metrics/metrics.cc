#include "common/metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include "absl/strings/str_cat.h"

namespace gureum::metrics {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return *buckets;
}

Metrics::Metrics(std::string service)
    : service_(std::move(service)),
      registry_(std::make_shared<prometheus::Registry>()),
      rpc_requests_(prometheus::BuildCounter()
                        .Name("gureum_rpc_requests_total")
                        .Help("gRPC calls served, by method and status code.")
                        .Register(*registry_)),
      rpc_duration_(prometheus::BuildHistogram()
                        .Name("gureum_rpc_duration_seconds")
                        .Help("gRPC call latency.")
                        .Register(*registry_)),
      http_requests_(prometheus::BuildCounter()
                         .Name("gureum_http_requests_total")
                         .Help("REST requests served, by route and status.")
                         .Register(*registry_)),
      http_duration_(prometheus::BuildHistogram()
                         .Name("gureum_http_duration_seconds")
                         .Help("REST request latency.")
                         .Register(*registry_)) {}

prometheus::Histogram& Metrics::RpcHistogram(const std::string& method) {
  std::string key = absl::StrCat("rpc|", method);
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = histograms_.try_emplace(key, nullptr);
  if (inserted) {
    it->second = &rpc_duration_.Add({{"service", service_}, {"method", method}}, LatencyBuckets());
  }
  return *it->second;
}

prometheus::Histogram& Metrics::HttpHistogram(const std::string& method, const std::string& route) {
  std::string key = absl::StrCat("http|", method, "|", route);
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = histograms_.try_emplace(key, nullptr);
  if (inserted) {
    it->second = &http_duration_.Add({{"service", service_}, {"method", method}, {"route", route}},
                                     LatencyBuckets());
  }
  return *it->second;
}

void Metrics::RecordRpc(const std::string& method, const std::string& code, double seconds) {
  std::string key = absl::StrCat("rpc|", method, "|", code);
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = counters_.try_emplace(key, nullptr);
    if (inserted) {
      it->second = &rpc_requests_.Add({{"service", service_}, {"method", method}, {"code", code}});
    }
    counter = it->second;
  }
  counter->Increment();
  RpcHistogram(method).Observe(seconds);
}

void Metrics::RecordHttp(const std::string& method, const std::string& route, int status,
                         double seconds) {
  std::string key = absl::StrCat("http|", method, "|", route, "|", status);
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = counters_.try_emplace(key, nullptr);
    if (inserted) {
      it->second = &http_requests_.Add({{"service", service_},
                                        {"method", method},
                                        {"route", route},
                                        {"status", std::to_string(status)}});
    }
    counter = it->second;
  }
  counter->Increment();
  HttpHistogram(method, route).Observe(seconds);
}

std::string Metrics::Serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace gureum::metrics
