#include "cli/manage/service_migrations.h"

#include "block-storage/api/migrations/migrations.h"
#include "compute/api/migrations/migrations.h"
#include "identity/migrations/migrations.h"
#include "image/migrations/migrations.h"
#include "network/server/migrations/migrations.h"
#include "scheduler/migrations/migrations.h"

namespace gureum::cli {
const std::vector<ServiceDatabase>& ServiceDatabases() {
  static const auto* all = new std::vector<ServiceDatabase>{
      {"identity", "gureum_identity", &gureum::identity::Migrations},
      {"image", "gureum_image", &gureum::image::Migrations},
      {"compute", "gureum_compute", &gureum::compute::Migrations},
      {"scheduler", "gureum_scheduler", &gureum::scheduler::Migrations},
      {"network", "gureum_network", &gureum::network::Migrations},
      {"block_storage", "gureum_block_storage", &gureum::block_storage::Migrations},
  };
  return *all;
}

const ServiceDatabase* FindServiceDatabase(const std::string& service) {
  for (const ServiceDatabase& s : ServiceDatabases()) {
    if (s.service == service || s.database == service) return &s;
  }
  return nullptr;
}

}  // namespace gureum::cli
