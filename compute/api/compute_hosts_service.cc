#include "compute/api/compute_hosts_service.h"

namespace gureum::compute {

grpc::Status ComputeHostsService::ListHostStates(grpc::ServerContext* ctx,
                                                 const scheduler::v1::ListHostStatesRequest*,
                                                 scheduler::v1::ListHostStatesResponse* resp) {
  grpcx::ServerCall call(ctx, env_, "ListHostStates");
  if (!call.ok()) return call.Finish();
  absl::StatusOr<std::vector<HostState>> states = managers_.hosts().ListHostStatesForScheduler(
      RequestContext{call.caller(), "", call.request_id()});
  if (!states.ok()) return call.Finish(states.status());
  for (const HostState& h : *states) {
    if (h.service.binary != "gureum-compute-agent") continue;
    auto* out = resp->add_hosts();
    out->set_host(h.service.host);
    out->set_enabled(h.service.enabled);
    out->set_up(h.up);
    out->set_disabled_reason(h.service.disabled_reason);
    out->set_availability_zone(h.availability_zone);
    out->set_hypervisor_type(h.service.hypervisor_type);
    for (const Aggregate& a : h.aggregates) {
      out->add_aggregate_uuids(a.uuid);
      for (const auto& [k, v] : a.metadata) (*out->mutable_aggregate_metadata())[k] = v;
    }
  }
  resp->set_default_availability_zone(managers_.options().default_availability_zone);
  return call.Finish(absl::OkStatus());
}

}  // namespace gureum::compute
