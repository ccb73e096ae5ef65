// `gureum region|service|endpoint ...` and `gureum catalog list`, with the openstack
// CLI's options and columns.
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

json RegionJson(const idv1::Region& r) {
  return {{"region", r.id()},
          {"parent_region", r.parent_region_id()},
          {"description", r.description()}};
}

json ServiceJson(const idv1::Service& s) {
  return {{"id", s.id()},
          {"name", s.name()},
          {"type", s.type()},
          {"description", s.description()},
          {"enabled", s.enabled()}};
}

struct Args {
  std::string id, name, type, description, parent, service, interface, url, region;
  std::vector<std::string> ids;
  bool enable = false, disable = false;
  void AddEnable(CLI::App* cmd) {
    auto* e = cmd->add_flag("--enable", enable, "Enable (default on create)");
    cmd->add_flag("--disable", disable, "Disable")->excludes(e);
  }
};

void AddRegion(CLI::App& app, Cli& cli, std::shared_ptr<Args> a) {
  auto* region = app.add_subcommand("region", "Regions")->require_subcommand(1);
  const std::vector<std::string> fields = {"description", "parent_region", "region"};
  auto* create = region->add_subcommand("create", "Create a region");
  create->add_option("region", a->id, "New region ID")->required();
  create->add_option("--parent-region", a->parent, "Parent region ID");
  create->add_option("--description", a->description, "Description");
  OnRun(create, cli, [&cli, a, fields](Session& s) -> absl::Status {
    idv1::CreateRegionRequest req;
    req.mutable_region()->set_id(a->id);
    req.mutable_region()->set_parent_region_id(a->parent);
    req.mutable_region()->set_description(a->description);
    GUREUM_ASSIGN_OR_RETURN(idv1::Region r, s.Call(&IdentityStub::CreateRegion, req));
    cli.Show(fields, RegionJson(r));
    return absl::OkStatus();
  });
  OnRun(region->add_subcommand("list", "List regions"), cli, [&cli](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListRegions, {}));
    std::vector<json> rows;
    for (const auto& r : resp.regions()) {
      rows.push_back({{"Region", r.id()},
                      {"Parent Region", r.parent_region_id()},
                      {"Description", r.description()}});
    }
    cli.List({"Region", "Parent Region", "Description"}, rows);
    return absl::OkStatus();
  });
  auto* show = region->add_subcommand("show", "Show a region");
  show->add_option("region", a->id, "Region ID")->required();
  OnRun(show, cli, [&cli, a, fields](Session& s) -> absl::Status {
    idv1::GetRequest req;
    req.set_id(a->id);
    GUREUM_ASSIGN_OR_RETURN(idv1::Region r, s.Call(&IdentityStub::GetRegion, req));
    cli.Show(fields, RegionJson(r));
    return absl::OkStatus();
  });
  auto* set = region->add_subcommand("set", "Change a region");
  set->add_option("region", a->id, "Region ID")->required();
  set->add_option("--parent-region", a->parent, "New parent region ID");
  set->add_option("--description", a->description, "New description");
  OnRun(set, cli, [a, set](Session& s) -> absl::Status {
    idv1::UpdateRegionRequest req;
    req.set_id(a->id);
    if (set->count("--parent-region")) req.set_parent_region_id(a->parent);
    if (set->count("--description")) req.set_description(a->description);
    return s.Call(&IdentityStub::UpdateRegion, req).status();
  });
  auto* del = region->add_subcommand("delete", "Delete regions");
  del->add_option("regions", a->ids, "Region IDs")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& id : a->ids) {
      idv1::DeleteRequest req;
      req.set_id(id);
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteRegion, req).status());
    }
    return absl::OkStatus();
  });
}

void AddService(CLI::App& app, Cli& cli, std::shared_ptr<Args> a) {
  auto* service = app.add_subcommand("service", "Services (catalog)")->require_subcommand(1);
  const std::vector<std::string> fields = {"description", "enabled", "id", "name", "type"};
  auto* create = service->add_subcommand("create", "Create a service");
  create->add_option("type", a->type, "Service type (compute, image, ...)")->required();
  create->add_option("--name", a->name, "Service name");
  create->add_option("--description", a->description, "Description");
  a->AddEnable(create);
  OnRun(create, cli, [&cli, a, fields](Session& s) -> absl::Status {
    idv1::CreateServiceRequest req;
    req.mutable_service()->set_type(a->type);
    req.mutable_service()->set_name(a->name);
    req.mutable_service()->set_description(a->description);
    if (a->disable) req.mutable_service()->set_enabled(false);
    GUREUM_ASSIGN_OR_RETURN(idv1::Service svc, s.Call(&IdentityStub::CreateService, req));
    cli.Show(fields, ServiceJson(svc));
    return absl::OkStatus();
  });
  OnRun(service->add_subcommand("list", "List services"), cli, [&cli](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::ListServices, {}));
    std::vector<json> rows;
    for (const auto& svc : resp.services()) {
      rows.push_back({{"ID", svc.id()}, {"Name", svc.name()}, {"Type", svc.type()}});
    }
    cli.List({"ID", "Name", "Type"}, rows);
    return absl::OkStatus();
  });
  auto* show = service->add_subcommand("show", "Show a service");
  show->add_option("service", a->service, "Service (name, type or ID)")->required();
  OnRun(show, cli, [&cli, a, fields](Session& s) -> absl::Status {
    idv1::GetRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindService(s, a->service));
    GUREUM_ASSIGN_OR_RETURN(idv1::Service svc, s.Call(&IdentityStub::GetService, req));
    cli.Show(fields, ServiceJson(svc));
    return absl::OkStatus();
  });
  auto* set = service->add_subcommand("set", "Change a service");
  set->add_option("service", a->service, "Service (name, type or ID)")->required();
  set->add_option("--type", a->type, "New type");
  set->add_option("--name", a->name, "New name");
  set->add_option("--description", a->description, "New description");
  a->AddEnable(set);
  OnRun(set, cli, [a, set](Session& s) -> absl::Status {
    idv1::UpdateServiceRequest req;
    GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindService(s, a->service));
    if (set->count("--type")) req.set_type(a->type);
    if (set->count("--name")) req.set_name(a->name);
    if (set->count("--description")) req.set_description(a->description);
    if (a->enable || a->disable) req.set_enabled(a->enable);
    return s.Call(&IdentityStub::UpdateService, req).status();
  });
  auto* del = service->add_subcommand("delete", "Delete services");
  del->add_option("services", a->ids, "Services (names, types or IDs)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& name : a->ids) {
      idv1::DeleteRequest req;
      GUREUM_ASSIGN_OR_RETURN(*req.mutable_id(), FindService(s, name));
      GUREUM_RETURN_IF_ERROR(s.Call(&IdentityStub::DeleteService, req).status());
    }
    return absl::OkStatus();
  });
}

}  // namespace

void AddEndpointCommands(CLI::App& app, Cli& cli);  // endpoint_commands.cc

void AddCatalogCommands(CLI::App& app, Cli& cli) {
  AddRegion(app, cli, std::make_shared<Args>());
  AddService(app, cli, std::make_shared<Args>());
  AddEndpointCommands(app, cli);

  auto* catalog = app.add_subcommand("catalog", "Your service catalog")->require_subcommand(1);
  OnRun(catalog->add_subcommand("list", "List the catalog"), cli,
        [&cli](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(auto resp, s.Call(&IdentityStub::Catalog, {}));
          std::vector<json> rows;
          for (const auto& e : resp.catalog()) {
            std::string endpoints;
            for (const auto& ep : e.endpoints()) {
              endpoints += ep.region_id() + "\n  " + ep.interface() + ": " + ep.url() + "\n";
            }
            rows.push_back({{"Name", e.name()}, {"Type", e.type()}, {"Endpoints", endpoints}});
          }
          cli.List({"Name", "Type", "Endpoints"}, rows);
          return absl::OkStatus();
        });
}

}  // namespace gureum::cli
