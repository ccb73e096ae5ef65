// `gureum-manage identity ...`: the operator's identity chores on the controller.
//
//   identity bootstrap --admin-password P [--admin-username admin] [--project admin]
//                      [--region RegionOne] [--public-host HOST] [--internal-host HOST]
//                      [--identity-url URL]
//   identity init-keys      create the key repository and its first key (idempotent)
//   identity rotate-keys    add a signing key, drop the oldest beyond max_active_keys
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/config/config.h"

namespace gureum::cli {

struct BootstrapFlags {
  std::string admin_password;
  std::string admin_username = "admin";
  std::string project = "admin";
  std::string region;       // default: [identity] region
  std::string public_host;  // default: [identity] public_host
  std::string internal_host;
  std::string identity_url;          // default: http://<public host>:5000/v3
  std::vector<std::string> catalog;  // service types to register; empty: all
};

// Adds the identity subcommands to `app`; `run` is set to the chosen action, which
// takes the loaded configuration and returns the exit code.
void AddIdentityCommands(CLI::App& app, BootstrapFlags& flags,
                         std::function<int(const config::Config&)>& run);

// Registers [identity] options on the schema gureum-manage loads.
void AddIdentitySchema(config::Schema& schema);

}  // namespace gureum::cli
