#include "compute/api/compute_service.h"

#include <grpcpp/server_context.h>

#include "absl/time/time.h"
#include "common/status/macros.h"

namespace gureum::compute {
namespace {

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

void FlavorToProto(const FlavorRecord& f, v1::FlavorRecord* out) {
  out->set_id(f.id);
  out->set_name(f.name);
  out->set_vcpus(f.vcpus);
  out->set_ram_mb(f.ram_mb);
  out->set_disk_gb(f.disk_gb);
  out->set_ephemeral_gb(f.ephemeral_gb);
  out->set_swap_mb(f.swap_mb);
  out->set_is_public(f.is_public);
  out->set_description(f.description);
  for (const auto& [k, v] : f.extra_specs) (*out->mutable_extra_specs())[k] = v;
}

void KeypairToProto(const Keypair& k, v1::KeypairRecord* out) {
  out->set_name(k.name);
  out->set_type(k.type);
  out->set_public_key(k.public_key);
  out->set_fingerprint(k.fingerprint);
  out->set_user_id(k.user_id);
  out->set_created_at(Iso(k.created_at));
}

absl::StatusOr<ActionRequest> ActionFromProto(const v1::ServerActionRequest& r) {
  static const std::map<std::string, Action> kActions = {{"start", Action::kStart},
                                                         {"stop", Action::kStop},
                                                         {"reboot", Action::kRebootSoft},
                                                         {"reboot-hard", Action::kRebootHard},
                                                         {"pause", Action::kPause},
                                                         {"unpause", Action::kUnpause},
                                                         {"suspend", Action::kSuspend},
                                                         {"resume", Action::kResume},
                                                         {"lock", Action::kLock},
                                                         {"unlock", Action::kUnlock},
                                                         {"rebuild", Action::kRebuild},
                                                         {"resize", Action::kResize},
                                                         {"confirm-resize", Action::kConfirmResize},
                                                         {"revert-resize", Action::kRevertResize},
                                                         {"migrate", Action::kMigrate},
                                                         {"evacuate", Action::kEvacuate}};
  auto it = kActions.find(r.action());
  if (it == kActions.end())
    return absl::InvalidArgumentError("There is no such action: " + r.action());
  ActionRequest a;
  a.action = it->second;
  a.image_ref = r.image_id();
  a.flavor_ref = r.flavor();
  a.host = r.host();
  a.locked_reason = r.reason();
  return a;
}

}  // namespace

grpc::Status ComputeService::Serve(grpc::ServerContext* ctx, const char* method,
                                   const std::function<absl::Status(const RequestContext&)>& fn) {
  grpcx::ServerCall call(ctx, env_, method);
  if (!call.ok()) return call.Finish();
  std::string token;
  auto it = ctx->client_metadata().find(grpcx::kTokenKey);
  if (it != ctx->client_metadata().end()) token = std::string(it->second.data(), it->second.size());
  return call.Finish(fn(RequestContext{call.caller(), token, call.request_id()}));
}

absl::StatusOr<FlavorRecord> ComputeService::FindFlavor(const RequestContext& rc,
                                                        const std::string& ref) {
  absl::StatusOr<FlavorRecord> f = managers_.flavors().GetFlavor(rc, ref);
  if (f.ok() || f.status().code() != absl::StatusCode::kNotFound) return f;
  GUREUM_ASSIGN_OR_RETURN(auto all, managers_.flavors().ListFlavors(rc, {}));
  for (const FlavorRecord& x : all) {
    if (x.name == ref) return x;
  }
  return absl::NotFoundError("No flavor with a name or ID of '" + ref + "' exists.");
}

absl::StatusOr<Instance> ComputeService::FindServer(const RequestContext& rc,
                                                    const std::string& ref) {
  absl::StatusOr<Instance> i = managers_.servers().GetServer(rc, ref);
  if (i.ok() || i.status().code() != absl::StatusCode::kNotFound) return i;
  InstanceFilter f;
  f.name_regex = "^" + ref + "$";
  GUREUM_ASSIGN_OR_RETURN(auto found, managers_.servers().ListServers(rc, f));
  std::vector<Instance> exact;
  for (Instance& x : found) {
    if (x.name == ref) exact.push_back(std::move(x));
  }
  if (exact.size() > 1) {
    return absl::InvalidArgumentError("More than one server exists with the name '" + ref + "'.");
  }
  if (exact.empty())
    return absl::NotFoundError("No server with a name or ID of '" + ref + "' exists.");
  return exact.front();
}

void ComputeService::ToProto(const RequestContext& rc, const Instance& i, v1::Server* out) {
  out->set_id(i.uuid);
  out->set_name(i.name);
  for (const Vif& v : i.vifs) {
    for (const VifIp& ip : v.ips) {
      v1::ServerAddress* a = out->add_addresses();
      a->set_network_name(v.network_name.empty() ? v.network_id : v.network_name);
      a->set_addr(ip.address);
      a->set_version(ip.version);
      a->set_type(ip.type);
      a->set_mac_addr(v.mac_address);
      a->set_port_id(v.port_id);
    }
  }
  out->set_status(ApiStatus(i.vm_state, i.task_state));
  out->set_vm_state(i.vm_state);
  out->set_task_state(i.task_state);
  out->set_power_state(i.power_state);
  out->set_project_id(i.project_id);
  out->set_user_id(i.user_id);
  out->set_flavor_id(i.flavor.id);
  out->set_flavor_name(i.flavor.name);
  out->set_image_id(i.image_ref);
  out->set_image_name(i.image.name);
  out->set_key_name(i.key_name);
  out->set_availability_zone(i.availability_zone.empty()
                                 ? managers_.options().default_availability_zone
                                 : i.availability_zone);
  if (managers_.policy().IsAdmin(rc)) out->set_host(i.host);
  for (const auto& [k, v] : i.metadata) (*out->mutable_metadata())[k] = v;
  out->set_locked(i.locked);
  if (i.vm_state == vm::kError) {
    auto faults = managers_.servers().ServerFaults(rc, i);
    if (faults.ok() && !faults->empty()) out->set_fault(faults->front().message);
  }
  out->set_created_at(Iso(i.created_at));
  out->set_updated_at(Iso(i.updated_at));
  if (i.launched_at) out->set_launched_at(Iso(*i.launched_at));
}

grpc::Status ComputeService::CreateFlavor(grpc::ServerContext* ctx,
                                          const v1::CreateFlavorRequest* req,
                                          v1::FlavorRecord* resp) {
  return Serve(ctx, "CreateFlavor", [&](const RequestContext& rc) -> absl::Status {
    const v1::FlavorRecord& in = req->flavor();
    FlavorRecord f{.id = in.id(),
                   .name = in.name(),
                   .vcpus = in.vcpus(),
                   .ram_mb = in.ram_mb(),
                   .disk_gb = in.disk_gb(),
                   .ephemeral_gb = in.ephemeral_gb(),
                   .swap_mb = in.swap_mb(),
                   .is_public = in.is_public(),
                   .description = in.description()};
    GUREUM_ASSIGN_OR_RETURN(FlavorRecord made, managers_.flavors().CreateFlavor(rc, f));
    if (!in.extra_specs().empty()) {
      StringMap specs(in.extra_specs().begin(), in.extra_specs().end());
      GUREUM_ASSIGN_OR_RETURN(made.extra_specs,
                              managers_.flavors().SetExtraSpecs(rc, made.id, specs));
    }
    FlavorToProto(made, resp);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::GetFlavor(grpc::ServerContext* ctx, const v1::FlavorRef* req,
                                       v1::FlavorRecord* resp) {
  return Serve(ctx, "GetFlavor", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, FindFlavor(rc, req->id()));
    FlavorToProto(f, resp);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::ListFlavors(grpc::ServerContext* ctx, const v1::ListFlavorsRequest*,
                                         v1::ListFlavorsResponse* resp) {
  return Serve(ctx, "ListFlavors", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto all, managers_.flavors().ListFlavors(rc, {}));
    for (const FlavorRecord& f : all) FlavorToProto(f, resp->add_flavors());
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::DeleteFlavor(grpc::ServerContext* ctx, const v1::FlavorRef* req,
                                          v1::Empty*) {
  return Serve(ctx, "DeleteFlavor", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, FindFlavor(rc, req->id()));
    return managers_.flavors().DeleteFlavor(rc, f.id);
  });
}

grpc::Status ComputeService::CreateKeypair(grpc::ServerContext* ctx,
                                           const v1::CreateKeypairRequest* req,
                                           v1::KeypairRecord* resp) {
  return Serve(ctx, "CreateKeypair", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        auto made, managers_.keypairs().CreateKeypair(rc, req->name(), req->public_key(), "ssh"));
    KeypairToProto(made.keypair, resp);
    resp->set_private_key(made.private_key);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::GetKeypair(grpc::ServerContext* ctx, const v1::KeypairRef* req,
                                        v1::KeypairRecord* resp) {
  return Serve(ctx, "GetKeypair", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Keypair k, managers_.keypairs().GetKeypair(rc, req->name()));
    KeypairToProto(k, resp);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::ListKeypairs(grpc::ServerContext* ctx, const v1::ListKeypairsRequest*,
                                          v1::ListKeypairsResponse* resp) {
  return Serve(ctx, "ListKeypairs", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto all, managers_.keypairs().ListKeypairs(rc));
    for (const Keypair& k : all) KeypairToProto(k, resp->add_keypairs());
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::DeleteKeypair(grpc::ServerContext* ctx, const v1::KeypairRef* req,
                                           v1::Empty*) {
  return Serve(ctx, "DeleteKeypair", [&](const RequestContext& rc) {
    return managers_.keypairs().DeleteKeypair(rc, req->name());
  });
}

grpc::Status ComputeService::CreateServer(grpc::ServerContext* ctx,
                                          const v1::CreateServerRequest* req,
                                          v1::CreateServerResponse* resp) {
  return Serve(ctx, "CreateServer", [&](const RequestContext& rc) -> absl::Status {
    CreateServerRequest in;
    in.name = req->name();
    in.image_ref = req->image_id();
    absl::StatusOr<FlavorRecord> f = FindFlavor(rc, req->flavor());
    if (!f.ok()) return absl::InvalidArgumentError(f.status().message());
    in.flavor_ref = f->id;
    in.key_name = req->key_name();
    in.user_data = req->user_data();
    in.metadata = StringMap(req->metadata().begin(), req->metadata().end());
    in.availability_zone = req->availability_zone();
    for (const std::string& n : req->network_ids()) in.networks.push_back({.network_id = n});
    for (const std::string& p : req->port_ids()) in.networks.push_back({.port_id = p});
    in.networks_given = !in.networks.empty();
    in.security_groups.assign(req->security_groups().begin(), req->security_groups().end());
    in.server_group = req->server_group();
    in.min_count = req->min_count() > 0 ? req->min_count() : 1;
    in.max_count = req->max_count() > 0 ? req->max_count() : in.min_count;
    GUREUM_ASSIGN_OR_RETURN(CreateServerResult made, managers_.servers().CreateServers(rc, in));
    for (const Instance& i : made.instances) ToProto(rc, i, resp->add_servers());
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::GetServer(grpc::ServerContext* ctx, const v1::ServerRef* req,
                                       v1::Server* resp) {
  return Serve(ctx, "GetServer", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Instance found, FindServer(rc, req->id()));
    std::vector<Instance> one{std::move(found)};
    managers_.servers().AddFloatingIps(rc, one);
    ToProto(rc, one.front(), resp);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::ListServers(grpc::ServerContext* ctx,
                                         const v1::ListServersRequest* req,
                                         v1::ListServersResponse* resp) {
  return Serve(ctx, "ListServers", [&](const RequestContext& rc) -> absl::Status {
    InstanceFilter f;
    f.all_projects = req->all_projects();
    f.name_regex = req->name();
    if (!req->status().empty()) {
      auto states = VmStatesForStatus(req->status());
      f.vm_state = states.empty() ? "no-such-state" : states.front();
    }
    f.limit = req->limit();
    f.marker = req->marker();
    GUREUM_ASSIGN_OR_RETURN(auto all, managers_.servers().ListServers(rc, f));
    managers_.servers().AddFloatingIps(rc, all);
    for (const Instance& i : all) ToProto(rc, i, resp->add_servers());
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::DeleteServer(grpc::ServerContext* ctx, const v1::ServerRef* req,
                                          v1::Empty*) {
  return Serve(ctx, "DeleteServer", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Instance i, FindServer(rc, req->id()));
    return managers_.servers().DeleteServer(rc, i.uuid);
  });
}

grpc::Status ComputeService::ServerAction(grpc::ServerContext* ctx,
                                          const v1::ServerActionRequest* req, v1::Server* resp) {
  return Serve(ctx, "ServerAction", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(ActionRequest a, ActionFromProto(*req));
    GUREUM_ASSIGN_OR_RETURN(Instance i, FindServer(rc, req->id()));
    if (a.action == Action::kResize) {
      absl::StatusOr<FlavorRecord> f = FindFlavor(rc, a.flavor_ref);
      if (!f.ok()) return absl::InvalidArgumentError(f.status().message());
      a.flavor_ref = f->id;
    }
    GUREUM_ASSIGN_OR_RETURN(Instance after, managers_.actions().ServerAction(rc, i.uuid, a));
    ToProto(rc, after, resp);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::GetConsoleOutput(grpc::ServerContext* ctx,
                                              const v1::ConsoleOutputRequest* req,
                                              v1::ConsoleOutputResponse* resp) {
  return Serve(ctx, "GetConsoleOutput", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Instance i, FindServer(rc, req->id()));
    GUREUM_ASSIGN_OR_RETURN(std::string out,
                            managers_.servers().ConsoleOutput(rc, i.uuid, req->lines()));
    resp->set_output(out);
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::ListServices(grpc::ServerContext* ctx, const v1::ListServicesRequest*,
                                          v1::ListServicesResponse* resp) {
  return Serve(ctx, "ListServices", [&](const RequestContext& rc) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto states, managers_.hosts().ListServices(rc));
    for (const HostState& h : states) {
      auto* s = resp->add_services();
      s->set_id(h.service.uuid);
      s->set_host(h.service.host);
      s->set_binary(h.service.binary);
      s->set_zone(h.availability_zone);
      s->set_enabled(h.service.enabled);
      s->set_up(h.up);
      s->set_disabled_reason(h.service.disabled_reason);
      s->set_forced_down(h.service.forced_down);
      if (h.service.last_seen_at) s->set_updated_at(Iso(*h.service.last_seen_at));
    }
    return absl::OkStatus();
  });
}

grpc::Status ComputeService::ExternalEvents(grpc::ServerContext* ctx,
                                            const v1::ExternalEventsRequest* req,
                                            v1::ExternalEventsResponse* resp) {
  return Serve(ctx, "ExternalEvents", [&](const RequestContext& rc) -> absl::Status {
    std::vector<ExternalEvent> events;
    for (const v1::ExternalEvent& e : req->events()) {
      events.push_back({.name = e.name(),
                        .server_uuid = e.server_uuid(),
                        .tag = e.tag(),
                        .status = e.status().empty() ? "completed" : e.status()});
    }
    GUREUM_ASSIGN_OR_RETURN(std::vector<ExternalEvent> done,
                            managers_.events().Create(rc, std::move(events)));
    for (const ExternalEvent& e : done) {
      v1::ExternalEvent* out = resp->add_events();
      out->set_name(e.name);
      out->set_server_uuid(e.server_uuid);
      out->set_tag(e.tag);
      out->set_status(e.status);
      out->set_code(e.code);
    }
    return absl::OkStatus();
  });
}

}  // namespace gureum::compute
