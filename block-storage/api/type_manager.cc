#include "block-storage/api/type_manager.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

constexpr char kManage[] = "volume_extension:types_manage";

absl::Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > 255) {
    return absl::InvalidArgumentError(
        "Invalid input received: Volume type name can not be empty and must be at most 255 "
        "characters.");
  }
  return absl::OkStatus();
}

absl::Status CheckSpecs(const Metadata& specs) {
  for (const auto& [k, v] : specs) {
    if (k.empty() || k.size() > 255 || v.size() > 255) {
      return absl::InvalidArgumentError(
          "Invalid input received: extra spec keys must be 1 to 255 characters and values at "
          "most 255.");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status TypeManager::EnsureDefault() {
  if (deps_.store.GetTypeByName(deps_.options.default_volume_type).ok()) {
    return absl::OkStatus();
  }
  VolumeType type;
  type.id = deps_.ids.NewUuid();
  type.name = deps_.options.default_volume_type;
  type.description = "Default Volume Type";
  type.created_at = deps_.clock.Now();
  absl::Status s = deps_.store.CreateType(type);
  return absl::IsAlreadyExists(s) ? absl::OkStatus() : s;
}

absl::StatusOr<VolumeType> TypeManager::Default() {
  return deps_.store.GetTypeByName(deps_.options.default_volume_type);
}

absl::StatusOr<std::map<std::string, std::string>> TypeManager::Names() {
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeType> types, deps_.store.ListTypes(""));
  std::map<std::string, std::string> names;
  for (const VolumeType& t : types) names[t.id] = t.name;
  return names;
}

absl::StatusOr<VolumeType> TypeManager::Find(const std::string& id_or_name) {
  absl::StatusOr<VolumeType> type = deps_.store.GetType(id_or_name);
  if (type.ok() || !absl::IsNotFound(type.status())) return type;
  type = deps_.store.GetTypeByName(id_or_name);
  if (absl::IsNotFound(type.status())) {
    return absl::NotFoundError(
        absl::StrCat("Volume type with name or id ", id_or_name, " could not be found."));
  }
  return type;
}

absl::StatusOr<VolumeType> TypeManager::Create(const RequestContext& ctx,
                                               const TypeCreate& create) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, kManage));
  GUREUM_RETURN_IF_ERROR(CheckName(create.name));
  GUREUM_RETURN_IF_ERROR(CheckSpecs(create.extra_specs));
  VolumeType type;
  type.id = deps_.ids.NewUuid();
  type.name = create.name;
  type.description = create.description;
  type.is_public = create.is_public;
  type.extra_specs = create.extra_specs;
  type.created_at = deps_.clock.Now();
  absl::Status s = deps_.store.CreateType(type);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(absl::StrCat("Volume Type ", create.name, " already exists."));
  }
  GUREUM_RETURN_IF_ERROR(s);
  return type;
}

absl::StatusOr<VolumeType> TypeManager::Get(const RequestContext& ctx,
                                            const std::string& id_or_name) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:type_get"));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id_or_name));
  if (type.is_public || deps_.policy.IsAdmin(ctx)) return type;
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> projects, deps_.store.ListTypeAccess(type.id));
  if (std::find(projects.begin(), projects.end(), ctx.caller.project_id) == projects.end()) {
    return absl::NotFoundError(
        absl::StrCat("Volume type with name or id ", id_or_name, " could not be found."));
  }
  return type;
}

absl::StatusOr<std::vector<VolumeType>> TypeManager::List(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:types_list"));
  return deps_.store.ListTypes(deps_.policy.IsAdmin(ctx) ? "" : ctx.caller.project_id);
}

absl::StatusOr<VolumeType> TypeManager::Update(const RequestContext& ctx, const std::string& id,
                                               const TypeUpdate& update) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, kManage));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckName(*update.name));
    type.name = *update.name;
  }
  if (update.description) type.description = *update.description;
  if (update.is_public) type.is_public = *update.is_public;
  absl::Status s = deps_.store.UpdateType(type);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(absl::StrCat("Volume Type ", type.name, " already exists."));
  }
  GUREUM_RETURN_IF_ERROR(s);
  return type;
}

absl::Status TypeManager::Delete(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, kManage));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  if (type.name == deps_.options.default_volume_type) {
    return absl::InvalidArgumentError(
        "Invalid volume type: The default volume type can not be deleted.");
  }
  absl::Status s = deps_.store.DeleteType(type.id);
  if (absl::IsFailedPrecondition(s)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Target volume type is still in use: volumes of type ", type.name, " exist."));
  }
  return s;
}

absl::StatusOr<Metadata> TypeManager::SetExtraSpecs(const RequestContext& ctx,
                                                    const std::string& id, const Metadata& specs) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, kManage));
  GUREUM_RETURN_IF_ERROR(CheckSpecs(specs));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  for (const auto& [k, v] : specs) type.extra_specs[k] = v;
  GUREUM_RETURN_IF_ERROR(deps_.store.UpdateType(type));
  return type.extra_specs;
}

absl::Status TypeManager::UnsetExtraSpec(const RequestContext& ctx, const std::string& id,
                                         const std::string& key) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, kManage));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  if (type.extra_specs.erase(key) == 0) {
    return absl::NotFoundError(
        absl::StrCat("Volume Type ", type.id, " has no extra specs with key ", key, "."));
  }
  return deps_.store.UpdateType(type);
}

absl::Status TypeManager::AddAccess(const RequestContext& ctx, const std::string& id,
                                    const std::string& project_id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:volume_type_access"));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  if (type.is_public) {
    return absl::InvalidArgumentError(
        "Invalid volume type: Type access modification is not applicable to public volume "
        "type.");
  }
  absl::Status s = deps_.store.AddTypeAccess(type.id, project_id);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(absl::StrCat("Volume type access for ", type.id, "/",
                                                 project_id, " combination already exists."));
  }
  return s;
}

absl::Status TypeManager::RemoveAccess(const RequestContext& ctx, const std::string& id,
                                       const std::string& project_id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:volume_type_access"));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  return deps_.store.RemoveTypeAccess(type.id, project_id);
}

absl::StatusOr<std::vector<std::string>> TypeManager::ListAccess(const RequestContext& ctx,
                                                                 const std::string& id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:volume_type_access"));
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, Find(id));
  if (type.is_public) {
    return absl::NotFoundError(
        absl::StrCat("Volume type ", type.id, " is public: it has no access list."));
  }
  return deps_.store.ListTypeAccess(type.id);
}

}  // namespace gureum::block_storage
