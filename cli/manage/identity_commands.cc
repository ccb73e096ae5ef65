#include "cli/manage/identity_commands.h"

#include <iostream>

#include "common/auth/service_token.h"
#include "common/db/pool.h"
#include "common/db/uri.h"
#include "common/status/macros.h"
#include "identity/identity_manager.h"
#include "identity/identity_options.h"
#include "identity/key_repository.h"
#include "identity/pg_identity_store.h"

namespace gureum::cli {
namespace {

int Report(const absl::Status& s, const std::string& ok_message) {
  if (!s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << ok_message << "\n";
  return 0;
}

absl::StatusOr<identity::BootstrapResult> Bootstrap(const config::Config& cfg,
                                                    const BootstrapFlags& flags) {
  if (flags.admin_password.empty()) {
    return absl::InvalidArgumentError("--admin-password is required");
  }
  std::string key_dir = cfg.GetString("identity", "key_repository");
  GUREUM_RETURN_IF_ERROR(identity::InitializeKeys(key_dir));
  std::string server = cfg.GetString("database", "connection");
  GUREUM_ASSIGN_OR_RETURN(std::string uri, db::UriWithDatabase(server, "gureum_identity"));
  GUREUM_ASSIGN_OR_RETURN(auto pool, db::ConnectionPool::Create(uri, 2));
  std::unique_ptr<identity::IdentityStore> store = identity::NewPgIdentityStore(*pool);
  identity::DirectoryKeySource keys(key_dir);
  // Revocations bootstrap may cause (an admin password reset) reach running services
  // through their periodic fetch of the persisted events.
  identity::NullRevocationSink sink;
  GUREUM_ASSIGN_OR_RETURN(
      auto manager, identity::IdentityManager::Create(*store, keys, sink, RealClock::Get(),
                                                      RandomIdGenerator::Get(),
                                                      identity::IdentityOptionsFromConfig(cfg)));
  identity::BootstrapOptions options;
  options.admin_password = flags.admin_password;
  options.admin_username = flags.admin_username;
  options.project_name = flags.project;
  options.region_id = flags.region.empty() ? cfg.GetString("identity", "region") : flags.region;
  options.public_url_host =
      flags.public_host.empty() ? cfg.GetString("identity", "public_host") : flags.public_host;
  options.internal_url_host = flags.internal_host;
  options.identity_url = flags.identity_url;
  options.catalog_types = flags.catalog;
  // The services' own user, as [service_auth] names it (the services read the same file).
  options.service_username = cfg.GetString("service_auth", "username");
  options.service_password = cfg.GetString("service_auth", "password");
  options.service_project = cfg.GetString("service_auth", "project_name");
  return manager->Bootstrap(options);
}

}  // namespace

void AddIdentitySchema(config::Schema& schema) {
  identity::AddIdentityOptions(schema);
  auth::AddServiceTokenOptions(schema);
}

void AddIdentityCommands(CLI::App& app, BootstrapFlags& flags,
                         std::function<int(const config::Config&)>& run) {
  auto* cmd = app.add_subcommand("identity", "Identity service chores")->require_subcommand(1);

  auto* bootstrap = cmd->add_subcommand(
      "bootstrap", "Create the admin user, project and roles and the service catalog (idempotent)");
  bootstrap->add_option("--admin-password", flags.admin_password, "Password of the admin user")
      ->required();
  bootstrap->add_option("--admin-username", flags.admin_username, "Admin user name");
  bootstrap->add_option("--project", flags.project, "Admin project name");
  bootstrap->add_option("--region", flags.region, "Region (default [identity] region)");
  bootstrap->add_option("--public-host", flags.public_host,
                        "Host in public endpoint URLs (default [identity] public_host)");
  bootstrap->add_option("--internal-host", flags.internal_host,
                        "Host in internal/admin endpoint URLs (default: the public host)");
  bootstrap->add_option("--identity-url", flags.identity_url,
                        "URL of the identity endpoints (default http://PUBLIC_HOST:5000/v3)");
  bootstrap
      ->add_option("--catalog", flags.catalog,
                   "Service types to list in the catalog, comma-separated (identity always; "
                   "default: all of identity, compute, image, network, volumev3, block-storage, "
                   "object-store, placement); the others are removed")
      ->delimiter(',');
  bootstrap->callback([&] {
    run = [&flags](const config::Config& cfg) {
      absl::StatusOr<identity::BootstrapResult> r = Bootstrap(cfg, flags);
      if (!r.ok()) {
        std::cerr << "bootstrap failed: " << r.status().message() << "\n";
        return 1;
      }
      std::cout << (r->changed ? "bootstrap: created/updated" : "bootstrap: nothing to change")
                << " (admin user " << r->admin_user_id << ", project " << r->admin_project_id
                << ")\n";
      return 0;
    };
  });

  cmd->add_subcommand("init-keys", "Create the key repository and a first key (idempotent)")
      ->callback([&] {
        run = [](const config::Config& cfg) {
          std::string dir = cfg.GetString("identity", "key_repository");
          return Report(identity::InitializeKeys(dir), "keys ready in " + dir);
        };
      });

  cmd->add_subcommand("rotate-keys",
                      "Add a new signing key; drop the oldest beyond [identity] max_active_keys")
      ->callback([&] {
        run = [](const config::Config& cfg) {
          std::string dir = cfg.GetString("identity", "key_repository");
          int max_keys = static_cast<int>(cfg.GetInt("identity", "max_active_keys"));
          return Report(identity::RotateKeys(dir, max_keys),
                        "rotated keys in " + dir +
                            " (running identity services pick the new key up on reload)");
        };
      });
}

}  // namespace gureum::cli
