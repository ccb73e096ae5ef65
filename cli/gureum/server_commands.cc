// `gureum server create|list|show|delete|start|stop|reboot|console` over compute-api's
// gRPC API (proto/compute.proto). `create --wait` and `delete --wait` poll until the
// server is ACTIVE (ERROR fails with its fault) or gone, as the openstack CLI does.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

#include "compute.grpc.pb.h"

namespace gureum::cli {
namespace {

namespace cv1 = compute::v1;

struct ServerArgs {
  std::string endpoint;
  std::string name, image, flavor, key_name, user_data_file, zone, group;
  std::vector<std::string> properties, networks;
  int min = 1, max = 0, lines = 0, wait_seconds = 600;
  bool wait = false, all_projects = false, hard = false;
  std::string status;
};

class Client {
 public:
  Client(Session& s, const std::string& endpoint)
      : session_(s),
        endpoint_(endpoint),
        stub_(cv1::Compute::NewStub(grpcx::MakeChannel(endpoint))) {}
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(grpc::Status (cv1::Compute::Stub::*method)(grpc::ClientContext*,
                                                                       const Req&, Resp*),
                            const Req& req) {
    GUREUM_ASSIGN_OR_RETURN(std::string token, session_.Token());
    Resp resp;
    GUREUM_RETURN_IF_ERROR(
        FromCliCall(grpcx::CallUnary(*stub_, method, req, &resp, CliCallOptions(token)),
                    "compute-api", endpoint_, "--os-compute-grpc"));
    return resp;
  }

 private:
  Session& session_;
  std::string endpoint_;
  std::unique_ptr<cv1::Compute::Stub> stub_;
};

const std::vector<std::string> kServerFields = {"OS-EXT-AZ:availability_zone",
                                                "OS-EXT-SRV-ATTR:host",
                                                "OS-EXT-STS:power_state",
                                                "OS-EXT-STS:task_state",
                                                "OS-EXT-STS:vm_state",
                                                "created",
                                                "fault",
                                                "flavor",
                                                "id",
                                                "image",
                                                "key_name",
                                                "launched_at",
                                                "locked",
                                                "name",
                                                "project_id",
                                                "properties",
                                                "status",
                                                "updated",
                                                "user_id"};

std::string PowerName(int p) {
  switch (p) {
    case 1:
      return "Running";
    case 3:
      return "Paused";
    case 4:
      return "Shutdown";
    case 6:
      return "Crashed";
    case 7:
      return "Suspended";
    default:
      return "NOSTATE";
  }
}

json ServerJson(const cv1::Server& v) {
  std::string props;
  for (const auto& [k, val] : v.metadata())
    props += absl::StrCat(props.empty() ? "" : ", ", k, "='", val, "'");
  return {{"id", v.id()},
          {"name", v.name()},
          {"status", v.status()},
          {"OS-EXT-STS:vm_state", v.vm_state()},
          {"OS-EXT-STS:task_state", v.task_state()},
          {"OS-EXT-STS:power_state", PowerName(v.power_state())},
          {"OS-EXT-AZ:availability_zone", v.availability_zone()},
          {"OS-EXT-SRV-ATTR:host", v.host()},
          {"flavor", absl::StrCat(v.flavor_name(), " (", v.flavor_id(), ")")},
          {"image", absl::StrCat(v.image_name(), " (", v.image_id(), ")")},
          {"key_name", v.key_name()},
          {"project_id", v.project_id()},
          {"user_id", v.user_id()},
          {"locked", v.locked()},
          {"fault", v.fault()},
          {"properties", props},
          {"created", v.created_at()},
          {"updated", v.updated_at()},
          {"launched_at", v.launched_at()}};
}

// Polls until the server is ACTIVE (or gone, with `gone`); ERROR or the deadline fail.
absl::StatusOr<cv1::Server> Wait(Client& c, const std::string& id, bool gone, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  cv1::ServerRef ref;
  ref.set_id(id);
  while (std::chrono::steady_clock::now() < deadline) {
    absl::StatusOr<cv1::Server> s = c.Call(&cv1::Compute::Stub::GetServer, ref);
    if (gone && s.status().code() == absl::StatusCode::kNotFound) return cv1::Server();
    if (!s.ok()) return s.status();
    if (!gone && s->status() == "ACTIVE") return s;
    if (!gone && s->status() == "ERROR") {
      return absl::FailedPreconditionError("Error creating server " + s->name() + ": " +
                                           (s->fault().empty() ? "no fault recorded" : s->fault()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "server ", id, gone ? " still exists" : " is not ACTIVE", " after ", seconds, " s"));
}

// Makes compute-api's client when a command runs (after the options are parsed).
auto ClientOf(std::shared_ptr<ServerArgs> args) {
  return [args](Session& s) -> absl::StatusOr<std::unique_ptr<Client>> {
    GUREUM_ASSIGN_OR_RETURN(std::string ep, ComputeEndpoint(args->endpoint, s));
    return std::make_unique<Client>(s, ep);
  };
}

// `server create`
void AddServerCreate(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  auto* create = server->add_subcommand("create", "Boot a server");
  create->add_option("name", args->name, "Server name")->required();
  create->add_option("--image", args->image, "Image (name or ID)")->required();
  create->add_option("--flavor", args->flavor, "Flavor (name or ID)")->required();
  create->add_option("--key-name", args->key_name, "Key pair to inject");
  create->add_option("--user-data", args->user_data_file, "File given to the guest as user data");
  create->add_option("--availability-zone", args->zone, "Availability zone");
  create->add_option("--network", args->networks, "Network ID (repeatable)");
  create->add_option("--property", args->properties, "Metadata key=value (repeatable)");
  create->add_option("--hint-group", args->group, "Server group ID");
  create->add_option("--min", args->min, "Boot at least this many");
  create->add_option("--max", args->max, "Boot at most this many");
  create->add_flag("--wait", args->wait, "Wait until the server is ACTIVE");
  create->add_option("--wait-timeout", args->wait_seconds, "Seconds --wait waits");
  OnRun(create, cli, [&cli, args, client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    cv1::CreateServerRequest req;
    req.set_name(args->name);
    GUREUM_ASSIGN_OR_RETURN(std::string image_id, FindImage(s, args->image));
    req.set_image_id(image_id);
    req.set_flavor(args->flavor);
    req.set_key_name(args->key_name);
    req.set_availability_zone(args->zone);
    req.set_server_group(args->group);
    req.set_min_count(args->min);
    req.set_max_count(args->max > 0 ? args->max : args->min);
    for (const auto& n : args->networks) req.add_network_ids(n);
    for (const std::string& kv : args->properties) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        return absl::InvalidArgumentError("--property takes key=value, got '" + kv + "'");
      (*req.mutable_metadata())[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    if (!args->user_data_file.empty()) {
      std::ifstream in(args->user_data_file, std::ios::binary);
      if (!in) return absl::InvalidArgumentError("cannot read " + args->user_data_file);
      std::stringstream text;
      text << in.rdbuf();
      req.set_user_data(absl::Base64Escape(text.str()));
    }
    GUREUM_ASSIGN_OR_RETURN(auto made, c->Call(&cv1::Compute::Stub::CreateServer, req));
    cv1::Server shown = made.servers(0);
    if (args->wait) {
      for (const auto& v : made.servers()) {
        GUREUM_ASSIGN_OR_RETURN(cv1::Server done, Wait(*c, v.id(), false, args->wait_seconds));
        if (v.id() == shown.id()) shown = done;
      }
    }
    cli.Show(kServerFields, ServerJson(shown));
    return absl::OkStatus();
  });
}

// `server list`
void AddServerList(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  auto* list = server->add_subcommand("list", "List servers");
  list->add_flag("--all-projects", args->all_projects, "Every project's (admin)");
  list->add_option("--name", args->name, "Name (regular expression)");
  list->add_option("--status", args->status, "Status, e.g. ACTIVE or SHUTOFF");
  OnRun(list, cli, [&cli, args, client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    cv1::ListServersRequest req;
    req.set_all_projects(args->all_projects);
    req.set_name(args->name);
    req.set_status(args->status);
    std::vector<json> rows;
    for (;;) {
      req.set_limit(500);
      GUREUM_ASSIGN_OR_RETURN(auto resp, c->Call(&cv1::Compute::Stub::ListServers, req));
      for (const auto& v : resp.servers()) {
        rows.push_back({{"ID", v.id()},
                        {"Name", v.name()},
                        {"Status", v.status()},
                        {"Image", v.image_name().empty() ? v.image_id() : v.image_name()},
                        {"Flavor", v.flavor_name()}});
      }
      if (resp.servers_size() < 500) break;
      req.set_marker(resp.servers(resp.servers_size() - 1).id());
    }
    cli.List({"ID", "Name", "Status", "Image", "Flavor"}, rows);
    return absl::OkStatus();
  });
}

// `server show`
void AddServerShow(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  auto* show = server->add_subcommand("show", "Show a server");
  show->add_option("server", args->name, "Server (name or ID)")->required();
  OnRun(show, cli, [&cli, args, client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    cv1::ServerRef ref;
    ref.set_id(args->name);
    GUREUM_ASSIGN_OR_RETURN(auto v, c->Call(&cv1::Compute::Stub::GetServer, ref));
    cli.Show(kServerFields, ServerJson(v));
    return absl::OkStatus();
  });
}

// `server delete`
void AddServerDelete(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  auto* del = server->add_subcommand("delete", "Delete a server");
  del->add_option("server", args->name, "Server (name or ID)")->required();
  del->add_flag("--wait", args->wait, "Wait until it is gone");
  OnRun(del, cli, [args, client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    cv1::ServerRef ref;
    ref.set_id(args->name);
    GUREUM_ASSIGN_OR_RETURN(auto v, c->Call(&cv1::Compute::Stub::GetServer, ref));
    ref.set_id(v.id());
    GUREUM_RETURN_IF_ERROR(c->Call(&cv1::Compute::Stub::DeleteServer, ref).status());
    if (args->wait) return Wait(*c, v.id(), true, args->wait_seconds).status();
    return absl::OkStatus();
  });
}

// `server start|stop|reboot|...`
void AddServerActions(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  for (const char* verb :
       {"start", "stop", "reboot", "pause", "unpause", "suspend", "resume", "lock", "unlock"}) {
    auto* cmd = server->add_subcommand(verb, std::string("Server action: ") + verb);
    cmd->add_option("server", args->name, "Server (name or ID)")->required();
    if (std::string(verb) == "reboot") cmd->add_flag("--hard", args->hard, "Hard reboot");
    const std::string action = verb;
    OnRun(cmd, cli, [args, client, action](Session& s) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
      cv1::ServerActionRequest req;
      req.set_id(args->name);
      req.set_action(action == "reboot" && args->hard ? "reboot-hard" : action);
      return c->Call(&cv1::Compute::Stub::ServerAction, req).status();
    });
  }
}

// `server console log`
void AddServerConsole(CLI::App* server, Cli& cli, const std::shared_ptr<ServerArgs>& args) {
  auto client = ClientOf(args);
  auto* console = server->add_subcommand("console", "Server console")->require_subcommand(1);
  auto* log = console->add_subcommand("log", "Show the console output");
  log->add_option("server", args->name, "Server (name or ID)")->required();
  log->add_option("--lines", args->lines, "Only the last N lines");
  OnRun(log, cli, [args, client](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto c, client(s));
    cv1::ConsoleOutputRequest req;
    req.set_id(args->name);
    req.set_lines(args->lines);
    GUREUM_ASSIGN_OR_RETURN(auto out, c->Call(&cv1::Compute::Stub::GetConsoleOutput, req));
    std::cout << out.output();
    return absl::OkStatus();
  });
}

}  // namespace

void AddServerCommands(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<ServerArgs>();
  auto* server = app.add_subcommand("server", "Servers (compute, gRPC)")->require_subcommand(1);
  server->add_option("--os-compute-grpc", args->endpoint, "compute-api's gRPC API, host:port");
  AddServerCreate(server, cli, args);
  AddServerList(server, cli, args);
  AddServerShow(server, cli, args);
  AddServerDelete(server, cli, args);
  AddServerActions(server, cli, args);
  AddServerConsole(server, cli, args);
}

}  // namespace gureum::cli
