#include "common/service/runtime.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/base/process.h"
#include "common/log/log.h"
#include "common/policy/policy_config.h"

namespace gureum::service {
namespace {

constexpr char kHelpShown[] = "help shown";

}  // namespace

absl::StatusOr<config::Config> Start(int argc, char** argv, const std::string& service,
                                     config::Schema& schema) {
  InitProcess();
  CLI::App app{absl::StrCat("gureum-", service)};
  std::vector<std::string> files;
  app.add_option("--config-file", files,
                 "Config file (repeatable; later files override earlier ones; default "
                 "/etc/gureum/gureum.conf)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? absl::CancelledError(kHelpShown)
                   : absl::InvalidArgumentError("bad command line");
  }
  config::AddCommonOptions(schema);
  policy::AddPolicyOptions(schema);  // [policy] legacy_admin, the same for every service
  absl::StatusOr<config::Config> cfg =
      config::Config::Load(schema, config::ConfigFilesOrDefault(files));
  if (!cfg.ok()) {
    std::cerr << "gureum-" << service << ": " << cfg.status().message() << "\n";
    return cfg.status();
  }
  std::string log_dir = cfg->GetString("DEFAULT", "log_dir");
  absl::Status logging =
      log::Init({.service = service,
                 .level = cfg->GetBool("DEFAULT", "debug") ? "debug" : "info",
                 .file = log_dir.empty() ? "" : absl::StrCat(log_dir, "/", service, ".log")});
  if (!logging.ok()) {
    std::cerr << "gureum-" << service << ": " << logging.message() << "\n";
    return logging;
  }
  spdlog::info("gureum-{} starting", service);
  return cfg;
}

int ExitCode(const absl::Status& status) {
  return status.code() == absl::StatusCode::kCancelled && status.message() == kHelpShown ? 0 : 2;
}

int Fail(const std::string& binary, const std::string& what, const absl::Status& status) {
  spdlog::critical("{}: {}", what, status.ToString());
  std::cerr << binary << ": " << what << ": " << status.message() << "\n";
  return 1;
}

std::string Address(const std::string& host, long long port) {
  // IPv6 literals need brackets in a gRPC address.
  if (host.find(':') != std::string::npos && host.front() != '[') {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

void AddApiOptions(config::Schema& schema, const std::string& section, const ApiPorts& ports) {
  schema.String(section, "host", "0.0.0.0", "Address the REST and gRPC servers listen on.");
  schema.Int(section, "rest_port", ports.rest_port, 1, 65535, ports.api + " REST port.");
  schema.Int(section, "grpc_port", ports.grpc_port, 1, 65535, "gRPC port.");
  schema.String(section, "public_url", "",
                "Base URL clients reach the REST API at (links in answers); empty: "
                "http://[DEFAULT] my_ip:rest_port (never the request's Host header).");
  schema.Int(section, "db_pool_size", 8, 1, 256, "PostgreSQL connections.");
  schema.String(section, "policy_file", "/etc/gureum/policy.yaml",
                "oslo.policy-style overrides of the default rules.");
}

}  // namespace gureum::service
