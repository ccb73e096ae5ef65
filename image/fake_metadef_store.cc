#include "image/fake_metadef_store.h"

namespace gureum::image {

absl::Status FakeMetadefStore::CreateNamespace(const MetadefNamespace& ns) {
  absl::MutexLock lock(&mu_);
  if (!namespaces_.emplace(ns.name, ns).second) {
    return absl::AlreadyExistsError("Metadata definition namespace " + ns.name + " exists.");
  }
  return absl::OkStatus();
}

absl::StatusOr<MetadefNamespace> FakeMetadefStore::GetNamespace(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto it = namespaces_.find(name);
  if (it == namespaces_.end()) return MetadefNamespaceNotFound(name);
  return it->second;
}

absl::StatusOr<std::vector<MetadefNamespace>> FakeMetadefStore::ListNamespaces() {
  absl::MutexLock lock(&mu_);
  std::vector<MetadefNamespace> out;
  for (const auto& [name, ns] : namespaces_) out.push_back(ns);
  return out;
}

absl::StatusOr<MetadefNamespace> FakeMetadefStore::MutateNamespace(const std::string& name,
                                                                   const MutateFn& fn) {
  absl::MutexLock lock(&mu_);
  auto it = namespaces_.find(name);
  if (it == namespaces_.end()) return MetadefNamespaceNotFound(name);
  MetadefNamespace next = it->second;
  if (absl::Status s = fn(next); !s.ok()) return s;
  if (next.name != name) {
    if (namespaces_.count(next.name)) {
      return absl::AlreadyExistsError("Metadata definition namespace " + next.name + " exists.");
    }
    namespaces_.erase(it);
    namespaces_.emplace(next.name, next);
  } else {
    it->second = next;
  }
  return next;
}

absl::Status FakeMetadefStore::DeleteNamespace(const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (namespaces_.erase(name) == 0) return MetadefNamespaceNotFound(name);
  return absl::OkStatus();
}

}  // namespace gureum::image
