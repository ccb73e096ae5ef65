// The Nova v2.1 REST API of gureum-compute-api (port 8774): a thin adapter over
// compute-api's manager classes (compute_managers.h) in the JSON shapes
// python3-openstackclient 6.0 (novaclient and openstacksdk) and Tempest expect. Each
// request's X-Auth-Token is verified in-process (AuthHook: common/auth); the managers
// enforce policy and project scoping.
//
// Microversions: 2.1 up to kMaxMicroversion, negotiated from `OpenStack-API-Version:
// compute X` or `X-OpenStack-Nova-API-Version: X` ("latest" allowed); out of range is
// 406. Both headers are echoed on every answer.
//
// Served: version discovery (/ and /v2.1), servers (+detail, action, os-instance-actions,
// metadata), flavors (+os-extra_specs, os-flavor-access), os-keypairs, os-server-groups,
// os-quota-sets (+detail, defaults), limits, os-services, os-hypervisors,
// os-availability-zone, os-aggregates. Errors use Nova's envelopes ({"itemNotFound":
// {"code":404,"message":...}}).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "compute/api/compute_managers.h"

namespace gureum::compute {

inline constexpr char kMinMicroversion[] = "2.1";
inline constexpr char kMaxMicroversion[] = "2.15";

struct ComputeRestOptions {
  // "http://ctl:8774" for links; empty: taken from the request's Host header.
  std::string public_url;
};

using TokenAuth = std::function<absl::StatusOr<Caller>(const std::string& token)>;

struct RestContext;  // compute_rest_internal.h

class ComputeRest {
 public:
  ComputeRest(ComputeManagers& managers, TokenAuth auth, ComputeRestOptions options);
  ~ComputeRest();
  ComputeRest(const ComputeRest&) = delete;
  ComputeRest& operator=(const ComputeRest&) = delete;

  void Register(http::Server& server);
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  std::unique_ptr<RestContext> ctx_;
};

}  // namespace gureum::compute
