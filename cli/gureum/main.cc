// gureum: the command-line client of a Gureum cloud. It reads the same OS_* variables and
// --os-* options as the openstack CLI and prints with -f table|json|value.
//
// Each service adds its command groups (token, project, server, network, ...) talking
// gRPC to the service; identity's are in *_commands.cc (see commands.h). Identity's gRPC
// endpoint comes from --os-identity-grpc / OS_IDENTITY_GRPC, else the host of OS_AUTH_URL
// with port 15000 (session.h). A failed command prints one line on stderr and exits 1.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/auth_env.h"
#include "cli/gureum/commands.h"
#include "cli/gureum/session.h"
#include "cli/output.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"

#include "grpc/health/v1/health.grpc.pb.h"

namespace gureum::cli {
namespace {

struct Globals {
  AuthSettings options;
  std::string identity_grpc;
  std::string format = "table";
  std::vector<std::string> columns;
  Format parsed_format = Format::kTable;
};

// `gureum auth show`: what the CLI would authenticate with (the password masked).
int AuthShow(const Globals& g) {
  AuthSettings s;
  ReadAuthEnvironment(std::getenv, s, g.options);
  nlohmann::json o = {{"auth_url", s.auth_url},
                      {"username", s.username},
                      {"password", s.password.empty() ? "" : "***"},
                      {"project_name", s.project_name},
                      {"user_domain_name", s.user_domain_name},
                      {"project_domain_name", s.project_domain_name},
                      {"region_name", s.region_name}};
  PrintShow(std::cout, g.parsed_format,
            {"auth_url", "username", "password", "project_name", "user_domain_name",
             "project_domain_name", "region_name"},
            o, g.columns);
  return 0;
}

// `gureum health ENDPOINT`: asks a service's gRPC health service whether it is serving.
int Health(const Globals& g, const std::string& endpoint, const std::string& service,
           int timeout_ms) {
  auto stub = grpc::health::v1::Health::NewStub(grpcx::MakeChannel(endpoint));
  grpc::ClientContext ctx;
  grpcx::PrepareContext(ctx, {.timeout = absl::Milliseconds(timeout_ms)});
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  std::string status =
      s.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status())
             : "UNREACHABLE";
  PrintShow(std::cout, g.parsed_format, {"endpoint", "status", "error"},
            {{"endpoint", endpoint}, {"status", status}, {"error", s.error_message()}}, g.columns);
  return s.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

int Main(int argc, char** argv) {
  CLI::App app{"gureum: command-line client for a Gureum cloud"};
  app.require_subcommand(1);
  // Global options (-f, -c, --os-*) may also follow the command, as with openstack.
  app.fallthrough();
  Globals g;
  app.add_option("--os-auth-url", g.options.auth_url, "Identity endpoint (env OS_AUTH_URL)");
  app.add_option("--os-username", g.options.username, "User name (env OS_USERNAME)");
  app.add_option("--os-password", g.options.password, "Password (env OS_PASSWORD)");
  app.add_option("--os-project-name", g.options.project_name, "Project (env OS_PROJECT_NAME)");
  app.add_option("--os-user-domain-name", g.options.user_domain_name,
                 "User's domain (env OS_USER_DOMAIN_NAME)");
  app.add_option("--os-project-domain-name", g.options.project_domain_name,
                 "Project's domain (env OS_PROJECT_DOMAIN_NAME)");
  app.add_option("--os-region-name", g.options.region_name, "Region (env OS_REGION_NAME)");
  app.add_option("--os-token", g.options.token, "Token instead of a password (env OS_TOKEN)");
  app.add_option("--os-identity-grpc", g.identity_grpc,
                 "Identity's gRPC API, host:port (env OS_IDENTITY_GRPC; default: the host of "
                 "OS_AUTH_URL, port 15000)");
  app.add_option("-f,--format", g.format, "Output format: table, json or value")
      ->check(CLI::IsMember({"table", "json", "value"}));
  app.add_option("-c,--column", g.columns, "Column to show (repeatable)");

  int rc = 0;
  auto* auth = app.add_subcommand("auth", "Authentication settings");
  auth->require_subcommand(1);
  auth->add_subcommand("show", "Show the settings the CLI would authenticate with")->callback([&] {
    rc = AuthShow(g);
  });

  std::string endpoint, service;
  int timeout_ms = 3000;
  auto* health = app.add_subcommand("health", "Ask a service whether it is serving (gRPC)");
  health->add_option("endpoint", endpoint, "host:port of the service's gRPC API")->required();
  health->add_option("--service", service, "Service name to ask about (default: the server)");
  health->add_option("--timeout-ms", timeout_ms, "How long to wait for an answer");
  health->callback([&] { rc = Health(g, endpoint, service, timeout_ms); });

  Cli cli;
  cli.make_session = [&]() -> absl::StatusOr<std::unique_ptr<Session>> {
    AuthSettings settings;
    ReadAuthEnvironment(std::getenv, settings, g.options);
    GUREUM_ASSIGN_OR_RETURN(
        std::string endpoint,
        IdentityGrpcEndpoint(g.identity_grpc, std::getenv("OS_IDENTITY_GRPC"), settings));
    return std::make_unique<Session>(std::move(settings), std::move(endpoint));
  };
  AddTokenCommands(app, cli);
  AddProjectCommands(app, cli);
  AddUserCommands(app, cli);
  AddRoleCommands(app, cli);
  AddCatalogCommands(app, cli);
  AddImageCommands(app, cli);
  AddComputeCommands(app, cli);
  AddServerCommands(app, cli);
  AddNetworkCommands(app, cli);
  AddVolumeCommands(app, cli);
  AddObjectStorageCommands(app, cli);

  app.parse_complete_callback([&] {
    if (absl::Status s = ParseFormat(g.format, &g.parsed_format); !s.ok()) {
      throw CLI::ValidationError("--format", std::string(s.message()));
    }
    cli.format = g.parsed_format;
    cli.columns = g.columns;
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!cli.status.ok()) {
    std::cerr << "Error: " << cli.status.message() << "\n";
    return 1;
  }
  return rc;
}

}  // namespace
}  // namespace gureum::cli

int main(int argc, char** argv) { return gureum::cli::Main(argc, argv); }
