#include "common/metrics/metrics.h"

#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace gureum::metrics {
namespace {

TEST_CASE("RPC and HTTP metrics appear in the text exposition") {
  Metrics m("identity");
  m.RecordRpc("/gureum.identity.v1.Identity/IssueToken", "OK", 0.002);
  m.RecordRpc("/gureum.identity.v1.Identity/IssueToken", "OK", 0.004);
  m.RecordRpc("/gureum.identity.v1.Identity/IssueToken", "UNAUTHENTICATED", 0.001);
  m.RecordHttp("GET", "/v3/projects/{id}", 404, 0.0005);
  std::string text = m.Serialize();
  REQUIRE_THAT(text,
               Catch::Contains("gureum_rpc_requests_total{code=\"OK\",method=\"/gureum.identity.v1."
                               "Identity/IssueToken\",service=\"identity\"} 2"));
  REQUIRE_THAT(text, Catch::Contains("code=\"UNAUTHENTICATED\""));
  REQUIRE_THAT(text, Catch::Contains("gureum_rpc_duration_seconds_count{method=\"/gureum.identity."
                                     "v1.Identity/IssueToken\",service=\"identity\"} 3"));
  REQUIRE_THAT(text, Catch::Contains("gureum_http_requests_total{method=\"GET\",route=\"/v3/"
                                     "projects/{id}\",service=\"identity\",status=\"404\"} 1"));
  REQUIRE_THAT(text, Catch::Contains("# TYPE gureum_http_duration_seconds histogram"));
}

TEST_CASE("recording from many threads counts every call") {
  Metrics m("x");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.RecordRpc("M", "OK", 0.001);
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE_THAT(
      m.Serialize(),
      Catch::Contains("gureum_rpc_requests_total{code=\"OK\",method=\"M\",service=\"x\"} 4000"));
}

}  // namespace
}  // namespace gureum::metrics
