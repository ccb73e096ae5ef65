// The quotas and agents routes of the Neutron REST adapter (network_rest.h).
#include "network/server/network_rest.h"

namespace gureum::network {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

json QuotaJson(const std::map<std::string, QuotaDetail>& q, bool details) {
  json out = json::object();
  for (const auto& [res, d] : q) {
    out[res] =
        details ? json{{"limit", d.limit}, {"used", d.used}, {"reserved", 0}} : json(d.limit);
  }
  return out;
}

// The quota limits of a PUT body: integers, or strings holding one.
absl::StatusOr<std::map<std::string, int64_t>> QuotaLimits(const json& body) {
  if (!body.is_object()) return BadRequest("'quota' must be an object.");
  std::map<std::string, int64_t> limits;
  for (const auto& [k, v] : body.items()) {
    if (v.is_number_integer()) {
      limits[k] = v.get<int64_t>();
    } else if (v.is_string()) {
      try {
        limits[k] = std::stoll(v.get<std::string>());
      } catch (...) {
        return InvalidInput("quota of '" + k + "' must be an integer.");
      }
    } else {
      return InvalidInput("quota of '" + k + "' must be an integer.");
    }
  }
  return limits;
}

}  // namespace

void NetworkRest::RegisterQuotas(http::Server& s) {
  NetworkManagers& m = manager_;
  s.Route("GET", "/v2.0/quotas", Authed([&m](const Caller& c, Request&, Response& r) {
            auto all = m.quotas().ListQuotas(c);
            if (!all.ok()) return ErrorAnswer(r, all.status());
            json list = json::array();
            for (const auto& [project, q] : *all) {
              json one = QuotaJson(q, false);
              one["project_id"] = one["tenant_id"] = project;
              list.push_back(one);
            }
            r.Json(200, {{"quotas", list}});
          }));
  auto quota_get = [&m](bool details) {
    return [&m, details](const Caller& c, Request& q, Response& r) {
      auto quotas = m.quotas().GetQuotas(c, q.PathParam("project_id"));
      if (!quotas.ok()) return ErrorAnswer(r, quotas.status());
      r.Json(200, {{"quota", QuotaJson(*quotas, details)}});
    };
  };
  s.Route("GET", "/v2.0/quotas/{project_id}", Authed(quota_get(false)));
  s.Route("GET", "/v2.0/quotas/{project_id}/details", Authed(quota_get(true)));
  s.Route("GET", "/v2.0/quotas/{project_id}/details.json", Authed(quota_get(true)));
  s.Route("GET", "/v2.0/quotas/{project_id}/default",
          Authed([&m](const Caller&, Request&, Response& r) {
            r.Json(200, {{"quota", m.quotas().DefaultQuotas()}});
          }));
  s.Route("PUT", "/v2.0/quotas/{project_id}",
          Authed([&m](const Caller& c, Request& q, Response& r) {
            auto body = BodyOf(q, "quota");
            if (!body.ok()) return ErrorAnswer(r, body.status());
            auto limits = QuotaLimits(*body);
            if (!limits.ok()) return ErrorAnswer(r, limits.status());
            auto quotas = m.quotas().UpdateQuotas(c, q.PathParam("project_id"), *limits);
            if (!quotas.ok()) return ErrorAnswer(r, quotas.status());
            r.Json(200, {{"quota", QuotaJson(*quotas, false)}});
          }));
  s.Route("DELETE", "/v2.0/quotas/{project_id}",
          Authed([&m](const Caller& c, Request& q, Response& r) {
            absl::Status st = m.quotas().ResetQuotas(c, q.PathParam("project_id"));
            if (!st.ok()) return ErrorAnswer(r, st);
            r.Empty(204);
          }));
}

void NetworkRest::RegisterAgents(http::Server& s) {
  NetworkManagers& m = manager_;
  s.Route("GET", "/v2.0/agents", Authed([&m](const Caller& c, Request& q, Response& r) {
            auto agents = m.agents().ListAgents(c, ToFilters(q));
            if (!agents.ok()) return ErrorAnswer(r, agents.status());
            json a = json::array();
            for (const auto& x : *agents) a.push_back(AgentJson(x));
            r.Json(200, {{"agents", FilterList(a, q.query)}});
          }));
  s.Route("GET", "/v2.0/agents/{id}/dhcp-networks",
          Authed([&m](const Caller& c, Request& q, Response& r) {
            auto nets = m.agents().NetworksOfDhcpAgent(c, q.PathParam("id"));
            if (!nets.ok()) return ErrorAnswer(r, nets.status());
            json a = json::array();
            for (const auto& n : *nets) a.push_back(NetworkJson(n, true));
            r.Json(200, {{"networks", a}});
          }));
  s.Route("GET", "/v2.0/networks/{id}/dhcp-agents",
          Authed([&m](const Caller& c, Request& q, Response& r) {
            auto agents = m.agents().DhcpAgentsOfNetwork(c, q.PathParam("id"));
            if (!agents.ok()) return ErrorAnswer(r, agents.status());
            json a = json::array();
            for (const auto& x : *agents) a.push_back(AgentJson(x));
            r.Json(200, {{"agents", a}});
          }));
  s.Route("GET", "/v2.0/agents/{id}", Authed([&m](const Caller& c, Request& q, Response& r) {
            auto agents = m.agents().ListAgents(c, {{"id", {q.PathParam("id")}}});
            if (!agents.ok()) return ErrorAnswer(r, agents.status());
            if (agents->empty())
              return ErrorAnswer(
                  r, NotFoundErr(ErrorKind::kAgentNotFound,
                                 "Agent " + q.PathParam("id") + " could not be found."));
            r.Json(200, {{"agent", AgentJson((*agents)[0])}});
          }));
  // An admin turns an agent off (no new DHCP networks or routers go to it) or on.
  s.Route("PUT", "/v2.0/agents/{id}", Authed([&m](const Caller& c, Request& q, Response& r) {
            auto body = q.JsonBody();
            if (!body.ok()) return ErrorAnswer(r, body.status());
            auto agent = http::RequireObject(*body, "agent");
            if (!agent.ok()) return ErrorAnswer(r, agent.status());
            for (const auto& [key, value] : agent->items()) {
              if (key != "admin_state_up") {
                return ErrorAnswer(r, absl::InvalidArgumentError(
                                          "Only admin_state_up of an agent can be changed, not '" +
                                          key.substr(0, 64) + "'."));
              }
            }
            if (!agent->contains("admin_state_up") || !(*agent)["admin_state_up"].is_boolean()) {
              return ErrorAnswer(
                  r, absl::InvalidArgumentError("admin_state_up must be true or false."));
            }
            auto updated = m.agents().SetAdminState(c, q.PathParam("id"),
                                                    (*agent)["admin_state_up"].get<bool>());
            if (!updated.ok()) return ErrorAnswer(r, updated.status());
            r.Json(200, {{"agent", AgentJson(*updated)}});
          }));
}

}  // namespace gureum::network
