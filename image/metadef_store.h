// Persistence of metadata definition namespaces (Glance's metadefs) with everything in
// them (objects, properties, tags, resource type associations), with a PostgreSQL
// implementation (pg_metadef_store.h) and an in-memory fake (fake_metadef_store.h) held
// to one contract by tests/metadef_store_contract_test.cc:
// - CreateNamespace inserts it; a name in use is AlreadyExists.
// - Get/Mutate/Delete of an unknown name is NotFound
//   "Metadata definition namespace=<name> was not found.".
// - MutateNamespace reads the namespace, runs `fn` on it and writes the result back, all
//   in one transaction with the row locked, so concurrent changes of one namespace
//   serialise and none is lost. An error from `fn` changes nothing. `fn` may rename the
//   namespace; a new name in use is AlreadyExists.
// - ListNamespaces returns every namespace, sorted by name.
// Thread-safe. The PostgreSQL implementation blocks on the network.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/model.h"

namespace gureum::image {

class MetadefStore {
 public:
  using MutateFn = std::function<absl::Status(MetadefNamespace&)>;

  virtual ~MetadefStore() = default;

  virtual absl::Status CreateNamespace(const MetadefNamespace& ns) = 0;
  virtual absl::StatusOr<MetadefNamespace> GetNamespace(const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<MetadefNamespace>> ListNamespaces() = 0;
  virtual absl::StatusOr<MetadefNamespace> MutateNamespace(const std::string& name,
                                                           const MutateFn& fn) = 0;
  virtual absl::Status DeleteNamespace(const std::string& name) = 0;
};

inline absl::Status MetadefNamespaceNotFound(const std::string& name) {
  return absl::NotFoundError("Metadata definition namespace=" + name + " was not found.");
}

}  // namespace gureum::image
