// The [dashboard] options of gureum-dashboard.
#pragma once

#include "common/config/config.h"
#include "common/config/schema.h"

#include "dashboard/dashboard_rest.h"
#include "dashboard/session_manager.h"

namespace gureum::dashboard {

void AddDashboardOptions(config::Schema& schema);
DashboardRestOptions DashboardRestOptionsFromConfig(const config::Config& cfg);
SessionOptions SessionOptionsFromConfig(const config::Config& cfg);

}  // namespace gureum::dashboard
