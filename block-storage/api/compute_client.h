// Block storage's client of gureum-compute-api: Nova's server external events, as Cinder
// sends them. After an attached volume grew, `volume-extended` tells compute, whose agent
// makes the running guest see the new size. Calls are made as block storage's service user.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/service_token.h"

namespace gureum::block_storage {

class ComputeClient {
 public:
  virtual ~ComputeClient() = default;
  // OK when compute accepted the event; NotFound when it knows no such server, or the
  // volume is not attached to it (Nova's 404 and 422); Unavailable when it is down.
  virtual absl::Status VolumeExtended(const std::string& server_uuid,
                                      const std::string& volume_id) = 0;
};

struct GrpcComputeClientOptions {
  std::string target;  // compute-api's gRPC, host:port
  // Block storage's service user (must outlive the client); null: calls carry no token
  // (compute then refuses them).
  auth::ServiceToken* service_token = nullptr;
  absl::Duration timeout = absl::Seconds(10);
};

std::unique_ptr<ComputeClient> NewGrpcComputeClient(GrpcComputeClientOptions options);

// For tests: records the events; `fail` makes the next call return it.
class FakeComputeClient final : public ComputeClient {
 public:
  absl::Status VolumeExtended(const std::string& server_uuid,
                              const std::string& volume_id) override {
    if (!fail.ok()) return std::exchange(fail, absl::OkStatus());
    events.push_back(server_uuid + " " + volume_id);
    return absl::OkStatus();
  }
  std::vector<std::string> events;  // "<server> <volume>", in order
  absl::Status fail = absl::OkStatus();
};

}  // namespace gureum::block_storage
