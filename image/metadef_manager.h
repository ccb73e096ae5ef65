// MetadefManager: Glance's metadata definitions catalog (metadefs): namespaces and, in each,
// objects, properties, tags and the resource types it applies to.
//
// Who sees what (Glance's defaults): reading needs a role on the token's project
// (`image:get_metadef`), and shows public namespaces, the caller's project's private ones,
// and everything to admins; another project's private namespace is 404. Every change is
// an admin's (`image:modify_metadef`). A protected namespace cannot be deleted, nor can
// anything in it; unset `protected` first (403 otherwise).
//
// Validation: namespace names 1..80 characters, other names 1..255, visibility public or
// private, property definitions JSON objects with a `title` and a JSON-schema `type`;
// a duplicate name in a namespace is 409. Errors: NotFound (404), InvalidArgument (400),
// PermissionDenied (403), AlreadyExists (409).
//
// Thread-safe; blocking (the store).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/policy/enforcer.h"
#include "image/metadef_store.h"

namespace gureum::image {

struct ResourceType {
  std::string name;
  absl::Time created_at;
  absl::Time updated_at;
};

struct MetadefNamespaceFilter {
  std::string visibility;                   // "" any
  std::vector<std::string> resource_types;  // any of them; empty: any
};

// A PUT of a namespace: its own fields (what it holds is changed through its sub-resources).
struct MetadefNamespaceUpdate {
  std::string name;
  std::string display_name;
  std::string description;
  std::string visibility;  // "" keeps it
  std::optional<bool> is_protected;
};

class MetadefManager {
 public:
  // Collaborators are not owned and must outlive the manager.
  MetadefManager(MetadefStore& store, const policy::Enforcer& enforcer, const Clock& clock);

  absl::StatusOr<std::vector<ResourceType>> ListResourceTypes(const Caller& caller);

  absl::StatusOr<MetadefNamespace> CreateNamespace(const Caller& caller, MetadefNamespace ns);
  absl::StatusOr<MetadefNamespace> GetNamespace(const Caller& caller, const std::string& name);
  absl::StatusOr<std::vector<MetadefNamespace>> ListNamespaces(const Caller& caller,
                                                               const MetadefNamespaceFilter& f);
  absl::StatusOr<MetadefNamespace> UpdateNamespace(const Caller& caller, const std::string& name,
                                                   const MetadefNamespaceUpdate& update);
  absl::Status DeleteNamespace(const Caller& caller, const std::string& name);

  absl::StatusOr<ResourceTypeAssociation> Associate(const Caller& caller, const std::string& ns,
                                                    ResourceTypeAssociation association);
  absl::Status Dissociate(const Caller& caller, const std::string& ns,
                          const std::string& resource_type);

  absl::StatusOr<MetadefObject> CreateObject(const Caller& caller, const std::string& ns,
                                             MetadefObject object);
  absl::StatusOr<MetadefObject> GetObject(const Caller& caller, const std::string& ns,
                                          const std::string& name);
  absl::StatusOr<MetadefObject> UpdateObject(const Caller& caller, const std::string& ns,
                                             const std::string& name, MetadefObject object);
  absl::Status DeleteObject(const Caller& caller, const std::string& ns, const std::string& name);
  absl::Status DeleteAllObjects(const Caller& caller, const std::string& ns);

  // A property's definition is a JSON object (text) without its name.
  absl::StatusOr<std::string> CreateProperty(const Caller& caller, const std::string& ns,
                                             const std::string& name, const std::string& def);
  absl::StatusOr<std::string> GetProperty(const Caller& caller, const std::string& ns,
                                          const std::string& name);
  absl::StatusOr<std::string> UpdateProperty(const Caller& caller, const std::string& ns,
                                             const std::string& name, const std::string& new_name,
                                             const std::string& def);
  absl::Status DeleteProperty(const Caller& caller, const std::string& ns, const std::string& name);
  absl::Status DeleteAllProperties(const Caller& caller, const std::string& ns);

  absl::StatusOr<MetadefTag> CreateTag(const Caller& caller, const std::string& ns,
                                       const std::string& name);
  // Replaces the namespace's tags with `names` (or adds them: `append`).
  absl::StatusOr<std::vector<MetadefTag>> CreateTags(const Caller& caller, const std::string& ns,
                                                     const std::vector<std::string>& names,
                                                     bool append);
  absl::StatusOr<MetadefTag> GetTag(const Caller& caller, const std::string& ns,
                                    const std::string& name);
  absl::StatusOr<MetadefTag> UpdateTag(const Caller& caller, const std::string& ns,
                                       const std::string& name, const std::string& new_name);
  absl::Status DeleteTag(const Caller& caller, const std::string& ns, const std::string& name);
  absl::Status DeleteAllTags(const Caller& caller, const std::string& ns);

 private:
  absl::Status CanModify(const Caller& caller) const;
  bool Sees(const Caller& caller, const MetadefNamespace& ns) const;
  // A change of the namespace `ns` by an admin, under the store's lock.
  absl::StatusOr<MetadefNamespace> Change(const Caller& caller, const std::string& ns,
                                          const MetadefStore::MutateFn& fn);
  // Change, refused (403) while the namespace is protected: deletes inside it.
  absl::Status DeleteInside(const Caller& caller, const std::string& ns,
                            const MetadefStore::MutateFn& fn);

  MetadefStore& store_;
  const policy::Enforcer& enforcer_;
  const Clock& clock_;
};

}  // namespace gureum::image
