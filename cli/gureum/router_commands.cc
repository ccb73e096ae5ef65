// `gureum router ...` over gureum-network's gRPC API.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/gureum/network_common.h"

namespace gureum::cli::netcmd {
namespace {

json RouterJson(const nv1::Router& r) {
  std::string gw;
  if (r.has_external_gateway()) {
    gw = "network_id='" + r.external_gateway().network_id() +
         "', enable_snat=" + (r.external_gateway().enable_snat() ? "True" : "False") + ", " +
         FixedIpsText(r.external_gateway().external_fixed_ips());
  }
  return {{"id", r.id()},
          {"name", r.name()},
          {"status", r.status()},
          {"external_gateway_info", gw},
          {"project_id", r.project_id()}};
}

}  // namespace

void AddRouter(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* g = app.add_subcommand("router", "Routers (gRPC)")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a router");
  create->add_option("name", a->name, "Name")->required();
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::Router r;
    r.set_name(a->name);
    r.set_admin_state_up(true);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateRouter, r));
    json j = RouterJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List routers"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto l,
                            Call(s, *a, &nv1::Networks::Stub::ListRouters, nv1::ListRequest()));
    std::vector<json> rows;
    for (const auto& r : l.routers())
      rows.push_back({{"ID", r.id()}, {"Name", r.name()}, {"Status", r.status()}});
    cli.List({"ID", "Name", "Status"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a router");
  show->add_option("router", a->target, "Router (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindRouter(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto r, Call(s, *a, &nv1::Networks::Stub::GetRouter, IdOf(id)));
    json j = RouterJson(r);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a router");
  del->add_option("router", a->target, "Router (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindRouter(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteRouter, IdOf(id)).status();
  });
  for (bool add : {true, false}) {
    auto* verb =
        g->add_subcommand(add ? "add" : "remove", add ? "Add an interface" : "Remove an interface")
            ->require_subcommand(1);
    auto* sub = verb->add_subcommand("subnet", "An interface on a subnet");
    sub->add_option("router", a->target, "Router (name or ID)")->required();
    sub->add_option("subnet", a->subnet, "Subnet (name or ID)")->required();
    OnRun(sub, cli, [a, add](Session& s) -> absl::Status {
      nv1::RouterInterfaceRequest req;
      GUREUM_ASSIGN_OR_RETURN(std::string rid, FindRouter(s, *a, a->target));
      GUREUM_ASSIGN_OR_RETURN(std::string sid, FindSubnet(s, *a, a->subnet));
      req.set_router_id(rid);
      req.set_subnet_id(sid);
      return Call(s, *a,
                  add ? &nv1::Networks::Stub::AddRouterInterface
                      : &nv1::Networks::Stub::RemoveRouterInterface,
                  req)
          .status();
    });
  }
  auto* set = g->add_subcommand("set", "Set a router's external gateway");
  set->add_option("router", a->target, "Router (name or ID)")->required();
  set->add_option("--external-gateway", a->external_gateway, "External network (name or ID)")
      ->required();
  OnRun(set, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string rid, FindRouter(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->external_gateway));
    nv1::UpdateRouterRequest req;
    req.mutable_router()->set_id(rid);
    req.mutable_router()->mutable_external_gateway()->set_network_id(net);
    req.mutable_router()->mutable_external_gateway()->set_enable_snat(true);
    req.add_update_mask("external_gateway");
    GUREUM_ASSIGN_OR_RETURN(auto r, Call(s, *a, &nv1::Networks::Stub::UpdateRouter, req));
    json j = RouterJson(r);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
}

}  // namespace gureum::cli::netcmd
