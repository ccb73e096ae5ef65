// The Neutron v2.0 REST API (port 9696) over NetworkManagers: version discovery, extensions,
// networks, subnets, ports, security groups and rules, routers (+ add/remove interface),
// floating IPs, quotas and agents, bulk creates of networks, subnets and ports, tags, in
// the JSON shapes python3-openstackclient 6.0 and openstacksdk send and expect. Errors are
// {"NeutronError":{"type","message","detail"}}.
//
//   NetworkRest rest(manager, authenticate, {});
//   http::Server server(NetworkRest::ServerOptions("0.0.0.0", 9696, &metrics));
//   rest.Register(server);
//
// Every route but discovery needs X-Auth-Token. Query-string filters: keys the manager
// knows go into SQL; any other attribute of the resource is matched on its JSON form
// (fixed_ips=ip_address=..., router:external=True, ...); fields= narrows the attributes.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "network/server/network_errors.h"
#include "network/server/network_managers.h"

namespace gureum::network {

using Authenticate = http::TokenVerifier;

struct NetworkRestOptions {
  std::string public_url;  // links start here: http::ApiBaseUrl(...) or service::PublicBaseUrl
};

class NetworkRest {
 public:
  NetworkRest(NetworkManagers& manager, Authenticate authenticate, NetworkRestOptions options);

  void Register(http::Server& server);
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  using Handler = std::function<void(const Caller&, http::Request&, http::Response&)>;
  http::Handler Authed(Handler h);
  std::string BaseUrl() const;
  // The X-Auth-Token check and Neutron's error envelope come from common/http's REST kit.
  // The routes, by resource family (Register calls them all).
  void RegisterDiscovery(http::Server& server);
  void RegisterNetworks(http::Server& server);  // and subnets
  void RegisterPorts(http::Server& server);
  void RegisterSecurityGroups(http::Server& server);  // and their rules
  void RegisterRouters(http::Server& server);         // and floating IPs
  void RegisterRouterInterfaces(http::Server& server);
  void RegisterQuotas(http::Server& server);
  void RegisterAgents(http::Server& server);
  // /v2.0/{networks,subnets,ports,routers,security-groups}/{id}/tags (network_rest_tags.cc)
  void RegisterTags(http::Server& server);

  NetworkManagers& manager_;
  NetworkRestOptions options_;
  std::shared_ptr<const http::RestApiOptions> rest_;
};

// JSON mapping (network_rest_json.cc), exposed for tests. `admin` adds the admin-only
// attributes (provider:*, binding:*).
nlohmann::json NetworkJson(const v1::Network& n, bool admin);
nlohmann::json SubnetJson(const v1::Subnet& s);
nlohmann::json PortJson(const v1::Port& p, bool admin);
nlohmann::json GroupJson(const v1::SecurityGroup& g);
nlohmann::json RuleJson(const v1::SecurityGroupRule& r);
nlohmann::json RouterJson(const v1::Router& r);
nlohmann::json FloatingIpJson(const v1::FloatingIp& f);
nlohmann::json AgentJson(const v1::Agent& a);

absl::Status ParseNetwork(const nlohmann::json& j, v1::Network* out, Fields* given);
absl::Status ParseSubnet(const nlohmann::json& j, v1::Subnet* out, Fields* given);
absl::Status ParsePort(const nlohmann::json& j, v1::Port* out, Fields* given);
absl::Status ParseGroup(const nlohmann::json& j, v1::SecurityGroup* out, Fields* given);
absl::Status ParseRule(const nlohmann::json& j, v1::SecurityGroupRule* out, Fields* given);
absl::Status ParseRouter(const nlohmann::json& j, v1::Router* out, Fields* given);
absl::Status ParseFloatingIp(const nlohmann::json& j, v1::FloatingIp* out, Fields* given);

// Shared by the adapter's files: Neutron's error body for `s`; the object under `key` of
// the request's JSON body (400 without it); the query string as filters.
void ErrorAnswer(http::Response& res, const absl::Status& s);
absl::StatusOr<nlohmann::json> BodyOf(const http::Request& req, const char* key);
Filters ToFilters(const http::Request& req);

// Neutron's exception name for an error kind (network_errors.h), the "type" of its error
// body; "" for kNone.
const char* NeutronType(ErrorKind kind);

// Keeps the items of `list` whose attributes match every query filter (see the header).
nlohmann::json FilterList(const nlohmann::json& list,
                          const std::multimap<std::string, std::string>& query);

}  // namespace gureum::network
