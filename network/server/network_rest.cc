// Neutron v2.0 REST handlers: decode, call a manager, encode.
#include "network/server/network_rest.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "network/server/network_errors.h"

namespace gureum::network {

using http::Request;
using http::Response;
using nlohmann::json;

void ErrorAnswer(Response& res, const absl::Status& s) {
  std::string type = NeutronType(ErrorKindOf(s));
  if (type.empty()) {
    res.Error(s);  // the server's Neutron envelope with the generic HTTP type
    return;
  }
  res.Json(
      HttpStatusCode(s),
      {{"NeutronError", {{"type", type}, {"message", std::string(s.message())}, {"detail", ""}}}});
}

namespace {

// Shown the admin-only fields (provider:*, binding:*): a cloud admin (the policy's
// context_is_admin, not the admin role on any project) or a service.
bool IsAdminOrService(const NetworkManagers& m, const Caller& c) {
  return m.access().IsAdmin(c) || c.HasRole("service");
}

}  // namespace

Filters ToFilters(const Request& req) {
  Filters f;
  for (const auto& [k, v] : req.query) f[k].push_back(v);
  return f;
}

absl::StatusOr<json> BodyOf(const Request& req, const char* key) {
  auto body = req.JsonBody();
  if (!body.ok()) return BadRequest(std::string(body.status().message()));
  if (!body->contains(key))
    return BadRequest(std::string("Resource body required: '") + key + "'.");
  return (*body)[key];
}

namespace {

struct Extension {
  const char* alias;
  const char* name;
  const char* description;
};

const Extension kExtensions[] = {
    {"agent", "agent", "The agent management extension."},
    {"allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"},
    {"binding", "Port Binding", "Expose port bindings of a virtual port to external application"},
    {"external-net", "Neutron external network",
     "Adds external network attribute to network resource."},
    {"ip-substring-filtering", "IP address substring filtering",
     "Provides IP address substring filtering when listing ports"},
    {"extra_dhcp_opt", "Neutron Extra DHCP options", "Extra options configuration for DHCP."},
    {"ext-gw-mode", "Neutron L3 Configurable external gateway mode",
     "Extension of the router abstraction for "
     "specifying whether SNAT should occur."},
    {"network-mtu", "Network MTU", "Provides MTU attribute for a network resource."},
    {"port-security", "Port Security", "Provides port security"},
    {"project-id", "project_id field enabled",
     "Extension that indicates that project_id field is enabled."},
    {"provider", "Provider Network", "Expose mapping of virtual networks to physical networks"},
    {"quotas", "Quota management support", "Expose functions for quotas management per project"},
    {"quota_details", "Quota details management support",
     "Expose functions for quotas usage statistics per project"},
    {"router", "Neutron L3 Router",
     "Router abstraction for basic L3 forwarding between L2 Neutron networks and "
     "access to external networks via a NAT gateway."},
    {"security-group", "security-group", "The security groups extension."},
    {"standard-attr-description", "standard-attr-description",
     "Extension to add descriptions to standard attributes"},
    {"standard-attr-revisions", "Resource revision numbers",
     "This extension will display the revision number of "
     "neutron resources."},
    {"standard-attr-tag", "Tag support for resources with standard attribute",
     "Enables to set tag on resources with "
     "standard attribute."},
    {"tag", "Tag support", "Enables to set tag on resources."},
    {"standard-attr-timestamp", "Resource timestamps",
     "Adds created_at and updated_at fields to all Neutron resources "
     "that have Neutron standard attributes."},
};

json ExtensionJson(const Extension& e) {
  return {{"alias", e.alias},
          {"name", e.name},
          {"description", e.description},
          {"updated", "2013-01-01T00:00:00-00:00"},
          {"links", json::array()}};
}

json InterfaceJson(const RouterInterface& i, const std::string& network_id) {
  return {{"id", i.router_id},       {"tenant_id", i.project_id}, {"project_id", i.project_id},
          {"port_id", i.port_id},    {"subnet_id", i.subnet_id},  {"subnet_ids", i.subnet_ids},
          {"network_id", network_id}};
}

using CallerHandler = std::function<void(const Caller&, Request&, Response&)>;
using Wrap = std::function<http::Handler(CallerHandler)>;

// What the five routes of one resource call: the manager's operations and the JSON mapping.
template <typename T>
struct ResourceRoutes {
  std::string plural;    // the collection in the URL: security-groups
  const char* singular;  // the body's key: security_group
  std::function<json(const Caller&, const T&)> to_json;
  std::function<absl::Status(const json&, T*, Fields*)> parse;
  std::function<absl::StatusOr<T>(const Caller&, const T&, const Fields&)> create;
  // Neutron's bulk create ({"networks": [...]}); unset: the resource has none.
  std::function<absl::StatusOr<std::vector<T>>(const Caller&, const std::vector<T>&,
                                               const std::vector<Fields>&)>
      create_many;
  std::function<absl::StatusOr<T>(const Caller&, const std::string&)> get;
  std::function<absl::StatusOr<std::vector<T>>(const Caller&, const Filters&)> list;
  std::function<absl::StatusOr<T>(const Caller&, const T&, const Fields&)> update;
  std::function<absl::Status(const Caller&, const std::string&)> remove;
};

// The key of a collection in bodies: security-groups -> security_groups.
std::string CollectionKey(std::string plural) {
  std::replace(plural.begin(), plural.end(), '-', '_');
  return plural;
}

std::multimap<std::string, std::string> FieldsQuery(const Request& q) {
  std::multimap<std::string, std::string> fields;
  auto [lo, hi] = q.query.equal_range("fields");
  fields.insert(lo, hi);
  return fields;
}

// A list answer: the query's filters, then pagination (limit, marker) over the stable
// created_at, id order of the lists (the marker applies before fields= narrows the items),
// then fields=. `collection` is the URL of the collection, for the next link.
void ListAnswer(Request& q, Response& r, const json& items, const std::string& plural,
                const std::string& collection) {
  const std::string key = CollectionKey(plural);
  std::multimap<std::string, std::string> no_fields = q.query;
  no_fields.erase("fields");
  json all = FilterList(items, no_fields);
  json page = json::array();
  size_t start = 0;
  if (auto marker = q.Query("marker")) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].value("id", "") == *marker) start = i + 1;
    }
  }
  long limit = 0;
  if (auto l = q.Query("limit"); l && (!absl::SimpleAtoi(*l, &limit) || limit < 0)) {
    return ErrorAnswer(r, BadRequest("limit must be a non-negative integer."));
  }
  const size_t end =
      limit > 0 ? std::min(all.size(), start + static_cast<size_t>(limit)) : all.size();
  for (size_t i = start; i < end; ++i) page.push_back(all[i]);
  json out = {{key, FilterList(page, FieldsQuery(q))}};
  if (limit > 0 && end < all.size() && !page.empty()) {
    out[key + "_links"] = json::array({{{"rel", "next"},
                                        {"href", collection + "?limit=" + std::to_string(limit) +
                                                     "&marker=" + page.back().value("id", "")}}});
  }
  r.Json(200, out);
}

// GET of the collection and of one item.
template <typename T>
void RegisterReads(http::Server& s, const Wrap& authed, const std::string& collection,
                   const ResourceRoutes<T>& rr) {
  const std::string base = "/v2.0/" + rr.plural;
  s.Route("GET", base, authed([rr, collection](const Caller& c, Request& q, Response& r) {
            auto items = rr.list(c, ToFilters(q));
            if (!items.ok()) return ErrorAnswer(r, items.status());
            json a = json::array();
            for (const auto& i : *items) a.push_back(rr.to_json(c, i));
            ListAnswer(q, r, a, rr.plural, collection);
          }));
  s.Route("GET", base + "/{id}", authed([rr](const Caller& c, Request& q, Response& r) {
            auto item = rr.get(c, q.PathParam("id"));
            if (!item.ok()) return ErrorAnswer(r, item.status());
            json one = json::array({rr.to_json(c, *item)});
            r.Json(200, {{rr.singular, FilterList(one, FieldsQuery(q))[0]}});
          }));
}

// A bulk create: every item parsed, then one call that makes all of them or none.
template <typename T>
void CreateMany(const ResourceRoutes<T>& rr, const Caller& c, const json& body, Response& r) {
  const std::string key = CollectionKey(rr.plural);
  const json& items = body[key];
  if (!items.is_array() || items.empty())
    return ErrorAnswer(r, BadRequest("'" + key + "' must be a non-empty list."));
  std::vector<T> in(items.size());
  std::vector<Fields> given(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (absl::Status st = rr.parse(items[i], &in[i], &given[i]); !st.ok())
      return ErrorAnswer(r, st);
  }
  auto made = rr.create_many(c, in, given);
  if (!made.ok()) return ErrorAnswer(r, made.status());
  json list = json::array();
  for (const T& x : *made) list.push_back(rr.to_json(c, x));
  r.Json(201, {{key, list}});
}

// POST, PUT and DELETE.
template <typename T>
void RegisterWrites(http::Server& s, const Wrap& authed, const ResourceRoutes<T>& rr) {
  const std::string base = "/v2.0/" + rr.plural;
  s.Route("POST", base, authed([rr](const Caller& c, Request& q, Response& r) {
            if (rr.create_many) {
              if (auto all = q.JsonBody();
                  all.ok() && all->is_object() && all->contains(CollectionKey(rr.plural))) {
                return CreateMany(rr, c, *all, r);
              }
            }
            auto body = BodyOf(q, rr.singular);
            if (!body.ok()) return ErrorAnswer(r, body.status());
            T in;
            Fields given;
            if (absl::Status st = rr.parse(*body, &in, &given); !st.ok()) return ErrorAnswer(r, st);
            auto made = rr.create(c, in, given);
            if (!made.ok()) return ErrorAnswer(r, made.status());
            r.Json(201, {{rr.singular, rr.to_json(c, *made)}});
          }));
  s.Route("PUT", base + "/{id}", authed([rr](const Caller& c, Request& q, Response& r) {
            auto body = BodyOf(q, rr.singular);
            if (!body.ok()) return ErrorAnswer(r, body.status());
            T in;
            Fields given;
            if (absl::Status st = rr.parse(*body, &in, &given); !st.ok()) return ErrorAnswer(r, st);
            if (given.count("project_id"))
              return ErrorAnswer(r, BadRequest("Cannot update read-only attribute project_id"));
            in.set_id(q.PathParam("id"));
            auto done = rr.update(c, in, given);
            if (!done.ok()) return ErrorAnswer(r, done.status());
            r.Json(200, {{rr.singular, rr.to_json(c, *done)}});
          }));
  s.Route("DELETE", base + "/{id}", authed([rr](const Caller& c, Request& q, Response& r) {
            absl::Status st = rr.remove(c, q.PathParam("id"));
            if (!st.ok()) return ErrorAnswer(r, st);
            r.Empty(204);
          }));
}

template <typename T>
void RegisterResource(http::Server& s, const Wrap& authed, const std::string& base_url,
                      const ResourceRoutes<T>& rr) {
  RegisterReads(s, authed, base_url + "/v2.0/" + rr.plural, rr);
  RegisterWrites(s, authed, rr);
}

}  // namespace

http::ServerOptions NetworkRest::ServerOptions(const std::string& host, int port,
                                               metrics::Metrics* metrics) {
  http::ServerOptions o;
  o.host = host;
  o.port = port;
  o.max_body_bytes = 1 << 20;
  o.error_style = ErrorStyle::kNeutron;
  o.metrics = metrics;
  return o;
}

NetworkRest::NetworkRest(NetworkManagers& manager, Authenticate authenticate,
                         NetworkRestOptions options)
    : manager_(manager),
      options_(std::move(options)),
      rest_(std::make_shared<const http::RestApiOptions>(http::RestApiOptions{
          .base_url = http::ApiBaseUrl(options_.public_url, "localhost", 9696, "/v2.0"),
          .verify = std::move(authenticate),
          .auth_required_message = "Authentication required."})) {}

std::string NetworkRest::BaseUrl() const { return rest_->base_url; }

// The handlers write their answers (and Neutron's errors) themselves.
http::Handler NetworkRest::Authed(Handler h) {
  return http::AuthenticatedHandler(rest_, [h = std::move(h)](http::RestCall& call) {
    h(call.caller, call.req, call.res);
    return absl::OkStatus();
  });
}

void NetworkRest::Register(http::Server& s) {
  RegisterDiscovery(s);
  RegisterNetworks(s);
  RegisterPorts(s);
  RegisterSecurityGroups(s);
  RegisterRouters(s);
  RegisterQuotas(s);
  RegisterAgents(s);
  RegisterTags(s);
}

void NetworkRest::RegisterDiscovery(http::Server& s) {
  s.Route("GET", "/", [this](Request&, Response& r) {
    r.Json(200,
           {{"versions",
             json::array({{{"id", "v2.0"},
                           {"status", "CURRENT"},
                           {"links",
                            json::array({{{"rel", "self"}, {"href", BaseUrl() + "/v2.0/"}}})}}})}});
  });
  s.Route("GET", "/v2.0", [this](Request&, Response& r) {
    json resources = json::array();
    for (const char* c : {"networks", "subnets", "ports", "security-groups", "security-group-rules",
                          "routers", "floatingips", "quotas", "agents"}) {
      std::string name = c;
      resources.push_back(
          {{"collection", name},
           {"name", name.substr(0, name.size() - 1)},
           {"links", json::array({{{"rel", "self"}, {"href", BaseUrl() + "/v2.0/" + name}}})}});
    }
    r.Json(200, {{"resources", resources}});
  });
  s.Route("GET", "/v2.0/extensions", Authed([](const Caller&, Request&, Response& r) {
            json list = json::array();
            for (const auto& e : kExtensions) list.push_back(ExtensionJson(e));
            r.Json(200, {{"extensions", list}});
          }));
  s.Route("GET", "/v2.0/extensions/{alias}", Authed([](const Caller&, Request& q, Response& r) {
            for (const auto& e : kExtensions) {
              if (q.PathParam("alias") == e.alias)
                return r.Json(200, {{"extension", ExtensionJson(e)}});
            }
            ErrorAnswer(
                r, NotFoundErr(ErrorKind::kExtensionNotFound,
                               "Extension with alias " + q.PathParam("alias") + " does not exist"));
          }));
}

void NetworkRest::RegisterNetworks(http::Server& s) {
  NetworkManagers& m = manager_;
  const Wrap authed = [this](CallerHandler h) { return Authed(std::move(h)); };
  ResourceRoutes<v1::Network> networks{"networks", "network"};
  networks.to_json = [&m](const Caller& c, const v1::Network& n) {
    return NetworkJson(n, IsAdminOrService(m, c));
  };
  networks.parse = ParseNetwork;
  networks.create = [&m](const Caller& c, const v1::Network& n, const Fields& g) {
    return m.networks().CreateNetwork(c, n, g);
  };
  networks.create_many = [&m](const Caller& c, const std::vector<v1::Network>& n,
                              const std::vector<Fields>& g) {
    return m.networks().CreateNetworks(c, n, g);
  };
  networks.get = [&m](const Caller& c, const std::string& id) {
    return m.networks().GetNetwork(c, id);
  };
  networks.list = [&m](const Caller& c, const Filters& f) {
    return m.networks().ListNetworks(c, f);
  };
  networks.update = [&m](const Caller& c, const v1::Network& n, const Fields& g) {
    return m.networks().UpdateNetwork(c, n, g);
  };
  networks.remove = [&m](const Caller& c, const std::string& id) {
    return m.networks().DeleteNetwork(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), networks);

  ResourceRoutes<v1::Subnet> subnets{"subnets", "subnet"};
  subnets.to_json = [](const Caller&, const v1::Subnet& x) { return SubnetJson(x); };
  subnets.parse = ParseSubnet;
  subnets.create = [&m](const Caller& c, const v1::Subnet& x, const Fields& g) {
    return m.networks().CreateSubnet(c, x, g);
  };
  subnets.create_many = [&m](const Caller& c, const std::vector<v1::Subnet>& x,
                             const std::vector<Fields>& g) {
    return m.networks().CreateSubnets(c, x, g);
  };
  subnets.get = [&m](const Caller& c, const std::string& id) {
    return m.networks().GetSubnet(c, id);
  };
  subnets.list = [&m](const Caller& c, const Filters& f) { return m.networks().ListSubnets(c, f); };
  subnets.update = [&m](const Caller& c, const v1::Subnet& x, const Fields& g) {
    return m.networks().UpdateSubnet(c, x, g);
  };
  subnets.remove = [&m](const Caller& c, const std::string& id) {
    return m.networks().DeleteSubnet(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), subnets);
}

void NetworkRest::RegisterPorts(http::Server& s) {
  NetworkManagers& m = manager_;
  const Wrap authed = [this](CallerHandler h) { return Authed(std::move(h)); };
  ResourceRoutes<v1::Port> ports{"ports", "port"};
  ports.to_json = [&m](const Caller& c, const v1::Port& p) {
    return PortJson(p, IsAdminOrService(m, c));
  };
  ports.parse = ParsePort;
  ports.create = [&m](const Caller& c, const v1::Port& x, const Fields& g) {
    return m.ports().CreatePort(c, x, g);
  };
  ports.create_many = [&m](const Caller& c, const std::vector<v1::Port>& x,
                           const std::vector<Fields>& g) { return m.ports().CreatePorts(c, x, g); };
  ports.get = [&m](const Caller& c, const std::string& id) { return m.ports().GetPort(c, id); };
  ports.list = [&m](const Caller& c, const Filters& f) { return m.ports().ListPorts(c, f); };
  ports.update = [&m](const Caller& c, const v1::Port& x, const Fields& g) {
    return m.ports().UpdatePort(c, x, g);
  };
  ports.remove = [&m](const Caller& c, const std::string& id) {
    return m.ports().DeletePort(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), ports);
}

void NetworkRest::RegisterSecurityGroups(http::Server& s) {
  NetworkManagers& m = manager_;
  const Wrap authed = [this](CallerHandler h) { return Authed(std::move(h)); };
  ResourceRoutes<v1::SecurityGroup> groups{"security-groups", "security_group"};
  groups.to_json = [](const Caller&, const v1::SecurityGroup& x) { return GroupJson(x); };
  groups.parse = ParseGroup;
  groups.create = [&m](const Caller& c, const v1::SecurityGroup& x, const Fields&) {
    return m.security_groups().CreateSecurityGroup(c, x);
  };
  groups.get = [&m](const Caller& c, const std::string& id) {
    return m.security_groups().GetSecurityGroup(c, id);
  };
  groups.list = [&m](const Caller& c, const Filters& f) {
    return m.security_groups().ListSecurityGroups(c, f);
  };
  groups.update = [&m](const Caller& c, const v1::SecurityGroup& x, const Fields& g) {
    return m.security_groups().UpdateSecurityGroup(c, x, g);
  };
  groups.remove = [&m](const Caller& c, const std::string& id) {
    return m.security_groups().DeleteSecurityGroup(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), groups);

  ResourceRoutes<v1::SecurityGroupRule> rules{"security-group-rules", "security_group_rule"};
  rules.to_json = [](const Caller&, const v1::SecurityGroupRule& x) { return RuleJson(x); };
  rules.parse = ParseRule;
  rules.create = [&m](const Caller& c, const v1::SecurityGroupRule& x, const Fields& g) {
    return m.security_groups().CreateSecurityGroupRule(c, x, g);
  };
  rules.get = [&m](const Caller& c, const std::string& id) {
    return m.security_groups().GetSecurityGroupRule(c, id);
  };
  rules.list = [&m](const Caller& c, const Filters& f) {
    return m.security_groups().ListSecurityGroupRules(c, f);
  };
  rules.update = [](const Caller&, const v1::SecurityGroupRule&,
                    const Fields&) -> absl::StatusOr<v1::SecurityGroupRule> {
    return BadRequest("Security group rules cannot be updated; delete and create one.");
  };
  rules.remove = [&m](const Caller& c, const std::string& id) {
    return m.security_groups().DeleteSecurityGroupRule(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), rules);
}

void NetworkRest::RegisterRouters(http::Server& s) {
  NetworkManagers& m = manager_;
  const Wrap authed = [this](CallerHandler h) { return Authed(std::move(h)); };
  ResourceRoutes<v1::Router> routers{"routers", "router"};
  routers.to_json = [](const Caller&, const v1::Router& x) { return RouterJson(x); };
  routers.parse = ParseRouter;
  routers.create = [&m](const Caller& c, const v1::Router& x, const Fields& g) {
    return m.routers().CreateRouter(c, x, g);
  };
  routers.get = [&m](const Caller& c, const std::string& id) {
    return m.routers().GetRouter(c, id);
  };
  routers.list = [&m](const Caller& c, const Filters& f) { return m.routers().ListRouters(c, f); };
  routers.update = [&m](const Caller& c, const v1::Router& x, const Fields& g) {
    return m.routers().UpdateRouter(c, x, g);
  };
  routers.remove = [&m](const Caller& c, const std::string& id) {
    return m.routers().DeleteRouter(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), routers);
  RegisterRouterInterfaces(s);

  ResourceRoutes<v1::FloatingIp> fips{"floatingips", "floatingip"};
  fips.to_json = [](const Caller&, const v1::FloatingIp& x) { return FloatingIpJson(x); };
  fips.parse = ParseFloatingIp;
  fips.create = [&m](const Caller& c, const v1::FloatingIp& x, const Fields& g) {
    return m.floating_ips().CreateFloatingIp(c, x, g);
  };
  fips.get = [&m](const Caller& c, const std::string& id) {
    return m.floating_ips().GetFloatingIp(c, id);
  };
  fips.list = [&m](const Caller& c, const Filters& f) {
    return m.floating_ips().ListFloatingIps(c, f);
  };
  fips.update = [&m](const Caller& c, const v1::FloatingIp& x, const Fields& g) {
    return m.floating_ips().UpdateFloatingIp(c, x, g);
  };
  fips.remove = [&m](const Caller& c, const std::string& id) {
    return m.floating_ips().DeleteFloatingIp(c, id);
  };
  RegisterResource(s, authed, BaseUrl(), fips);
}

void NetworkRest::RegisterRouterInterfaces(http::Server& s) {
  NetworkManagers& m = manager_;
  for (bool add : {true, false}) {
    s.Route(
        "PUT",
        add ? "/v2.0/routers/{id}/add_router_interface"
            : "/v2.0/routers/{id}/remove_router_interface",
        Authed([&m, add](const Caller& c, Request& q, Response& r) {
          auto body = q.JsonBody();
          if (!body.ok()) return ErrorAnswer(r, BadRequest(std::string(body.status().message())));
          std::string subnet =
              body->value("subnet_id", json("")).is_string() ? body->value("subnet_id", "") : "";
          std::string port =
              body->value("port_id", json("")).is_string() ? body->value("port_id", "") : "";
          auto done = add ? m.routers().AddRouterInterface(c, q.PathParam("id"), subnet, port)
                          : m.routers().RemoveRouterInterface(c, q.PathParam("id"), subnet, port);
          if (!done.ok()) return ErrorAnswer(r, done.status());
          std::string network;
          if (auto p = m.ports().GetPort(c, done->port_id); p.ok()) network = p->network_id();
          if (!done->subnet_id.empty() && network.empty()) {
            if (auto sn = m.networks().GetSubnet(c, done->subnet_id); sn.ok())
              network = sn->network_id();
          }
          r.Json(200, InterfaceJson(*done, network));
        }));
  }
}

}  // namespace gureum::network
