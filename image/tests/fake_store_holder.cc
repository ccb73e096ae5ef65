#include "image/fake_image_store.h"
#include "image/fake_metadef_store.h"
#include "image/tests/store_holder.h"

namespace gureum::image::testing {
namespace {

class FakeHolder final : public StoreHolder {
 public:
  ImageStore& store() override { return store_; }
  MetadefStore& metadefs() override { return metadefs_; }

 private:
  FakeImageStore store_;
  FakeMetadefStore metadefs_;
};

}  // namespace

std::unique_ptr<StoreHolder> NewStoreHolder() { return std::make_unique<FakeHolder>(); }

}  // namespace gureum::image::testing
