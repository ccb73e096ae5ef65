// Building and sending the casts of proto/compute_casts.proto from compute-api's records.
#pragma once

#include <string>

#include "compute/api/model.h"

#include "compute_casts.pb.h"

namespace gureum::compute {

inline constexpr char kSchedulerQueue[] = "scheduler";
inline constexpr char kConductorQueue[] = "conductor";
inline std::string ComputeQueue(const std::string& host) { return "compute." + host; }

void FlavorToProto(const FlavorRecord& f, v1::Flavor* out);
void InstanceToSpec(const Instance& i, v1::InstanceSpec* out);

}  // namespace gureum::compute
