// MetadefManager: what a namespace holds (objects, properties, tags).
#include <algorithm>

#include "common/status/macros.h"
#include "image/metadef_manager.h"
#include "image/metadef_validation.h"

namespace gureum::image {
namespace {

template <typename T>
auto FindNamed(std::vector<T>& items, const std::string& name) {
  return std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
}

absl::Status Missing(const std::string& what, const std::string& name, const std::string& ns) {
  return absl::NotFoundError("Metadata definition " + what + " " + name +
                             " was not found in namespace " + ns + ".");
}

absl::Status Taken(const std::string& what, const std::string& name, const std::string& ns) {
  return absl::AlreadyExistsError("A metadata definition " + what + " named " + name +
                                  " already exists in namespace " + ns + ".");
}

}  // namespace

absl::StatusOr<MetadefObject> MetadefManager::CreateObject(const Caller& caller,
                                                           const std::string& ns,
                                                           MetadefObject object) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefObject(object));
  object.created_at = object.updated_at = clock_.Now();
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           if (FindNamed(n.objects, object.name) != n.objects.end()) {
                             return Taken("object", object.name, ns);
                           }
                           n.objects.push_back(object);
                           return absl::OkStatus();
                         }).status());
  return object;
}

absl::StatusOr<MetadefObject> MetadefManager::GetObject(const Caller& caller, const std::string& ns,
                                                        const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace n, GetNamespace(caller, ns));
  auto it = FindNamed(n.objects, name);
  if (it == n.objects.end()) return Missing("object", name, ns);
  return *it;
}

absl::StatusOr<MetadefObject> MetadefManager::UpdateObject(const Caller& caller,
                                                           const std::string& ns,
                                                           const std::string& name,
                                                           MetadefObject object) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefObject(object));
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           auto it = FindNamed(n.objects, name);
                           if (it == n.objects.end()) return Missing("object", name, ns);
                           if (object.name != name &&
                               FindNamed(n.objects, object.name) != n.objects.end()) {
                             return Taken("object", object.name, ns);
                           }
                           object.created_at = it->created_at;
                           object.updated_at = clock_.Now();
                           *it = object;
                           return absl::OkStatus();
                         }).status());
  return object;
}

absl::Status MetadefManager::DeleteObject(const Caller& caller, const std::string& ns,
                                          const std::string& name) {
  return DeleteInside(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
    auto it = FindNamed(n.objects, name);
    if (it == n.objects.end()) return Missing("object", name, ns);
    n.objects.erase(it);
    return absl::OkStatus();
  });
}

absl::Status MetadefManager::DeleteAllObjects(const Caller& caller, const std::string& ns) {
  return DeleteInside(caller, ns, [](MetadefNamespace& n) {
    n.objects.clear();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> MetadefManager::CreateProperty(const Caller& caller,
                                                           const std::string& ns,
                                                           const std::string& name,
                                                           const std::string& def) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("property", name, kMaxMetadefName));
  GUREUM_RETURN_IF_ERROR(CheckPropertyDefinition(def));
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           if (!n.properties.emplace(name, def).second) {
                             return Taken("property", name, ns);
                           }
                           return absl::OkStatus();
                         }).status());
  return def;
}

absl::StatusOr<std::string> MetadefManager::GetProperty(const Caller& caller, const std::string& ns,
                                                        const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace n, GetNamespace(caller, ns));
  auto it = n.properties.find(name);
  if (it == n.properties.end()) return Missing("property", name, ns);
  return it->second;
}

absl::StatusOr<std::string> MetadefManager::UpdateProperty(const Caller& caller,
                                                           const std::string& ns,
                                                           const std::string& name,
                                                           const std::string& new_name,
                                                           const std::string& def) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("property", new_name, kMaxMetadefName));
  GUREUM_RETURN_IF_ERROR(CheckPropertyDefinition(def));
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           if (n.properties.count(name) == 0) return Missing("property", name, ns);
                           if (new_name != name && n.properties.count(new_name)) {
                             return Taken("property", new_name, ns);
                           }
                           n.properties.erase(name);
                           n.properties[new_name] = def;
                           return absl::OkStatus();
                         }).status());
  return def;
}

absl::Status MetadefManager::DeleteProperty(const Caller& caller, const std::string& ns,
                                            const std::string& name) {
  return DeleteInside(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
    if (n.properties.erase(name) == 0) return Missing("property", name, ns);
    return absl::OkStatus();
  });
}

absl::Status MetadefManager::DeleteAllProperties(const Caller& caller, const std::string& ns) {
  return DeleteInside(caller, ns, [](MetadefNamespace& n) {
    n.properties.clear();
    return absl::OkStatus();
  });
}

absl::StatusOr<MetadefTag> MetadefManager::CreateTag(const Caller& caller, const std::string& ns,
                                                     const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<MetadefTag> made, CreateTags(caller, ns, {name}, true));
  return made.at(0);
}

absl::StatusOr<std::vector<MetadefTag>> MetadefManager::CreateTags(
    const Caller& caller, const std::string& ns, const std::vector<std::string>& names,
    bool append) {
  std::vector<MetadefTag> made;
  const absl::Time now = clock_.Now();
  for (const std::string& name : names) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefName("tag", name, kMaxMetadefName));
    if (FindNamed(made, name) != made.end()) return Taken("tag", name, ns);
    made.push_back({name, now, now});
  }
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           if (!append) n.tags.clear();
                           for (const MetadefTag& t : made) {
                             if (FindNamed(n.tags, t.name) != n.tags.end()) {
                               return Taken("tag", t.name, ns);
                             }
                             n.tags.push_back(t);
                           }
                           return absl::OkStatus();
                         }).status());
  return made;
}

absl::StatusOr<MetadefTag> MetadefManager::GetTag(const Caller& caller, const std::string& ns,
                                                  const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace n, GetNamespace(caller, ns));
  auto it = FindNamed(n.tags, name);
  if (it == n.tags.end()) return Missing("tag", name, ns);
  return *it;
}

absl::StatusOr<MetadefTag> MetadefManager::UpdateTag(const Caller& caller, const std::string& ns,
                                                     const std::string& name,
                                                     const std::string& new_name) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("tag", new_name, kMaxMetadefName));
  MetadefTag out;
  GUREUM_RETURN_IF_ERROR(Change(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
                           auto it = FindNamed(n.tags, name);
                           if (it == n.tags.end()) return Missing("tag", name, ns);
                           if (new_name != name && FindNamed(n.tags, new_name) != n.tags.end()) {
                             return Taken("tag", new_name, ns);
                           }
                           it->name = new_name;
                           it->updated_at = clock_.Now();
                           out = *it;
                           return absl::OkStatus();
                         }).status());
  return out;
}

absl::Status MetadefManager::DeleteTag(const Caller& caller, const std::string& ns,
                                       const std::string& name) {
  return DeleteInside(caller, ns, [&](MetadefNamespace& n) -> absl::Status {
    auto it = FindNamed(n.tags, name);
    if (it == n.tags.end()) return Missing("tag", name, ns);
    n.tags.erase(it);
    return absl::OkStatus();
  });
}

absl::Status MetadefManager::DeleteAllTags(const Caller& caller, const std::string& ns) {
  return DeleteInside(caller, ns, [](MetadefNamespace& n) {
    n.tags.clear();
    return absl::OkStatus();
  });
}

}  // namespace gureum::image
