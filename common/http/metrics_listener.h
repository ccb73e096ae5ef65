// The configuration of the /metrics listener every REST service shares (issue 16): the
// metrics are kept off the public API port and served on an address and port of their
// own, when an operator asks for them.
//
//   [identity]
//   metrics_host = 127.0.0.1   # default
//   metrics_port = 9464        # default 0: no metrics listener
#pragma once

#include <string>

#include "common/config/config.h"
#include "common/config/schema.h"
#include "common/http/server.h"

namespace gureum::http {

// Adds metrics_host and metrics_port to `section` of the schema.
void AddMetricsListenerOptions(config::Schema& schema, const std::string& section);

// Sets options.metrics_host/metrics_port from `section` (metrics_port 0 leaves it off).
void ApplyMetricsListenerOptions(const config::Config& cfg, const std::string& section,
                                 ServerOptions& options);

}  // namespace gureum::http
