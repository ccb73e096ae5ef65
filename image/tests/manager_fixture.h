// A manager over the holder's store (fake or PostgreSQL) and a filesystem data store in
// a fresh temporary directory, with the default policy.
#pragma once

#include <filesystem>
#include <memory>

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/testing/test_env.h"
#include "image/filesystem_store.h"
#include "image/image_manager.h"
#include "image/image_policy.h"
#include "image/metadef_manager.h"
#include "image/tests/store_holder.h"

namespace gureum::image::testing {

struct ManagerFixture {
  explicit ManagerFixture(ImageManagerOptions options = {},
                          policy::EnforcerOptions policy_options = {})
      : holder(NewStoreHolder()),
        dir((std::filesystem::temp_directory_path() / gureum::testing::UniqueName("images"))
                .string()),
        data(FilesystemStore::Create(dir).value()),
        enforcer(policy::Enforcer::Create(ImagePolicyDefaults(), "", policy_options).value()),
        manager(holder->store(), *data, *enforcer, clock, ids, options),
        metadefs(holder->metadefs(), *enforcer, clock) {}
  ~ManagerFixture() { std::filesystem::remove_all(dir); }

  size_t StoredFiles() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
  }

  std::unique_ptr<StoreHolder> holder;
  std::string dir;
  std::unique_ptr<FilesystemStore> data;
  std::unique_ptr<policy::Enforcer> enforcer;
  FakeClock clock;
  SequentialIdGenerator ids;
  ImageManager manager;
  MetadefManager metadefs;
};

}  // namespace gureum::image::testing
