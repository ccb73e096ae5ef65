// gureum-manage: the operator's tool on the controller.
//
//   gureum-manage [--config-file F ...] db sync [SERVICE ...]    apply migrations (all if none
//   named) gureum-manage [--config-file F ...] db version [SERVICE ...] print schema versions
//
// The database server comes from [database] connection in the config files; each service
// has its own database gureum_<service> on it. Later issues add identity bootstrap, key
// rotation and the object ring builder here.
//
//   gureum-manage identity bootstrap --admin-password P ...  (see identity_commands.h)
//   gureum-manage identity init-keys | rotate-keys
//   gureum-manage object ring create|add|set-weight|remove|rebalance|show FILE ...
//                                                (see object_commands.h; no config needed)
#include <iostream>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "cli/manage/identity_commands.h"
#include "cli/manage/object_commands.h"
#include "cli/manage/service_migrations.h"
#include "common/config/config.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/db/uri.h"
#include "common/log/log.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

absl::StatusOr<std::vector<const ServiceDatabase*>> Resolve(const std::vector<std::string>& names) {
  std::vector<const ServiceDatabase*> out;
  if (names.empty()) {
    for (const ServiceDatabase& s : ServiceDatabases()) out.push_back(&s);
    return out;
  }
  for (const std::string& name : names) {
    const ServiceDatabase* s = FindServiceDatabase(name);
    if (s == nullptr) {
      std::string known;
      for (const ServiceDatabase& d : ServiceDatabases()) absl::StrAppend(&known, " ", d.service);
      return absl::InvalidArgumentError(
          absl::StrCat("unknown service '", name, "' (known:", known, ")"));
    }
    out.push_back(s);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<db::ConnectionPool>> Connect(const config::Config& cfg,
                                                            const ServiceDatabase& s) {
  std::string server = cfg.GetString("database", "connection");
  if (server.empty()) {
    return absl::InvalidArgumentError(
        "[database] connection is not set in the config files (e.g. "
        "postgresql://gureum:PASSWORD@127.0.0.1:5432)");
  }
  GUREUM_ASSIGN_OR_RETURN(std::string uri, db::UriWithDatabase(server, s.database));
  return db::ConnectionPool::Create(uri, 1);
}

// An operator reads the database's own words; API clients get only the generic message.
std::string DbError(const absl::Status& status) {
  std::string detail = db::ErrorDetail(status);
  return detail.empty() ? std::string(status.message()) : detail;
}

int DbCommand(const config::Config& cfg, const std::vector<std::string>& names, bool sync) {
  auto services = Resolve(names);
  if (!services.ok()) {
    std::cerr << services.status().message() << "\n";
    return 2;
  }
  int rc = 0;
  for (const ServiceDatabase* s : *services) {
    auto pool = Connect(cfg, *s);
    if (!pool.ok()) {
      std::cerr << s->service << ": " << DbError(pool.status()) << "\n";
      rc = 1;
      continue;
    }
    if (sync) {
      absl::StatusOr<int> applied = db::Migrate(**pool, s->migrations());
      if (!applied.ok()) {
        std::cerr << s->service << ": " << applied.status().message() << "\n";
        rc = 1;
        continue;
      }
      std::cout << s->service << ": " << *applied << " migration(s) applied, schema at version "
                << s->migrations().size() << "\n";
    } else {
      absl::StatusOr<int> version = db::CurrentVersion(**pool);
      if (!version.ok()) {
        std::cerr << s->service << ": " << DbError(version.status()) << "\n";
        rc = 1;
        continue;
      }
      std::cout << s->service << ": version " << *version << " (this binary knows "
                << s->migrations().size() << ")\n";
    }
  }
  return rc;
}

int Main(int argc, char** argv) {
  CLI::App app{"gureum-manage: database and maintenance commands for a Gureum controller"};
  app.require_subcommand(1);
  std::vector<std::string> config_files;
  app.add_option("--config-file", config_files,
                 "Config file (repeatable; default "
                 "/etc/gureum/gureum.conf)");
  std::vector<std::string> services;
  int rc = 0;
  auto* db_cmd = app.add_subcommand("db", "Database schema")->require_subcommand(1);
  auto* sync = db_cmd->add_subcommand("sync", "Apply the migrations a database lacks (idempotent)");
  sync->add_option("service", services,
                   "identity, image, compute, scheduler, network, "
                   "block_storage (default: all)");
  auto* version = db_cmd->add_subcommand("version", "Print each database's schema version");
  version->add_option("service", services, "Services (default: all)");
  BootstrapFlags bootstrap_flags;
  std::function<int(const config::Config&)> identity_run;
  AddIdentityCommands(app, bootstrap_flags, identity_run);
  std::function<int()> object_run;
  AddObjectCommands(app, object_run);
  CLI11_PARSE(app, argc, argv);
  if (object_run) return object_run();  // the ring file alone: no config files

  // Errors on standard error; nothing here logs secrets (URIs are redacted by common/db).
  (void)log::Init({.service = "gureum-manage", .level = "warn"});
  config::Schema schema;
  config::AddCommonOptions(schema);
  AddIdentitySchema(schema);
  absl::StatusOr<config::Config> cfg =
      config::Config::Load(schema, config::ConfigFilesOrDefault(config_files));
  if (!cfg.ok()) {
    std::cerr << cfg.status().message() << "\n";
    return 2;
  }
  if (sync->parsed()) rc = DbCommand(*cfg, services, /*sync=*/true);
  if (version->parsed()) rc = DbCommand(*cfg, services, /*sync=*/false);
  if (identity_run) rc = identity_run(*cfg);
  return rc;
}

}  // namespace
}  // namespace gureum::cli

int main(int argc, char** argv) { return gureum::cli::Main(argc, argv); }
