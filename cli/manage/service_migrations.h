// Which services have databases, and their migrations: the table behind
// `gureum-manage db sync <service>`. Each service adds its line when it gains tables.
#pragma once

#include <string>
#include <vector>

#include "common/db/migrations.h"

namespace gureum::cli {

struct ServiceDatabase {
  std::string service;   // as typed on the command line: identity, compute, ...
  std::string database;  // gureum_<service>
  const std::vector<db::Migration>& (*migrations)();
};

const std::vector<ServiceDatabase>& ServiceDatabases();

// The entry for `service`, or null.
const ServiceDatabase* FindServiceDatabase(const std::string& service);

}  // namespace gureum::cli
