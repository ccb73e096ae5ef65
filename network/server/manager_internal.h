// Helpers shared by the manager classes' files (*_manager.cc, manager_core.cc): text
// checks, JSON list columns, an internal admin caller. Not part of any manager's interface.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/caller.h"
#include "network/server/network_errors.h"
#include "network/server/network_options.h"

#include "network.pb.h"

namespace gureum::network {

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

// Whether a fixed_ips entry of the port names an address (not only a subnet).
inline bool NamesAnAddress(const v1::Port& port) {
  for (const auto& f : port.fixed_ips()) {
    if (!f.ip_address().empty()) return true;
  }
  return false;
}

}  // namespace internal
}  // namespace gureum::network
