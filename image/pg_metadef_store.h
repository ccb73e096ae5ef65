// The PostgreSQL MetadefStore (table metadef_namespaces; contract: metadef_store.h).
#pragma once

#include <memory>

#include "common/db/pool.h"
#include "image/metadef_store.h"

namespace gureum::image {

// `pool` must outlive the store.
std::unique_ptr<MetadefStore> NewPgMetadefStore(db::ConnectionPool& pool);

}  // namespace gureum::image
