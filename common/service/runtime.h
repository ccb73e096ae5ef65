// The start of every Gureum service's main(): command line (--config-file, repeatable,
// default /etc/gureum/gureum.conf), configuration checked against the service's schema,
// and logging (to <log_dir>/<service>.log, or standard error; debug = true lowers the
// level). A bad command line or config value is one line on standard error and exit 2,
// so a supervisor's log says exactly what to fix.
//
//   config::Schema schema;
//   identity::AddIdentityOptions(schema);
//   absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "identity", schema);
//   if (!cfg.ok()) return service::ExitCode(cfg.status());
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::service {

// Adds the common options to `schema` (which must outlive the returned Config), parses
// the command line and the config files, and initialises logging. Prints the problem
// (or --help) itself; the status only tells main() to stop.
absl::StatusOr<config::Config> Start(int argc, char** argv, const std::string& service,
                                     config::Schema& schema);

// The exit code for a failed Start: 0 after --help, 2 otherwise.
int ExitCode(const absl::Status& status);

// A start-up step failed: logs it (critical) and prints "<binary>: <what>: <message>" on
// stderr for the operator; returns main()'s exit code (1).
int Fail(const std::string& binary, const std::string& what, const absl::Status& status);

// The options every API service has in its [<section>]: host, rest_port, grpc_port,
// public_url, db_pool_size, policy_file. `api` names the REST API in the help text
// ("Glance v2").
struct ApiPorts {
  int rest_port;
  int grpc_port;
  std::string api;
};
void AddApiOptions(config::Schema& schema, const std::string& section, const ApiPorts& ports);

// "host:port" for listening.
std::string Address(const std::string& host, long long port);

}  // namespace gureum::service
