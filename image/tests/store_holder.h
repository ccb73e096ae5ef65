// The store the shared cases run on: the unit binary defines NewStoreHolder with the
// in-memory fake, the integration binary with a fresh migrated PostgreSQL database, so
// both implementations are held to one contract.
#pragma once

#include <memory>

#include "image/image_store.h"
#include "image/metadef_store.h"

namespace gureum::image::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual ImageStore& store() = 0;
  virtual MetadefStore& metadefs() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

}  // namespace gureum::image::testing
