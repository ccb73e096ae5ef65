// In-memory MetadefStore for unit tests (the contract: metadef_store.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "image/metadef_store.h"

namespace gureum::image {

class FakeMetadefStore final : public MetadefStore {
 public:
  absl::Status CreateNamespace(const MetadefNamespace& ns) override;
  absl::StatusOr<MetadefNamespace> GetNamespace(const std::string& name) override;
  absl::StatusOr<std::vector<MetadefNamespace>> ListNamespaces() override;
  absl::StatusOr<MetadefNamespace> MutateNamespace(const std::string& name,
                                                   const MutateFn& fn) override;
  absl::Status DeleteNamespace(const std::string& name) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, MetadefNamespace> namespaces_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::image
