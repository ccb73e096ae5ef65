// What the network command files share: the endpoint, lookups, text helpers.
#include "cli/gureum/network_common.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gureum::cli::netcmd {
namespace {

// Name-or-id: the id when Get finds it, else the one resource of that name.
template <typename Item, typename List>
absl::StatusOr<std::string> Find(
    Session& s, const NetArgs& a, const std::string& what, const std::string& key,
    grpc::Status (nv1::Networks::Stub::*get)(grpc::ClientContext*, const nv1::Id&, Item*),
    grpc::Status (nv1::Networks::Stub::*list)(grpc::ClientContext*, const nv1::ListRequest&, List*),
    std::function<const google::protobuf::RepeatedPtrField<Item>&(const List&)> items) {
  if (auto got = Call(s, a, get, IdOf(key)); got.ok()) return key;
  GUREUM_ASSIGN_OR_RETURN(List found, Call(s, a, list, ByName(key)));
  const auto& v = items(found);
  if (v.empty())
    return absl::NotFoundError("No " + what + " with a name or ID of '" + key + "' exists.");
  if (v.size() > 1)
    return absl::FailedPreconditionError("More than one " + what + " exists with the name '" + key +
                                         "'.");
  return v[0].id();
}

}  // namespace

absl::StatusOr<std::string> NetworkEndpoint(const std::string& option, Session& s) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("OS_NETWORK_GRPC"); env != nullptr && *env != '\0') return env;
  GUREUM_ASSIGN_OR_RETURN(std::string identity, IdentityGrpcFromAuthUrl(s.settings().auth_url));
  return absl::StrCat(identity.substr(0, identity.rfind(':')), ":", kNetworkGrpcPort);
}

nv1::ListRequest ByName(const std::string& name) {
  nv1::ListRequest r;
  (*r.mutable_filters())["name"] = name;
  return r;
}

nv1::Id IdOf(const std::string& id) {
  nv1::Id r;
  r.set_id(id);
  return r;
}

absl::StatusOr<std::string> FindNetwork(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Network, nv1::NetworkList>(
      s, a, "network", key, &nv1::Networks::Stub::GetNetwork, &nv1::Networks::Stub::ListNetworks,
      [](const nv1::NetworkList& l) -> const auto& { return l.networks(); });
}
absl::StatusOr<std::string> FindSubnet(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Subnet, nv1::SubnetList>(
      s, a, "subnet", key, &nv1::Networks::Stub::GetSubnet, &nv1::Networks::Stub::ListSubnets,
      [](const nv1::SubnetList& l) -> const auto& { return l.subnets(); });
}
absl::StatusOr<std::string> FindPort(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Port, nv1::PortList>(
      s, a, "port", key, &nv1::Networks::Stub::GetPort, &nv1::Networks::Stub::ListPorts,
      [](const nv1::PortList& l) -> const auto& { return l.ports(); });
}
absl::StatusOr<std::string> FindGroup(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::SecurityGroup, nv1::SecurityGroupList>(
      s, a, "security group", key, &nv1::Networks::Stub::GetSecurityGroup,
      &nv1::Networks::Stub::ListSecurityGroups,
      [](const nv1::SecurityGroupList& l) -> const auto& { return l.security_groups(); });
}
absl::StatusOr<std::string> FindRouter(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Router, nv1::RouterList>(
      s, a, "router", key, &nv1::Networks::Stub::GetRouter, &nv1::Networks::Stub::ListRouters,
      [](const nv1::RouterList& l) -> const auto& { return l.routers(); });
}

std::string FixedIpsText(const google::protobuf::RepeatedPtrField<nv1::FixedIp>& ips) {
  std::vector<std::string> parts;
  for (const auto& f : ips)
    parts.push_back("ip_address='" + f.ip_address() + "', subnet_id='" + f.subnet_id() + "'");
  return absl::StrJoin(parts, "\n");
}

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> k;
  for (const auto& [key, v] : j.items()) k.push_back(key);
  return k;
}

}  // namespace gureum::cli::netcmd
