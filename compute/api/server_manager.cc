// Servers: create (quota, flavor, image, networks, schedule cast), list, show, update,
// metadata, delete, console output and the instance-action records.
#include "compute/api/server_manager.h"

#include <algorithm>
#include <map>
#include <set>

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "common/validate/validate.h"
#include "compute/api/cast_codec.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

// gureum-network's answer for a network or port the caller cannot see (or a malformed id),
// worded as Nova does: NotFound "<what> could not be found.".
absl::Status AsNovaNotFound(const absl::Status& s, const std::string& what) {
  if (s.code() == absl::StatusCode::kNotFound || s.code() == absl::StatusCode::kPermissionDenied ||
      s.code() == absl::StatusCode::kInvalidArgument) {
    return absl::NotFoundError(what + " could not be found.");
  }
  return s;
}

absl::Status NotReady(const Instance& i) {
  return absl::FailedPreconditionError("Instance " + i.uuid + " is not ready: it has no host");
}

}  // namespace

namespace {

std::string ToHostname(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(c));
    else if (c == '-' || c == ' ' || c == '_' || c == '.')
      out += '-';
  }
  while (!out.empty() && out.front() == '-') out.erase(out.begin());
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 63) out.resize(63);
  return out.empty() ? "server" : out;
}

bool IsIpAddress(const std::string& text) {
  in6_addr buf;
  return inet_pton(AF_INET, text.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, text.c_str(), &buf) == 1;
}

}  // namespace

ServerManager::ServerManager(const ServerManagerDeps& deps, ComputeOptions options)
    : store_(deps.store),
      casts_(deps.casts),
      images_(deps.images),
      placement_(deps.placement),
      networks_(deps.networks),
      policy_(deps.policy),
      flavors_(deps.flavors),
      groups_(deps.groups),
      hosts_(deps.hosts),
      ids_(deps.ids),
      clock_(deps.clock),
      volumes_(deps.volumes),
      block_devices_(deps.block_devices),
      events_(deps.events != nullptr ? *deps.events : InstanceNotifier(nullptr)),
      options_(std::move(options)) {}

absl::StatusOr<std::vector<RequestedNetwork>> ServerManager::ResolveNetworks(
    const RequestContext& ctx, const CreateServerRequest& req) {
  std::vector<RequestedNetwork> out;
  if (networks_ == nullptr) {
    if (req.networks_given && !req.networks.empty()) {
      return absl::InvalidArgumentError(
          "This cloud has no network service ([compute] network_grpc is not set): servers "
          "cannot be created with networks; leave out 'networks'.");
    }
    return out;
  }
  if (!req.networks_given) {
    // Nova: the project's own networks and the shared ones; exactly one is used, none
    // means no interface, several must be chosen between.
    GUREUM_ASSIGN_OR_RETURN(std::vector<Network> all, networks_->ListNetworks(ctx.token));
    std::vector<Network> usable;
    for (const Network& n : all) {
      if (n.shared || (n.project_id == ctx.caller.project_id && !n.router_external))
        usable.push_back(n);
    }
    if (usable.size() > 1) {
      return absl::FailedPreconditionError(
          "Multiple possible networks found, use a Network ID to be more specific.");
    }
    if (usable.size() == 1) out.push_back({.network_id = usable.front().id});
    return out;
  }
  std::set<std::string> ports_seen;
  for (const RequestedNetwork& r : req.networks) {
    if (!r.port_id.empty()) {
      if (req.max_count > 1) {
        return absl::InvalidArgumentError(
            "Unable to launch multiple instances with a single configured port ID. Please "
            "launch your instance one by one with different ports.");
      }
      if (!ports_seen.insert(r.port_id).second) {
        return absl::InvalidArgumentError("Port id " + r.port_id + " is given twice.");
      }
      absl::StatusOr<Port> port = networks_->GetPort(ctx.token, r.port_id);
      if (!port.ok()) return AsBadRequest(AsNovaNotFound(port.status(), "Port id " + r.port_id));
      if (!port->device_id.empty()) {
        return absl::FailedPreconditionError("Port " + r.port_id + " is still in use.");
      }
      out.push_back({.network_id = port->network_id, .port_id = r.port_id});
      continue;
    }
    if (!r.fixed_ip.empty()) {
      if (!IsIpAddress(r.fixed_ip)) {
        return absl::InvalidArgumentError("Invalid fixed IP address (" + r.fixed_ip + ")");
      }
      if (req.max_count > 1) {
        return absl::InvalidArgumentError(
            "Unable to launch multiple instances with a single fixed IP address " + r.fixed_ip);
      }
    }
    absl::StatusOr<Network> net = networks_->GetNetwork(ctx.token, r.network_id);
    if (!net.ok()) return AsBadRequest(AsNovaNotFound(net.status(), "Network " + r.network_id));
    out.push_back({.network_id = net->id, .fixed_ip = r.fixed_ip});
  }
  return out;
}

absl::Status ServerManager::CheckSecurityGroups(const RequestContext& ctx,
                                                const std::vector<std::string>& groups) {
  // Without a network service the names travel to the agent as before.
  if (networks_ == nullptr) return absl::OkStatus();
  // Nova (_check_requested_secgroups): "default" is left to Neutron, which makes the
  // project's default group on demand; every other one must be a group of the caller's
  // project, by name or by id (a name wins over an id), else SecurityGroupNotFound (400)
  // at create, not a failure later when the ports are made.
  std::vector<std::string> wanted;
  for (const std::string& g : groups) {
    if (g != "default") wanted.push_back(g);
  }
  if (wanted.empty()) return absl::OkStatus();
  GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> own,
                          networks_->ListSecurityGroups(ctx.token, ctx.caller.project_id));
  for (const std::string& g : wanted) {
    int by_name = 0;
    bool by_id = false;
    for (const SecurityGroup& s : own) {
      if (s.project_id != ctx.caller.project_id) continue;  // an admin's list has every project's
      if (s.name == g) ++by_name;
      if (s.id == g) by_id = true;
    }
    if (by_name > 1) {
      return absl::FailedPreconditionError("Multiple security groups found matching '" + g +
                                           "'. Use an ID to be more specific.");
    }
    if (by_name == 0 && !by_id) {
      return absl::InvalidArgumentError("Unable to find security_group with name or id '" + g +
                                        "'");
    }
  }
  return absl::OkStatus();
}

namespace {

// Nova's checks of a create body that need nothing looked up.
absl::Status ValidateCreateRequest(const CreateServerRequest& req) {
  if (req.name.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", req.name));
  GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv4", req.access_ip_v4, 4));
  GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv6", req.access_ip_v6, 6));
  if (req.min_count < 1 || req.max_count < req.min_count) {
    return absl::InvalidArgumentError("min_count must be >= 1 and max_count >= min_count");
  }
  if (req.image_ref.empty() && req.block_devices.empty()) {
    return absl::InvalidArgumentError("Missing imageRef attribute");
  }
  if (!req.user_data.empty()) {
    std::string decoded;
    if (req.user_data.size() > 65535 || !absl::Base64Unescape(req.user_data, &decoded)) {
      return absl::InvalidArgumentError(
          "User data needs to be valid base 64 of at most 65535 bytes.");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ServerManager::ResolveFlavorAndImage(const RequestContext& ctx,
                                                  const CreateServerRequest& req,
                                                  CreatePlan& plan) {
  absl::StatusOr<FlavorRecord> flavor = flavors_.FlavorForCaller(ctx, req.flavor_ref);
  if (!flavor.ok()) return AsBadRequest(flavor.status());
  if (flavor->disabled) return absl::InvalidArgumentError("Flavor " + flavor->id + " is disabled.");
  if (!req.block_devices.empty()) {
    if (block_devices_ == nullptr) {
      return absl::InvalidArgumentError(
          "Block Device Mapping is Invalid: boot from volume is "
          "not available in this cloud.");
    }
    GUREUM_ASSIGN_OR_RETURN(plan.boot_volume,
                            block_devices_->Plan(ctx, req.block_devices, req.max_count));
  }
  if (plan.boot_volume) {
    // The root disk is the volume: the flavor's disk does not have to hold the image.
    if (plan.boot_volume->image.min_ram_mb > flavor->ram_mb) {
      return absl::InvalidArgumentError("Flavor's memory is too small for requested image.");
    }
    plan.flavor = *std::move(flavor);
    plan.image = plan.boot_volume->image;
    return absl::OkStatus();
  }
  if (req.image_ref.empty()) {
    return absl::InvalidArgumentError(
        "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device "
        "mapping combination is not valid.");
  }
  absl::StatusOr<ImageInfo> image = ImageForCaller(images_, ctx, req.image_ref);
  if (!image.ok()) return AsBadRequest(image.status());
  if (!image->status.empty() && image->status != "active") {
    return absl::InvalidArgumentError("Image " + image->id + " is not active.");
  }
  if (image->min_ram_mb > flavor->ram_mb) {
    return absl::InvalidArgumentError("Flavor's memory is too small for requested image.");
  }
  GUREUM_RETURN_IF_ERROR(CheckImageFitsFlavor(*image, *flavor));
  plan.flavor = *std::move(flavor);
  plan.image = *std::move(image);
  return absl::OkStatus();
}

absl::Status ServerManager::ResolvePlacement(const RequestContext& ctx,
                                             const CreateServerRequest& req, CreatePlan& plan) {
  plan.zone = req.availability_zone;
  if (auto colon = plan.zone.find(':'); colon != std::string::npos) {
    GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:create:forced_host"));
    plan.forced_host = plan.zone.substr(colon + 1);
    plan.zone = plan.zone.substr(0, colon);
  }
  if (!plan.zone.empty() && plan.zone != options_.default_availability_zone) {
    GUREUM_ASSIGN_OR_RETURN(auto aggregates, store_.ListAggregates());
    bool known = false;
    for (const Aggregate& a : aggregates) known = known || a.availability_zone == plan.zone;
    if (!known) {
      return absl::InvalidArgumentError("The requested availability zone is not available");
    }
  }
  if (!req.server_group.empty()) {
    absl::StatusOr<ServerGroup> g = groups_.GetServerGroup(ctx, req.server_group);
    if (!g.ok()) return AsBadRequest(g.status());
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerManager::CreatePlan> ServerManager::PlanCreate(
    const RequestContext& ctx, const CreateServerRequest& req) {
  GUREUM_RETURN_IF_ERROR(ValidateCreateRequest(req));
  CreatePlan plan;
  GUREUM_ASSIGN_OR_RETURN(plan.limits,
                          store_.GetQuotaLimits(ctx.caller.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(ValidateMetadata(req.metadata, plan.limits.metadata_items));
  GUREUM_RETURN_IF_ERROR(ResolveFlavorAndImage(ctx, req, plan));
  GUREUM_ASSIGN_OR_RETURN(plan.auto_disk_config, DiskConfigFor(plan.image, req.auto_disk_config));
  if (!req.key_name.empty()) {
    absl::StatusOr<Keypair> kp = store_.GetKeypair(ctx.caller.user_id, req.key_name);
    if (!kp.ok()) return AsBadRequest(absl::NotFoundError("Invalid key_name provided."));
    plan.key_data = kp->public_key;
  }
  GUREUM_RETURN_IF_ERROR(ResolvePlacement(ctx, req, plan));
  GUREUM_ASSIGN_OR_RETURN(plan.networks, ResolveNetworks(ctx, req));
  GUREUM_RETURN_IF_ERROR(CheckSecurityGroups(ctx, req.security_groups));
  return plan;
}

Instance ServerManager::NewInstance(const RequestContext& ctx, const CreateServerRequest& req,
                                    const CreatePlan& plan, int64_t n, int64_t count,
                                    const std::string& reservation_id) {
  Instance i;
  i.uuid = ids_.NewUuid();
  i.name = count > 1 ? absl::StrCat(req.name, "-", n + 1) : req.name;
  i.project_id = ctx.caller.project_id;
  i.user_id = ctx.caller.user_id;
  i.flavor = plan.flavor;
  i.image_ref = plan.boot_volume ? "" : plan.image.id;  // Nova shows "" for a volume root
  i.image = plan.image;
  i.vm_state = vm::kBuilding;
  i.task_state = task::kScheduling;
  i.task_id = ids_.NewUuid();
  i.availability_zone = plan.zone;
  i.key_name = req.key_name;
  i.key_data = plan.key_data;
  i.user_data = req.user_data;
  i.metadata = req.metadata;
  i.requested_networks = plan.networks;
  for (const RequestedNetwork& r : plan.networks) {
    if (r.port_id.empty())
      i.network_ids.push_back(r.network_id);
    else
      i.port_ids.push_back(r.port_id);
  }
  i.security_groups = req.security_groups;
  i.server_group = req.server_group;
  i.hostname = ToHostname(i.name);
  i.launch_index = static_cast<int>(n);
  i.reservation_id = reservation_id;
  i.description = req.description;
  i.access_ip_v4 = CanonicalIp(req.access_ip_v4);
  i.access_ip_v6 = CanonicalIp(req.access_ip_v6);
  i.auto_disk_config = plan.auto_disk_config;
  i.admin_pass = req.admin_pass;
  return i;
}

void ServerManager::CastBuilds(const RequestContext& ctx, const std::string& forced_host,
                               std::vector<Instance>& instances) {
  // All the requests of one create go out as one batch: one confirm round trip for a
  // hundred servers instead of a hundred.
  std::vector<amqp::Message> requests;
  requests.reserve(instances.size());
  for (const Instance& i : instances) {
    requests.push_back(
        casts_.Schedule(ctx, i, v1::ScheduleRequest::BUILD, i.task_id, forced_host, ""));
  }
  absl::Status cast = casts_.CastScheduleBatch(requests);
  if (cast.ok()) return;
  for (Instance& i : instances) {
    // The instance exists but nobody will build it: say so on the instance.
    spdlog::error("cannot cast the schedule request of {}: {}", i.uuid, cast.ToString());
    (void)store_.AddFault(
        {.instance_uuid = i.uuid,
         .code = 500,
         .message = "The scheduler could not be reached: " + std::string(cast.message())});
    auto failed = store_.MutateInstance(i.uuid, [](Instance& x) {
      x.vm_state = vm::kError;
      x.task_state.clear();
      return absl::OkStatus();
    });
    if (failed.ok()) {
      i = *failed;
      events_.Updated(i);
    }
  }
}

absl::StatusOr<CreateServerResult> ServerManager::CreateServers(const RequestContext& ctx,
                                                                const CreateServerRequest& req) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:create"));
  GUREUM_ASSIGN_OR_RETURN(CreatePlan plan, PlanCreate(ctx, req));
  // Nova boots as many as the quota allows between min_count and max_count.
  const QuotaLimits& limits = plan.limits;
  GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage,
                          store_.GetQuotaUsage(ctx.caller.project_id, ctx.caller.user_id));
  int64_t count = req.max_count;
  auto fits = [&](int64_t n) {
    return (limits.instances < 0 || usage.instances + n <= limits.instances) &&
           (limits.cores < 0 || usage.cores + n * plan.flavor.vcpus <= limits.cores) &&
           (limits.ram < 0 || usage.ram + n * plan.flavor.ram_mb <= limits.ram);
  };
  while (count > req.min_count && !fits(count)) --count;

  CreateServerResult result;
  result.reservation_id = "r-" + ids_.NewUuid().substr(0, 8);
  for (int64_t n = 0; n < count; ++n) {
    result.instances.push_back(NewInstance(ctx, req, plan, n, count, result.reservation_id));
  }
  QuotaRequest quota{.limits = limits,
                     .instances = count,
                     .cores = count * plan.flavor.vcpus,
                     .ram = count * plan.flavor.ram_mb};
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeAttachment> roots,
                          PrepareBootVolumes(ctx, plan, result.instances));
  absl::Status created = store_.CreateInstances(result.instances, quota, ctx.request_id);
  for (const VolumeAttachment& row : roots) {
    if (created.ok()) created = store_.CreateVolumeAttachment(row);
  }
  if (!created.ok()) {
    for (const VolumeAttachment& row : roots) block_devices_->Undo(ctx, row);
    for (const Instance& i : result.instances) (void)store_.DeleteInstance(i.uuid);
    return created;
  }
  for (const Instance& i : result.instances) events_.Created(i);
  CastBuilds(ctx, plan.forced_host, result.instances);
  return result;
}

absl::StatusOr<std::vector<VolumeAttachment>> ServerManager::PrepareBootVolumes(
    const RequestContext& ctx, const CreatePlan& plan, const std::vector<Instance>& instances) {
  std::vector<VolumeAttachment> rows;
  if (!plan.boot_volume) return rows;
  for (const Instance& i : instances) {
    absl::StatusOr<VolumeAttachment> row = block_devices_->Prepare(ctx, i, *plan.boot_volume);
    if (!row.ok()) {
      for (const VolumeAttachment& done : rows) block_devices_->Undo(ctx, done);
      return row.status();
    }
    rows.push_back(*std::move(row));
  }
  return rows;
}

absl::StatusOr<Instance> ServerManager::GetServer(const RequestContext& ctx,
                                                  const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:show", i.project_id));
  return i;
}

void ServerManager::AddFloatingIps(const RequestContext& ctx, std::vector<Instance>& servers) {
  if (networks_ == nullptr) return;
  std::map<std::string, Vif*> by_port;
  for (Instance& i : servers) {
    for (Vif& v : i.vifs) {
      if (!v.port_id.empty()) by_port[v.port_id] = &v;
    }
  }
  if (by_port.empty()) return;  // no NIC: nothing to ask
  absl::StatusOr<std::vector<FloatingIp>> fips = networks_->ListFloatingIps(ctx.token);
  if (!fips.ok()) {
    spdlog::warn("servers shown without floating IPs: {}", fips.status().ToString());
    return;
  }
  for (const FloatingIp& f : *fips) {
    auto it = by_port.find(f.port_id);
    if (it == by_port.end()) continue;
    it->second->ips.push_back({.address = f.floating_ip_address, .version = 4, .type = "floating"});
  }
}

absl::StatusOr<std::vector<Instance>> ServerManager::ListServers(const RequestContext& ctx,
                                                                 InstanceFilter filter) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:index"));
  if (filter.all_projects) {
    GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:index:get_all_tenants"));
  } else {
    filter.project_id = ctx.caller.project_id;
  }
  if (!policy_.IsAdmin(ctx))
    filter.host.clear();  // admin-only filter, ignored for others as Nova does
  if (filter.limit <= 0 || filter.limit > options_.max_list_limit)
    filter.limit = options_.max_list_limit;
  // Soft-deleted servers are listed only when asked for (status SOFT_DELETED), as in Nova.
  if (filter.vm_state.empty()) filter.not_vm_state = vm::kSoftDeleted;
  return store_.ListInstances(filter);
}

absl::StatusOr<Instance> ServerManager::UpdateServer(const RequestContext& ctx,
                                                     const std::string& id,
                                                     const ServerUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:update", current.project_id));
  GUREUM_RETURN_IF_ERROR(CheckLocked(policy_, ctx, current, Action::kUpdate));
  if (update.name && update.name->empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  if (update.name) GUREUM_RETURN_IF_ERROR(ValidateName("name", *update.name));
  if (update.access_ip_v4)
    GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv4", *update.access_ip_v4, 4));
  if (update.access_ip_v6)
    GUREUM_RETURN_IF_ERROR(ValidateAccessIp("accessIPv6", *update.access_ip_v6, 6));
  GUREUM_ASSIGN_OR_RETURN(Instance updated, store_.MutateInstance(id, [&](Instance& i) {
    if (update.name) i.name = *update.name;
    if (update.description) i.description = *update.description;
    if (update.access_ip_v4) i.access_ip_v4 = CanonicalIp(*update.access_ip_v4);
    if (update.access_ip_v6) i.access_ip_v6 = CanonicalIp(*update.access_ip_v6);
    if (update.auto_disk_config) i.auto_disk_config = *update.auto_disk_config;
    return absl::OkStatus();
  }));
  events_.Updated(updated);
  return updated;
}

absl::StatusOr<Instance> ServerManager::UpdateServerMetadata(
    const RequestContext& ctx, const std::string& id,
    const std::map<std::string, std::optional<std::string>>& changes, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:update", current.project_id));
  GUREUM_RETURN_IF_ERROR(CheckLocked(policy_, ctx, current, Action::kUpdate));
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(current.project_id, options_.default_quotas));
  return store_.MutateInstance(id, [&](Instance& i) -> absl::Status {
    StringMap next = replace ? StringMap() : i.metadata;
    for (const auto& [k, v] : changes) {
      if (!v && !replace && next.find(k) == next.end()) {
        return absl::NotFoundError("Metadata item was not found");
      }
      if (v)
        next[k] = *v;
      else
        next.erase(k);
    }
    GUREUM_RETURN_IF_ERROR(ValidateMetadata(next, limits.metadata_items));
    i.metadata = std::move(next);
    return absl::OkStatus();
  });
}

absl::Status ServerManager::DeleteServer(const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:servers:delete", current.project_id));
  GUREUM_RETURN_IF_ERROR(CheckLocked(policy_, ctx, current, Action::kDelete));
  if (options_.reclaim_instance_interval > absl::ZeroDuration()) {
    if (current.vm_state == vm::kSoftDeleted) return absl::OkStatus();
    // Nova soft deletes only what was launched; the rest is deleted.
    if (current.launched_at && !current.host.empty()) return SoftDelete(ctx, current);
  }
  return HardDelete(ctx, current);
}

absl::Status ServerManager::HardDelete(const RequestContext& ctx, const Instance& current) {
  const std::string& id = current.uuid;
  bool host_up = false;
  if (!current.host.empty()) {
    GUREUM_ASSIGN_OR_RETURN(host_up, hosts_.IsHostUp(current.host));
  }
  if (current.host.empty() || !host_up) {
    // Never reached a host, or its host is down (Nova's local delete): gone at once; the
    // allocations the scheduler may hold go too.
    GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, current, "delete"));
    if (volumes_ != nullptr) volumes_->ReleaseAll(id);  // before the rows go with it
    GUREUM_RETURN_IF_ERROR(store_.DeleteInstance(id));
    events_.Deleted(current);
    if (absl::Status s = placement_.DeleteAllocations(id, /*provider_name=*/""); !s.ok()) {
      spdlog::warn("instance {} deleted, but its allocations could not be dropped: {}", id,
                   s.ToString());
    }
    return absl::OkStatus();
  }
  const std::string task_id = ids_.NewUuid();
  GUREUM_ASSIGN_OR_RETURN(Instance i, store_.MutateInstance(id, [&](Instance& x) {
    x.task_state = task::kDeleting;
    x.task_id = task_id;
    return absl::OkStatus();
  }));
  events_.Updated(i);
  GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, i, "delete"));
  return casts_.CastAction(ctx, i, v1::InstanceAction::DELETE, task_id);
}

absl::StatusOr<std::string> ServerManager::ConsoleOutput(const RequestContext& ctx,
                                                         const std::string& id, int lines) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:servers:console_output", i.project_id));
  if (i.host.empty()) return NotReady(i);
  if (lines <= 0) return i.console_tail;
  // Nova's _tail_log: the last `lines` pieces of the text split at newlines, joined again
  // (a text ending in a newline ends in an empty piece; Tempest counts the pieces).
  std::vector<absl::string_view> all = absl::StrSplit(i.console_tail, '\n');
  size_t from = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return absl::StrJoin(all.begin() + static_cast<std::ptrdiff_t>(from), all.end(), "\n");
}

absl::StatusOr<std::vector<InstanceFault>> ServerManager::ServerFaults(const RequestContext&,
                                                                       const Instance& instance) {
  return store_.ListFaults(instance.uuid, 1);
}

absl::StatusOr<std::vector<InstanceActionRecord>> ServerManager::ListInstanceActions(
    const RequestContext& ctx, const std::string& id) {
  absl::StatusOr<Instance> i = GetOwnInstance(store_, policy_, ctx, id);
  if (!i.ok() && !(i.status().code() == absl::StatusCode::kNotFound && policy_.IsAdmin(ctx))) {
    return i.status();
  }
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:servers:instance_actions", i.ok() ? i->project_id : ""));
  return store_.ListActions(id);
}

absl::StatusOr<InstanceActionRecord> ServerManager::GetInstanceAction(
    const RequestContext& ctx, const std::string& id, const std::string& request_id) {
  GUREUM_RETURN_IF_ERROR(ListInstanceActions(ctx, id).status());
  return store_.GetAction(id, request_id);
}

}  // namespace gureum::compute