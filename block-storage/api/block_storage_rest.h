// The Cinder v3 REST API of gureum-block-storage (port 8776): a thin adapter over the
// manager classes (block_storage_managers.h) in the JSON shapes python3-openstackclient 6.0
// (cinderclient, openstacksdk) and Tempest expect, on common/http's REST kit. Every route is
// /v3/{project_id}/...: the project in the path must be the token's (admins may name any).
//
// Microversions: 3.0 up to kMaxMicroversion, from `OpenStack-API-Version: volume 3.x`
// ("latest" allowed); out of range is 406; echoed on every answer.
//
// Served: version discovery (/ and /v3), volumes (+detail, metadata, actions: os-extend,
// os-reset_status, os-force_delete, os-set_bootable, os-update_readonly_flag), snapshots
// (+detail, metadata, os-reset_status), types (+extra_specs, os-volume-type-access,
// types/default), attachments (3.27, action os-complete 3.44), os-quota-sets (+defaults,
// usage), limits, os-services, os-availability-zone, scheduler-stats/get_pools. Errors use
// Cinder's envelopes ({"itemNotFound": {"code": 404, "message": ...}}).
#pragma once

#include <string>

#include "block-storage/api/block_storage_managers.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"

namespace gureum::block_storage {

inline constexpr char kMinMicroversion[] = "3.0";
inline constexpr char kMaxMicroversion[] = "3.70";

struct BlockStorageRestOptions {
  // Where links start ("http://ctl:8776"; a trailing "/v3" is dropped); empty: localhost.
  std::string public_url;
};

class BlockStorageRest {
 public:
  // `managers` must outlive the routes.
  BlockStorageRest(BlockStorageManagers& managers, http::TokenVerifier verify,
                   BlockStorageRestOptions options);

  // Adds the routes to `server` (not started yet).
  void Register(http::Server& server);
  static http::ServerOptions ServerOptions(metrics::Metrics* metrics);
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  BlockStorageManagers& managers_;
  http::TokenVerifier verify_;
  std::string base_url_;
};

}  // namespace gureum::block_storage
