// `gureum endpoint create|list|show|set|delete`, with the openstack CLI's options and
// columns (service names and types are looked up for display).
#include <map>

#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

const std::vector<std::string> kEndpointFields = {"enabled",      "id",           "interface",
                                                  "region",       "region_id",    "service_id",
                                                  "service_name", "service_type", "url"};

json EndpointJson(const idv1::Endpoint& e, const idv1::Service& service) {
  return {{"id", e.id()},
          {"region", e.region_id()},
          {"region_id", e.region_id()},
          {"service_id", e.service_id()},
          {"service_name", service.name()},
          {"service_type", service.type()},
          {"enabled", e.enabled()},
          {"interface", e.interface()},
          {"url", e.url()}};
}

// Every service by id.
absl::StatusOr<std::map<std::string, idv1::Service>> ServicesById(Session& s) {
  GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListServices, {}));
  std::map<std::string, idv1::Service> out;
  for (const auto& svc : resp.services()) out[svc.id()] = svc;
  return out;
}

absl::Status ShowEndpoint(Cli& cli, Session& s, const idv1::Endpoint& e) {
  GUREUM_ASSIGN_OR_RETURN(auto services, ServicesById(s));
  cli.Show(kEndpointFields, EndpointJson(e, services[e.service_id()]));
  return absl::OkStatus();
}

struct EndpointArgs {
  std::string id, service, interface, url, region;
  std::vector<std::string> ids;
  bool enable = false, disable = false;
  void AddEnable(CLI::App* cmd) {
    auto* e = cmd->add_flag("--enable", enable, "Enable (default on create)");
    cmd->add_flag("--disable", disable, "Disable")->excludes(e);
  }
};

// `endpoint create`
void AddEndpointCreate(CLI::App* endpoint, Cli& cli, const std::shared_ptr<EndpointArgs>& a) {
  auto* create = endpoint->add_subcommand("create", "Create an endpoint");
  create->add_option("service", a->service, "Service (name, type or ID)")->required();
  create->add_option("interface", a->interface, "public, internal or admin")->required();
  create->add_option("url", a->url, "URL")->required();
  create->add_option("--region", a->region, "Region ID");
  a->AddEnable(create);
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    idv1::CreateEndpointRequest req;
    auto* e = req.mutable_endpoint();
    GUREUM_ASSIGN_OR_RETURN(*e->mutable_service_id(), FindService(s, a->service));
    e->set_interface(a->interface);
    e->set_url(a->url);
    e->set_region_id(a->region);
    if (a->disable) e->set_enabled(false);
    GUREUM_ASSIGN_OR_RETURN(idv1::Endpoint created, s.Call(&IdentityStub::CreateEndpoint, req));
    return ShowEndpoint(cli, s, created);
  });
}

// `endpoint list`
void AddEndpointList(CLI::App* endpoint, Cli& cli, const std::shared_ptr<EndpointArgs>& a) {
  auto* list = endpoint->add_subcommand("list", "List endpoints");
  list->add_option("--service", a->service, "Service (name, type or ID)");
  list->add_option("--interface", a->interface, "public, internal or admin");
  list->add_option("--region", a->region, "Region ID");
  OnRun(list, cli, [&cli, a](Session& s) -> absl::Status {
    idv1::ListEndpointsRequest req;
    if (!a->service.empty()) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_service_id(), FindService(s, a->service));
    }
    req.set_interface(a->interface);
    req.set_region_id(a->region);
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListEndpoints, req));
    GUREUM_ASSIGN_OR_RETURN(auto services, ServicesById(s));
    std::vector<json> rows;
    for (const auto& e : resp.endpoints()) {
      const idv1::Service& svc = services[e.service_id()];
      rows.push_back({{"ID", e.id()},
                      {"Region", e.region_id()},
                      {"Service Name", svc.name()},
                      {"Service Type", svc.type()},
                      {"Enabled", e.enabled()},
                      {"Interface", e.interface()},
                      {"URL", e.url()}});
    }
    cli.List({"ID", "Region", "Service Name", "Service Type", "Enabled", "Interface", "URL"}, rows);
    return absl::OkStatus();
  });
}

// `endpoint show`
void AddEndpointShow(CLI::App* endpoint, Cli& cli, const std::shared_ptr<EndpointArgs>& a) {
  auto* show = endpoint->add_subcommand("show", "Show an endpoint");
  show->add_option("endpoint", a->id, "Endpoint ID")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    idv1::GetRequest req;
    req.set_id(a->id);
    GUREUM_ASSIGN_OR_RETURN(idv1::Endpoint e, s.Call(&IdentityStub::GetEndpoint, req));
    return ShowEndpoint(cli, s, e);
  });
}

// `endpoint set`
void AddEndpointSet(CLI::App* endpoint, Cli& cli, const std::shared_ptr<EndpointArgs>& a) {
  auto* set = endpoint->add_subcommand("set", "Change an endpoint");
  set->add_option("endpoint", a->id, "Endpoint ID")->required();
  set->add_option("--service", a->service, "New service (name, type or ID)");
  set->add_option("--interface", a->interface, "New interface");
  set->add_option("--url", a->url, "New URL");
  set->add_option("--region", a->region, "New region ID");
  a->AddEnable(set);
  OnRun(set, cli, [a, set](Session& s) -> absl::Status {
    idv1::UpdateEndpointRequest req;
    req.set_id(a->id);
    if (set->count("--service")) {
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_service_id(), FindService(s, a->service));
    }
    if (set->count("--interface")) req.set_interface(a->interface);
    if (set->count("--url")) req.set_url(a->url);
    if (set->count("--region")) req.set_region_id(a->region);
    if (a->enable || a->disable) req.set_enabled(a->enable);
    return s.Call(&IdentityStub::UpdateEndpoint, req).status();
  });
}

// `endpoint delete`
void AddEndpointDelete(CLI::App* endpoint, Cli& cli, const std::shared_ptr<EndpointArgs>& a) {
  auto* del = endpoint->add_subcommand("delete", "Delete endpoints");
  del->add_option("endpoints", a->ids, "Endpoint IDs")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& id : a->ids) {
      idv1::DeleteRequest req;
      req.set_id(id);
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteEndpoint, req).status());
    }
    return absl::OkStatus();
  });
}

}  // namespace

void AddEndpointCommands(CLI::App& app, Cli& cli) {
  auto* endpoint = app.add_subcommand("endpoint", "Endpoints (catalog)")->require_subcommand(1);
  auto a = std::make_shared<EndpointArgs>();
  AddEndpointCreate(endpoint, cli, a);
  AddEndpointList(endpoint, cli, a);
  AddEndpointShow(endpoint, cli, a);
  AddEndpointSet(endpoint, cli, a);
  AddEndpointDelete(endpoint, cli, a);
}

}  // namespace gureum::cli
