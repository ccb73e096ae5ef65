// Volume types (Cinder's types, extra specs and type access): admins manage them; users
// list the public ones and the private ones their project was given. `volume_backend_name`
// in the extra specs picks the backend. The default type (options.default_volume_type)
// always exists: EnsureDefault makes it at start.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block-storage/api/manager_deps.h"

namespace gureum::block_storage {

struct TypeCreate {
  std::string name;
  std::string description;
  bool is_public = true;
  Metadata extra_specs;
};

struct TypeUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> is_public;
};

class TypeManager {
 public:
  explicit TypeManager(const ManagerDeps& deps) : deps_(deps) {}

  absl::Status EnsureDefault();
  absl::StatusOr<VolumeType> Default();
  // Every type's name by id (to show a volume's type; no policy: the volume's reader may
  // see the name of its type).
  absl::StatusOr<std::map<std::string, std::string>> Names();

  absl::StatusOr<VolumeType> Create(const RequestContext& ctx, const TypeCreate& create);
  // By id or by name, if the caller may see it (NotFound otherwise).
  absl::StatusOr<VolumeType> Get(const RequestContext& ctx, const std::string& id_or_name);
  absl::StatusOr<std::vector<VolumeType>> List(const RequestContext& ctx);
  absl::StatusOr<VolumeType> Update(const RequestContext& ctx, const std::string& id,
                                    const TypeUpdate& update);
  absl::Status Delete(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<Metadata> SetExtraSpecs(const RequestContext& ctx, const std::string& id,
                                         const Metadata& specs);
  absl::Status UnsetExtraSpec(const RequestContext& ctx, const std::string& id,
                              const std::string& key);
  absl::Status AddAccess(const RequestContext& ctx, const std::string& id,
                         const std::string& project_id);
  absl::Status RemoveAccess(const RequestContext& ctx, const std::string& id,
                            const std::string& project_id);
  absl::StatusOr<std::vector<std::string>> ListAccess(const RequestContext& ctx,
                                                      const std::string& id);

 private:
  absl::StatusOr<VolumeType> Find(const std::string& id_or_name);
  const ManagerDeps& deps_;
};

}  // namespace gureum::block_storage
