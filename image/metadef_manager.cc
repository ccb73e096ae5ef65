// MetadefManager: namespaces and resource types (objects, properties and tags:
// metadef_manager_items.cc).
#include "image/metadef_manager.h"

#include <algorithm>

#include "common/status/macros.h"
#include "image/metadef_validation.h"

namespace gureum::image {
namespace {

// The resource types Gureum's services have, which a namespace may apply to.
const char* const kResourceTypes[] = {"OS::Glance::Image", "OS::Cinder::Volume", "OS::Nova::Flavor",
                                      "OS::Nova::Aggregate", "OS::Nova::Server"};

bool Associated(const MetadefNamespace& ns, const std::string& type) {
  return std::any_of(ns.resource_types.begin(), ns.resource_types.end(),
                     [&](const ResourceTypeAssociation& r) { return r.name == type; });
}

}  // namespace

MetadefManager::MetadefManager(MetadefStore& store, const policy::Enforcer& enforcer,
                               const Clock& clock)
    : store_(store), enforcer_(enforcer), clock_(clock) {}

absl::Status MetadefManager::CanModify(const Caller& caller) const {
  return enforcer_.Enforce("image:modify_metadef", caller, {});
}

bool MetadefManager::Sees(const Caller& caller, const MetadefNamespace& ns) const {
  return ns.visibility == kPublic || ns.owner == caller.project_id ||
         enforcer_.Allowed("image_admin", caller);
}

absl::StatusOr<std::vector<ResourceType>> MetadefManager::ListResourceTypes(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce("image:get_metadef", caller, {}));
  GUREUM_ASSIGN_OR_RETURN(std::vector<MetadefNamespace> all, store_.ListNamespaces());
  std::vector<ResourceType> out;
  const absl::Time epoch = absl::UnixEpoch();
  for (const char* name : kResourceTypes) out.push_back({name, epoch, epoch});
  for (const MetadefNamespace& ns : all) {
    for (const ResourceTypeAssociation& r : ns.resource_types) {
      bool known = std::any_of(out.begin(), out.end(),
                               [&](const ResourceType& t) { return t.name == r.name; });
      if (!known) out.push_back({r.name, r.created_at, r.created_at});
    }
  }
  return out;
}

absl::StatusOr<MetadefNamespace> MetadefManager::CreateNamespace(const Caller& caller,
                                                                 MetadefNamespace ns) {
  GUREUM_RETURN_IF_ERROR(CanModify(caller));
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("namespace", ns.name, kMaxNamespaceName));
  GUREUM_RETURN_IF_ERROR(CheckMetadefVisibility(ns.visibility));
  if (ns.owner.empty()) ns.owner = caller.project_id;
  ns.created_at = ns.updated_at = clock_.Now();
  for (ResourceTypeAssociation& r : ns.resource_types) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefName("resource type", r.name, kMaxMetadefName));
    r.created_at = r.updated_at = ns.created_at;
  }
  for (MetadefObject& o : ns.objects) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefObject(o));
    o.created_at = o.updated_at = ns.created_at;
  }
  for (const auto& [name, def] : ns.properties) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefName("property", name, kMaxMetadefName));
    GUREUM_RETURN_IF_ERROR(CheckPropertyDefinition(def));
  }
  for (MetadefTag& t : ns.tags) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefName("tag", t.name, kMaxMetadefName));
    t.created_at = t.updated_at = ns.created_at;
  }
  absl::Status s = store_.CreateNamespace(ns);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("Metadata definition namespace " + ns.name +
                                    " already exists.");
  }
  GUREUM_RETURN_IF_ERROR(s);
  return ns;
}

absl::StatusOr<MetadefNamespace> MetadefManager::GetNamespace(const Caller& caller,
                                                              const std::string& name) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce("image:get_metadef", caller, {}));
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns, store_.GetNamespace(name));
  if (!Sees(caller, ns)) return MetadefNamespaceNotFound(name);
  return ns;
}

absl::StatusOr<std::vector<MetadefNamespace>> MetadefManager::ListNamespaces(
    const Caller& caller, const MetadefNamespaceFilter& f) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce("image:get_metadef", caller, {}));
  GUREUM_ASSIGN_OR_RETURN(std::vector<MetadefNamespace> all, store_.ListNamespaces());
  std::vector<MetadefNamespace> out;
  for (MetadefNamespace& ns : all) {
    if (!Sees(caller, ns)) continue;
    if (!f.visibility.empty() && ns.visibility != f.visibility) continue;
    if (!f.resource_types.empty() &&
        std::none_of(f.resource_types.begin(), f.resource_types.end(),
                     [&](const std::string& t) { return Associated(ns, t); })) {
      continue;
    }
    out.push_back(std::move(ns));
  }
  return out;
}

absl::StatusOr<MetadefNamespace> MetadefManager::Change(const Caller& caller, const std::string& ns,
                                                        const MetadefStore::MutateFn& fn) {
  GUREUM_RETURN_IF_ERROR(CanModify(caller));
  return store_.MutateNamespace(ns, [&](MetadefNamespace& n) -> absl::Status {
    if (!Sees(caller, n)) return MetadefNamespaceNotFound(ns);
    GUREUM_RETURN_IF_ERROR(fn(n));
    n.updated_at = clock_.Now();
    return absl::OkStatus();
  });
}

absl::Status MetadefManager::DeleteInside(const Caller& caller, const std::string& ns,
                                          const MetadefStore::MutateFn& fn) {
  return Change(caller, ns,
                [&](MetadefNamespace& n) -> absl::Status {
                  if (n.is_protected) {
                    return absl::PermissionDeniedError(
                        "Namespace " + ns +
                        " is protected: nothing in it can be deleted. Unset "
                        "protected first.");
                  }
                  return fn(n);
                })
      .status();
}

absl::StatusOr<MetadefNamespace> MetadefManager::UpdateNamespace(const Caller& caller,
                                                                 const std::string& name,
                                                                 const MetadefNamespaceUpdate& u) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("namespace", u.name, kMaxNamespaceName));
  if (!u.visibility.empty()) GUREUM_RETURN_IF_ERROR(CheckMetadefVisibility(u.visibility));
  absl::StatusOr<MetadefNamespace> out = Change(caller, name, [&](MetadefNamespace& n) {
    n.name = u.name;
    n.display_name = u.display_name;
    n.description = u.description;
    if (!u.visibility.empty()) n.visibility = u.visibility;
    if (u.is_protected) n.is_protected = *u.is_protected;
    return absl::OkStatus();
  });
  if (absl::IsAlreadyExists(out.status())) {
    return absl::AlreadyExistsError("Metadata definition namespace " + u.name + " already exists.");
  }
  return out;
}

absl::Status MetadefManager::DeleteNamespace(const Caller& caller, const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns, GetNamespace(caller, name));
  GUREUM_RETURN_IF_ERROR(CanModify(caller));
  if (ns.is_protected) {
    return absl::PermissionDeniedError("Namespace " + name +
                                       " is protected and cannot be deleted. Unset protected "
                                       "first.");
  }
  return store_.DeleteNamespace(name);
}

absl::StatusOr<ResourceTypeAssociation> MetadefManager::Associate(
    const Caller& caller, const std::string& ns, ResourceTypeAssociation association) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("resource type", association.name, kMaxMetadefName));
  association.created_at = association.updated_at = clock_.Now();
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           if (Associated(n, association.name)) {
                             return absl::AlreadyExistsError(
                                 "Resource type " + association.name +
                                 " is already associated with namespace " + ns + ".");
                           }
                           n.resource_types.push_back(association);
                           return absl::OkStatus();
                         }).status());
  return association;
}

absl::Status MetadefManager::Dissociate(const Caller& caller, const std::string& ns,
                                        const std::string& resource_type) {
  return DeleteInside(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
    auto it =
        std::find_if(n.resource_types.begin(), n.resource_types.end(),
                     [&](const ResourceTypeAssociation& r) { return r.name == resource_type; });
    if (it == n.resource_types.end()) {
      return absl::NotFoundError("Resource type " + resource_type +
                                 " is not associated with namespace " + ns + ".");
    }
    n.resource_types.erase(it);
    return absl::OkStatus();
  });
}

}  // namespace gureum::image
