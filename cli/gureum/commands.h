// What the gureum CLI's command groups share: the parsed output options, the session
// (made on first use, after the command line is parsed), the command's outcome, and
// name-or-id lookups of identity resources (resolve.h) over identity's gRPC API.
//
// Each group registers its subcommands on the CLI11 app; a command's body returns an
// absl::Status, and main prints a failure as one line on stderr and exits 1.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/gureum/session.h"
#include "cli/output.h"

namespace gureum::cli {

using nlohmann::json;
namespace idv1 = identity::v1;
using IdentityStub = identity::v1::Identity::Stub;

struct Cli {
  Format format = Format::kTable;
  std::vector<std::string> columns;
  // Builds the session from the parsed options; called once, on the first command body.
  std::function<absl::StatusOr<std::unique_ptr<Session>>()> make_session;
  std::unique_ptr<Session> session;
  absl::Status status;  // the outcome of the command that ran

  void Show(const std::vector<std::string>& fields, const json& object) const;
  void List(const std::vector<std::string>& headers, const std::vector<json>& rows) const;
};

// Makes `cmd` run `body` with the session when it is the command given.
void OnRun(CLI::App* cmd, Cli& cli, std::function<absl::Status(Session&)> body);

// Name-or-id lookups (the openstack CLI's find_resource). Domain-scoped names (projects,
// users, groups) are looked up in `domain` when it is given (name or id).
absl::StatusOr<std::string> FindDomain(Session& s, const std::string& name_or_id);
absl::StatusOr<std::string> FindProject(Session& s, const std::string& name_or_id,
                                        const std::string& domain = "");
absl::StatusOr<std::string> FindUser(Session& s, const std::string& name_or_id,
                                     const std::string& domain = "");
absl::StatusOr<std::string> FindGroup(Session& s, const std::string& name_or_id,
                                      const std::string& domain = "");
absl::StatusOr<std::string> FindRole(Session& s, const std::string& name_or_id);
absl::StatusOr<std::string> FindService(Session& s, const std::string& name_or_id);
// An image's id from its name or id, over image's gRPC API (OS_IMAGE_GRPC, else port
// 19292 on the identity host).
absl::StatusOr<std::string> FindImage(Session& s, const std::string& name_or_id);

// The command groups (each file registers one or two top-level commands).
void AddProjectCommands(CLI::App& app, Cli& cli);  // project, domain
void AddUserCommands(CLI::App& app, Cli& cli);     // user, group
void AddRoleCommands(CLI::App& app, Cli& cli);     // role (+ add/remove, assignment list)
void AddCatalogCommands(CLI::App& app, Cli& cli);  // region, service, endpoint, catalog
void AddTokenCommands(CLI::App& app, Cli& cli);    // token, application credential
void AddImageCommands(CLI::App& app, Cli& cli);    // image (+ member), over image's gRPC API
void AddComputeCommands(CLI::App& app, Cli& cli);  // flavor, keypair, compute service
void AddServerCommands(CLI::App& app, Cli& cli);   // server, over compute-api's gRPC API
// network, subnet, port, security group (+ rule), router, floating ip, over gureum-network's gRPC
// API
void AddNetworkCommands(CLI::App& app, Cli& cli);
void AddVolumeCommands(CLI::App& app, Cli& cli);  // volume, over block storage's gRPC API
// container, object, over the object storage proxy's Swift API
void AddObjectStorageCommands(CLI::App& app, Cli& cli);

// compute-api's gRPC endpoint: `option`, else OS_COMPUTE_GRPC, else OS_AUTH_URL's host:18774.
inline constexpr int kComputeGrpcPort = 18774;
absl::StatusOr<std::string> ComputeEndpoint(const std::string& option, Session& s);

// "2026-01-01T12:00:00+0000" as the openstack CLI prints times; "" for 0.
std::string UnixMicrosText(int64_t unix_us);

}  // namespace gureum::cli
