// The Nova v2.1 REST API of gureum-compute-api (port 8774): a thin adapter over
// compute-api's manager classes (compute_managers.h) in the JSON shapes
// python3-openstackclient 6.0 (novaclient and openstacksdk) and Tempest expect. Built on
// common/http's REST kit (rest.h): each request's X-Auth-Token is verified in-process by
// the TokenAuth given (common/auth's ServiceAuth in main); the managers enforce policy and
// project scoping.
//
// Microversions: 2.1 up to kMaxMicroversion, negotiated from `OpenStack-API-Version:
// compute X` or `X-OpenStack-Nova-API-Version: X` ("latest" allowed); out of range is
// 406. Both headers are echoed on every answer.
//
// Served: version discovery (/ and /v2.1), servers (+detail, action, os-instance-actions,
// metadata), flavors (+os-extra_specs, os-flavor-access), os-keypairs, os-server-groups,
// os-quota-sets (+detail, defaults), limits, os-services, os-hypervisors,
// os-availability-zone, os-aggregates, images (Nova's image proxy, to 2.35). Errors use Nova's
// envelopes ({"itemNotFound":
// {"code":404,"message":...}}).
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "compute/api/compute_managers.h"

namespace gureum::compute {

inline constexpr char kMinMicroversion[] = "2.1";
inline constexpr char kMaxMicroversion[] = "2.15";

struct ComputeRestOptions {
  // Where links start: "http://ctl:8774" (service::PublicBaseUrl(cfg, "compute", "/v2.1");
  // a trailing "/v2.1" is dropped); empty: http://localhost:8774.
  std::string public_url;
};

using TokenAuth = http::TokenVerifier;

class ComputeRest {
 public:
  // `managers` must outlive the routes.
  ComputeRest(ComputeManagers& managers, TokenAuth auth, ComputeRestOptions options);
  ComputeRest(const ComputeRest&) = delete;
  ComputeRest& operator=(const ComputeRest&) = delete;

  // Adds the routes to `server` (not started yet); they keep what they need, not this object.
  void Register(http::Server& server);
  // The REST server's options for this API (body limit, Nova's error envelopes); host and
  // port come from configuration (service::StartRestServer).
  static http::ServerOptions ServerOptions(metrics::Metrics* metrics);
  // The same on `host`:`port` (tests and benchmarks that start the server themselves).
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  ComputeManagers& managers_;
  TokenAuth auth_;
  std::string base_url_;  // "http://ctl:8774": no trailing slash, no version
};

}  // namespace gureum::compute
