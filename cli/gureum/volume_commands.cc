// `gureum volume create|list|show|delete` over gureum-block-storage's gRPC API
// (proto/block_storage.proto, BlockStorage service). The endpoint: --os-volume-grpc, else
// OS_VOLUME_GRPC, else the host of OS_AUTH_URL with port 18776 (ARCHITECTURE.md). Volumes
// are named by name or id, as the openstack CLI does.
#include <memory>

#include "absl/strings/str_cat.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

#include "block_storage.grpc.pb.h"

namespace gureum::cli {
namespace {

namespace bv1 = block_storage::v1;
constexpr int kVolumeGrpcPort = 18776;

struct VolumeArgs {
  std::string endpoint, name, target, type, image, snapshot, source, description, zone;
  int64_t size = 0;
  bool force = false;
};

absl::StatusOr<std::string> VolumeEndpoint(const std::string& option, Session& s) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("OS_VOLUME_GRPC"); env != nullptr && *env != '\0') return env;
  GUREUM_ASSIGN_OR_RETURN(std::string identity, IdentityGrpcFromAuthUrl(s.settings().auth_url));
  return absl::StrCat(identity.substr(0, identity.rfind(':')), ":", kVolumeGrpcPort);
}

template <typename Req, typename Resp>
absl::StatusOr<Resp> Call(Session& s, const VolumeArgs& a,
                          grpc::Status (bv1::BlockStorage::Stub::*method)(grpc::ClientContext*,
                                                                          const Req&, Resp*),
                          const Req& req) {
  GUREUM_ASSIGN_OR_RETURN(std::string ep, VolumeEndpoint(a.endpoint, s));
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  auto stub = bv1::BlockStorage::NewStub(grpcx::MakeChannel(ep));
  Resp resp;
  GUREUM_RETURN_IF_ERROR(
      FromCliCall(grpcx::CallUnary(*stub, method, req, &resp, CliCallOptions(token)),
                  "block storage", ep, "--os-volume-grpc"));
  return resp;
}

const std::vector<std::string> kVolumeFields = {
    "id",       "name",        "status",      "size",       "volume_type", "availability_zone",
    "bootable", "multiattach", "attachments", "properties", "created_at",  "description"};

json VolumeJson(const bv1::Volume& v) {
  std::string attachments;
  for (const auto& a : v.attachments()) {
    attachments += absl::StrCat(attachments.empty() ? "" : ", ", "Attached to ", a.instance_uuid(),
                                " on ", a.mountpoint());
  }
  std::string properties;
  for (const auto& [k, val] : v.metadata()) {
    properties += absl::StrCat(properties.empty() ? "" : ", ", k, "='", val, "'");
  }
  return {{"id", v.id()},
          {"name", v.name()},
          {"status", v.status()},
          {"size", v.size_gb()},
          {"volume_type", v.volume_type()},
          {"availability_zone", v.availability_zone()},
          {"bootable", v.bootable() ? "true" : "false"},
          {"multiattach", v.multiattach()},
          {"attachments", attachments},
          {"properties", properties},
          {"created_at", v.created_at()},
          {"description", v.description()}};
}

// The id of the volume named `key` (an id, or the one volume of that name).
absl::StatusOr<std::string> FindVolume(Session& s, const VolumeArgs& a, const std::string& key) {
  bv1::GetVolumeRequest get;
  get.set_volume_id(key);
  if (Call(s, a, &bv1::BlockStorage::Stub::GetVolume, get).ok()) return key;
  GUREUM_ASSIGN_OR_RETURN(
      auto all, Call(s, a, &bv1::BlockStorage::Stub::ListVolumes, bv1::ListVolumesRequest()));
  std::string found;
  for (const auto& v : all.volumes()) {
    if (v.name() != key) continue;
    if (!found.empty()) {
      return absl::InvalidArgumentError("More than one volume is named " + key + "; use its ID.");
    }
    found = v.id();
  }
  if (found.empty()) return absl::NotFoundError("No volume with a name or ID of " + key + ".");
  return found;
}

void AddCreate(CLI::App* g, Cli& cli, std::shared_ptr<VolumeArgs> a) {
  auto* create = g->add_subcommand("create", "Create a volume");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--size", a->size, "Size in GiB (default: the source's)");
  create->add_option("--type", a->type, "Volume type (name or ID)");
  create->add_option("--image", a->image, "Image ID to write into the volume");
  create->add_option("--snapshot", a->snapshot, "Snapshot ID to start from");
  create->add_option("--source", a->source, "Volume (name or ID) to clone");
  create->add_option("--description", a->description, "Description");
  create->add_option("--availability-zone", a->zone, "Availability zone");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    bv1::CreateVolumeRequest req;
    req.set_name(a->name);
    req.set_size_gb(a->size);
    req.set_volume_type(a->type);
    req.set_image_id(a->image);
    req.set_snapshot_id(a->snapshot);
    req.set_description(a->description);
    req.set_availability_zone(a->zone);
    if (!a->source.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string id, FindVolume(s, *a, a->source));
      req.set_source_volume_id(id);
    }
    GUREUM_ASSIGN_OR_RETURN(auto v, Call(s, *a, &bv1::BlockStorage::Stub::CreateVolume, req));
    cli.Show(kVolumeFields, VolumeJson(v));
    return absl::OkStatus();
  });
}

}  // namespace

void AddVolumeCommands(CLI::App& app, Cli& cli) {
  auto a = std::make_shared<VolumeArgs>();
  auto* g = app.add_subcommand("volume", "Volumes (gRPC)")->require_subcommand(1);
  g->add_option("--os-volume-grpc", a->endpoint, "gureum-block-storage's gRPC API, host:port");
  AddCreate(g, cli, a);
  OnRun(g->add_subcommand("list", "List volumes"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        auto l, Call(s, *a, &bv1::BlockStorage::Stub::ListVolumes, bv1::ListVolumesRequest()));
    std::vector<json> rows;
    for (const auto& v : l.volumes()) {
      json j = VolumeJson(v);
      rows.push_back({{"ID", v.id()},
                      {"Name", v.name()},
                      {"Status", v.status()},
                      {"Size", v.size_gb()},
                      {"Attached to", j["attachments"]}});
    }
    cli.List({"ID", "Name", "Status", "Size", "Attached to"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a volume");
  show->add_option("volume", a->target, "Volume (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindVolume(s, *a, a->target));
    bv1::GetVolumeRequest req;
    req.set_volume_id(id);
    GUREUM_ASSIGN_OR_RETURN(auto v, Call(s, *a, &bv1::BlockStorage::Stub::GetVolume, req));
    cli.Show(kVolumeFields, VolumeJson(v));
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a volume");
  del->add_option("volume", a->target, "Volume (name or ID)")->required();
  del->add_flag("--force", a->force, "Any status but attached (admin)");
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindVolume(s, *a, a->target));
    bv1::DeleteVolumeRequest req;
    req.set_volume_id(id);
    req.set_force(a->force);
    return Call(s, *a, &bv1::BlockStorage::Stub::DeleteVolume, req).status();
  });
}

}  // namespace gureum::cli
