// Helpers shared by the network_manager_*.cc files: row <-> proto mapping, JSON list
// columns and role checks. Not part of the manager's interface.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/caller.h"
#include "network/server/network_errors.h"
#include "network/server/network_manager.h"

#include "network.pb.h"

namespace gureum::network {

struct NetworkManager::Casts {
  std::set<std::string> hosts;
  std::string reason;
  void Add(const std::string& host) {
    if (!host.empty()) hosts.insert(host);
  }
};

namespace internal {

// For internal lookups that must see every project's rows.
inline Caller AdminCaller() {
  Caller c;
  c.roles = {"admin"};
  c.system_scope = true;  // a cloud admin under every meaning of the word (common/policy)
  return c;
}

// Neutron's limits on the free text of any resource: name and description (255
// characters each), tags (60 each); NUL bytes and invalid UTF-8 are refused. Looks the
// fields up by name, so it serves every resource message. InvalidInput (400) naming the field.
absl::Status CheckTexts(const google::protobuf::Message& m);

// JSON list columns.
std::string StringsJson(const google::protobuf::RepeatedPtrField<std::string>& v);
void StringsFromJson(const std::string& text, google::protobuf::RepeatedPtrField<std::string>* out);
std::string Iso(absl::Time t);

inline bool Given(const Fields& f, const char* name) { return f.count(name) > 0; }

}  // namespace internal
}  // namespace gureum::network
