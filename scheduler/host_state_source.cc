#include "scheduler/host_state_source.h"

#include <spdlog/spdlog.h>

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"

#include "placement.grpc.pb.h"

namespace gureum::scheduler {
namespace {

namespace v1 = gureum::scheduler::v1;

class GrpcHostStateSource final : public HostStateSource {
 public:
  GrpcHostStateSource(const std::string& target, auth::ServiceToken& token)
      : stub_(v1::ComputeHosts::NewStub(grpcx::MakeChannel(target))), token_(token) {}

  absl::StatusOr<HostStates> List() override {
    v1::ListHostStatesResponse resp;
    GUREUM_RETURN_IF_ERROR(
        auth::CallAsService(&token_, absl::Seconds(5), [&](grpc::ClientContext& ctx) {
          return stub_->ListHostStates(&ctx, v1::ListHostStatesRequest(), &resp);
        }));
    HostStates out;
    if (!resp.default_availability_zone().empty()) {
      out.default_availability_zone = resp.default_availability_zone();
    }
    for (const v1::HostState& h : resp.hosts()) {
      HostState state;
      state.host = h.host();
      state.enabled = h.enabled();
      state.up = h.up();
      state.disabled_reason = h.disabled_reason();
      state.availability_zone = h.availability_zone();
      state.aggregate_uuids.assign(h.aggregate_uuids().begin(), h.aggregate_uuids().end());
      state.aggregate_metadata.insert(h.aggregate_metadata().begin(), h.aggregate_metadata().end());
      state.hypervisor_type = h.hypervisor_type();
      out.hosts[state.host] = std::move(state);
    }
    return out;
  }

 private:
  std::unique_ptr<v1::ComputeHosts::Stub> stub_;
  auth::ServiceToken& token_;
};

}  // namespace

std::unique_ptr<HostStateSource> NewGrpcHostStateSource(const std::string& target,
                                                        auth::ServiceToken& token) {
  return std::make_unique<GrpcHostStateSource>(target, token);
}

absl::StatusOr<std::shared_ptr<const HostStates>> HostStateCache::Get() {
  {
    absl::MutexLock lock(&mu_);
    if (current_ != nullptr && clock_.Now() - fetched_at_ < max_age_) return current_;
    // Someone else is fetching: use what we have.
    if (current_ != nullptr && !fetch_mu_.TryLock()) return current_;
    if (current_ != nullptr) fetch_mu_.Unlock();
  }
  return Refresh();
}

absl::StatusOr<std::shared_ptr<const HostStates>> HostStateCache::Refresh() {
  absl::MutexLock fetching(&fetch_mu_);
  absl::StatusOr<HostStates> fresh = source_.List();
  absl::MutexLock lock(&mu_);
  if (!fresh.ok()) {
    if (current_ != nullptr) {
      spdlog::warn("host states from compute-api: {} (keeping the copy from {})",
                   fresh.status().ToString(), absl::FormatTime(fetched_at_));
      // Try again after max_age, not on every decision.
      fetched_at_ = clock_.Now();
      return current_;
    }
    return fresh.status();
  }
  current_ = std::make_shared<const HostStates>(*std::move(fresh));
  fetched_at_ = clock_.Now();
  return current_;
}

}  // namespace gureum::scheduler
