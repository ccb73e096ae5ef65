// What the scheduler knows of each compute host beyond placement: enabled, up,
// availability zone, aggregates and their metadata, hypervisor type. compute-api owns
// these (services, aggregates); GrpcHostStateSource asks its ComputeHosts.ListHostStates
// with the scheduler's service token. HostStateCache keeps the answer for a short while
// so a decision never waits on compute-api.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace gureum::auth {
class ServiceToken;
}

namespace gureum::scheduler {

struct HostState {
  std::string host;
  bool enabled = false;
  bool up = false;
  std::string disabled_reason;
  std::string availability_zone;  // "" : the default zone
  std::vector<std::string> aggregate_uuids;
  std::map<std::string, std::string> aggregate_metadata;
  std::string hypervisor_type;
};

struct HostStates {
  std::map<std::string, HostState> hosts;  // by host name
  std::string default_availability_zone = "nova";
};

class HostStateSource {
 public:
  virtual ~HostStateSource() = default;
  // Thread-safe; blocks on the network.
  virtual absl::StatusOr<HostStates> List() = 0;
};

// compute-api's ComputeHosts.ListHostStates over gRPC. `token` must outlive this; a 401
// answer invalidates the token and tries once more.
std::unique_ptr<HostStateSource> NewGrpcHostStateSource(const std::string& target,
                                                        auth::ServiceToken& token);

// Host states at most `max_age` old. Get() refreshes when older (one caller fetches;
// while it does, the others keep the old copy); Refresh() forces it. If a fetch fails,
// the last answer stays in use and the error is returned only when there was none.
class HostStateCache {
 public:
  HostStateCache(HostStateSource& source, const Clock& clock, absl::Duration max_age)
      : source_(source), clock_(clock), max_age_(max_age) {}

  absl::StatusOr<std::shared_ptr<const HostStates>> Get();
  absl::StatusOr<std::shared_ptr<const HostStates>> Refresh();

 private:
  HostStateSource& source_;
  const Clock& clock_;
  const absl::Duration max_age_;
  absl::Mutex fetch_mu_;  // one fetch at a time
  absl::Mutex mu_;
  std::shared_ptr<const HostStates> current_ ABSL_GUARDED_BY(mu_);
  absl::Time fetched_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace gureum::scheduler
