// `gureum flavor create|list|show|delete`, `gureum keypair create|list|show|delete` and
// `gureum compute service list`, over compute-api's gRPC API (proto/compute.proto).
//
// The endpoint: --os-compute-grpc, else OS_COMPUTE_GRPC, else the host of OS_AUTH_URL with
// port 18774 (compute-api's gRPC port, ARCHITECTURE.md).
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

#include "compute.grpc.pb.h"

namespace gureum::cli {

absl::StatusOr<std::string> ComputeEndpoint(const std::string& option, Session& s) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("OS_COMPUTE_GRPC"); env != nullptr && *env != '\0') return env;
  GUREUM_ASSIGN_OR_RETURN(std::string identity, IdentityGrpcFromAuthUrl(s.settings().auth_url));
  return absl::StrCat(identity.substr(0, identity.rfind(':')), ":", kComputeGrpcPort);
}

namespace {

namespace cv1 = compute::v1;

struct ComputeArgs {
  std::string endpoint;
  std::string name, id, public_key_file, description;
  int vcpus = 1, disk = 0, ephemeral = 0, swap = 0;
  int64_t ram = 0;
  bool is_private = false;
  std::vector<std::string> properties;
};

template <typename Req, typename Resp>
absl::StatusOr<Resp> CallCompute(Session& s, const std::string& endpoint,
                                 grpc::Status (cv1::Compute::Stub::*method)(grpc::ClientContext*,
                                                                            const Req&, Resp*),
                                 const Req& req) {
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  auto stub = cv1::Compute::NewStub(grpcx::MakeChannel(endpoint));
  Resp resp;
  GUREUM_RETURN_IF_ERROR(
      FromCliCall(grpcx::CallUnary(*stub, method, req, &resp, CliCallOptions(token)), "compute-api",
                  endpoint, "--os-compute-grpc"));
  return resp;
}

json FlavorJson(const cv1::FlavorRecord& f) {
  std::string props;
  for (const auto& [k, v] : f.extra_specs())
    props += absl::StrCat(props.empty() ? "" : ", ", k, "='", v, "'");
  return {{"id", f.id()},
          {"name", f.name()},
          {"vcpus", f.vcpus()},
          {"ram", f.ram_mb()},
          {"disk", f.disk_gb()},
          {"OS-FLV-EXT-DATA:ephemeral", f.ephemeral_gb()},
          {"swap", f.swap_mb()},
          {"os-flavor-access:is_public", f.is_public()},
          {"description", f.description()},
          {"properties", props}};
}

json KeypairJson(const cv1::KeypairRecord& k) {
  return {{"name", k.name()},
          {"fingerprint", k.fingerprint()},
          {"type", k.type()},
          {"user_id", k.user_id()},
          {"created_at", k.created_at()}};
}

const std::vector<std::string> kFlavorFields = {
    "OS-FLV-EXT-DATA:ephemeral",  "description", "disk", "id",   "name",
    "os-flavor-access:is_public", "properties",  "ram",  "swap", "vcpus"};

void AddFlavor(CLI::App& app, Cli& cli, std::shared_ptr<ComputeArgs> args) {
  auto* flavor = app.add_subcommand("flavor", "Flavors (compute, gRPC)")->require_subcommand(1);
  flavor->add_option("--os-compute-grpc", args->endpoint, "compute-api's gRPC API, host:port");
  auto* create = flavor->add_subcommand("create", "Create a flavor (admin)");
  create->add_option("name", args->name, "Flavor name")->required();
  create->add_option("--id", args->id, "Flavor id (default: a new UUID)");
  create->add_option("--vcpus", args->vcpus, "vCPUs");
  create->add_option("--ram", args->ram, "RAM in MiB")->required();
  create->add_option("--disk", args->disk, "Root disk in GiB");
  create->add_option("--ephemeral", args->ephemeral, "Ephemeral disk in GiB");
  create->add_option("--swap", args->swap, "Swap in MiB");
  create->add_option("--description", args->description, "Description");
  create->add_option("--property", args->properties, "Extra spec key=value (repeatable)");
  create->add_flag("--private", args->is_private, "Only projects given access may use it");
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    cv1::CreateFlavorRequest req;
    auto* f = req.mutable_flavor();
    f->set_id(args->id);
    f->set_name(args->name);
    f->set_vcpus(args->vcpus);
    f->set_ram_mb(args->ram);
    f->set_disk_gb(args->disk);
    f->set_ephemeral_gb(args->ephemeral);
    f->set_swap_mb(args->swap);
    f->set_is_public(!args->is_private);
    f->set_description(args->description);
    for (const std::string& kv : args->properties) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        return absl::InvalidArgumentError("--property takes key=value, got '" + kv + "'");
      (*f->mutable_extra_specs())[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    GUREUM_ASSIGN_OR_RETURN(auto made, CallCompute(s, ep, &cv1::Compute::Stub::CreateFlavor, req));
    cli.Show(kFlavorFields, FlavorJson(made));
    return absl::OkStatus();
  });
  auto* list = flavor->add_subcommand("list", "List flavors");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    GUREUM_ASSIGN_OR_RETURN(
        auto resp, CallCompute(s, ep, &cv1::Compute::Stub::ListFlavors, cv1::ListFlavorsRequest()));
    std::vector<json> rows;
    for (const auto& f : resp.flavors()) {
      rows.push_back({{"ID", f.id()},
                      {"Name", f.name()},
                      {"RAM", f.ram_mb()},
                      {"Disk", f.disk_gb()},
                      {"Ephemeral", f.ephemeral_gb()},
                      {"VCPUs", f.vcpus()},
                      {"Is Public", f.is_public()}});
    }
    cli.List({"ID", "Name", "RAM", "Disk", "Ephemeral", "VCPUs", "Is Public"}, rows);
    return absl::OkStatus();
  });
  for (const char* verb : {"show", "delete"}) {
    auto* cmd = flavor->add_subcommand(
        verb, std::string(verb) == "show" ? "Show a flavor" : "Delete a flavor (admin)");
    cmd->add_option("flavor", args->name, "Flavor (name or ID)")->required();
    const bool show = std::string(verb) == "show";
    OnRun(cmd, cli, [&cli, args, show](Session& s) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
      cv1::FlavorRef ref;
      ref.set_id(args->name);
      if (!show) return CallCompute(s, ep, &cv1::Compute::Stub::DeleteFlavor, ref).status();
      GUREUM_ASSIGN_OR_RETURN(auto f, CallCompute(s, ep, &cv1::Compute::Stub::GetFlavor, ref));
      cli.Show(kFlavorFields, FlavorJson(f));
      return absl::OkStatus();
    });
  }
}

void AddKeypair(CLI::App& app, Cli& cli, std::shared_ptr<ComputeArgs> args) {
  auto* keypair =
      app.add_subcommand("keypair", "SSH key pairs (compute, gRPC)")->require_subcommand(1);
  keypair->add_option("--os-compute-grpc", args->endpoint, "compute-api's gRPC API, host:port");
  auto* create = keypair->add_subcommand(
      "create", "Import --public-key, or generate a pair and print the private key");
  create->add_option("name", args->name, "Key pair name")->required();
  create->add_option("--public-key", args->public_key_file, "File with the OpenSSH public key");
  OnRun(create, cli, [&cli, args](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    cv1::CreateKeypairRequest req;
    req.set_name(args->name);
    if (!args->public_key_file.empty()) {
      std::ifstream in(args->public_key_file);
      if (!in) return absl::InvalidArgumentError("cannot read " + args->public_key_file);
      std::stringstream text;
      text << in.rdbuf();
      req.set_public_key(text.str());
    }
    GUREUM_ASSIGN_OR_RETURN(auto k, CallCompute(s, ep, &cv1::Compute::Stub::CreateKeypair, req));
    if (!k.private_key().empty()) {
      std::cout << k.private_key();  // as `openstack keypair create` does
      return absl::OkStatus();
    }
    cli.Show({"created_at", "fingerprint", "name", "type", "user_id"}, KeypairJson(k));
    return absl::OkStatus();
  });
  auto* list = keypair->add_subcommand("list", "List your key pairs");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    GUREUM_ASSIGN_OR_RETURN(auto resp, CallCompute(s, ep, &cv1::Compute::Stub::ListKeypairs,
                                                   cv1::ListKeypairsRequest()));
    std::vector<json> rows;
    for (const auto& k : resp.keypairs()) {
      rows.push_back({{"Name", k.name()}, {"Fingerprint", k.fingerprint()}, {"Type", k.type()}});
    }
    cli.List({"Name", "Fingerprint", "Type"}, rows);
    return absl::OkStatus();
  });
  for (const char* verb : {"show", "delete"}) {
    const bool show = std::string(verb) == "show";
    auto* cmd = keypair->add_subcommand(verb, show ? "Show a key pair" : "Delete a key pair");
    cmd->add_option("name", args->name, "Key pair name")->required();
    OnRun(cmd, cli, [&cli, args, show](Session& s) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
      cv1::KeypairRef ref;
      ref.set_name(args->name);
      if (!show) return CallCompute(s, ep, &cv1::Compute::Stub::DeleteKeypair, ref).status();
      GUREUM_ASSIGN_OR_RETURN(auto k, CallCompute(s, ep, &cv1::Compute::Stub::GetKeypair, ref));
      json j = KeypairJson(k);
      j["public_key"] = k.public_key();
      cli.Show({"created_at", "fingerprint", "name", "public_key", "type", "user_id"}, j);
      return absl::OkStatus();
    });
  }
}

void AddComputeService(CLI::App& app, Cli& cli, std::shared_ptr<ComputeArgs> args) {
  auto* compute = app.add_subcommand("compute", "Compute hosts (gRPC)")->require_subcommand(1);
  compute->add_option("--os-compute-grpc", args->endpoint, "compute-api's gRPC API, host:port");
  auto* service = compute->add_subcommand("service", "Compute services")->require_subcommand(1);
  auto* list = service->add_subcommand("list", "List services with their state (admin)");
  OnRun(list, cli, [&cli, args](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    GUREUM_ASSIGN_OR_RETURN(auto resp, CallCompute(s, ep, &cv1::Compute::Stub::ListServices,
                                                   cv1::ListServicesRequest()));
    std::vector<json> rows;
    for (const auto& v : resp.services()) {
      rows.push_back({{"ID", v.id()},
                      {"Binary", v.binary()},
                      {"Host", v.host()},
                      {"Zone", v.zone()},
                      {"Status", v.enabled() ? "enabled" : "disabled"},
                      {"State", v.up() ? "up" : "down"},
                      {"Updated At", v.updated_at()}});
    }
    cli.List({"ID", "Binary", "Host", "Zone", "Status", "State", "Updated At"}, rows);
    return absl::OkStatus();
  });
}

}  // namespace

void AddComputeCommands(CLI::App& app, Cli& cli) {
  AddFlavor(app, cli, std::make_shared<ComputeArgs>());
  AddKeypair(app, cli, std::make_shared<ComputeArgs>());
  AddComputeService(app, cli, std::make_shared<ComputeArgs>());
}

}  // namespace gureum::cli
