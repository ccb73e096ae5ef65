// `gureum security group ...` and `security group rule ...` over gureum-network's gRPC API.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/gureum/network_common.h"

namespace gureum::cli::netcmd {
namespace {

std::string RuleText(const nv1::SecurityGroupRule& r) {
  std::string ports =
      r.port_range_min() < 0 ? "" : absl::StrCat(" ", r.port_range_min(), ":", r.port_range_max());
  std::string remote = !r.remote_group_id().empty()
                           ? " group " + r.remote_group_id()
                           : (r.remote_ip_prefix().empty() ? "" : " " + r.remote_ip_prefix());
  return r.direction() + " " + r.ethertype() + " " + (r.protocol().empty() ? "any" : r.protocol()) +
         ports + remote;
}
json GroupJson(const nv1::SecurityGroup& g) {
  std::vector<std::string> rules;
  for (const auto& r : g.rules()) rules.push_back(r.id().substr(0, 8) + " " + RuleText(r));
  return {{"id", g.id()},
          {"name", g.name()},
          {"description", g.description()},
          {"project_id", g.project_id()},
          {"rules", absl::StrJoin(rules, "\n")}};
}

// `security group rule create|delete`.
void AddRuleCommands(CLI::App& group, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* rule = group.add_subcommand("rule", "Security group rules")->require_subcommand(1);
  auto* rcreate = rule->add_subcommand("create", "Create a rule");
  rcreate->add_option("group", a->target, "Security group (name or ID)")->required();
  rcreate->add_option("--protocol", a->protocol, "tcp, udp, icmp, any or a number");
  rcreate->add_option("--dst-port", a->dst_port, "Port or range min:max");
  rcreate->add_option("--remote-ip", a->remote_ip, "Remote CIDR");
  rcreate->add_option("--remote-group", a->remote_group, "Remote security group (name or ID)");
  rcreate->add_flag("--egress{egress}", a->direction, "Egress rule (default ingress)");
  rcreate->add_option("--ethertype", a->ethertype, "IPv4 or IPv6");
  OnRun(rcreate, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    nv1::SecurityGroupRule r;
    r.set_security_group_id(id);
    r.set_direction(a->direction.empty() ? "ingress" : a->direction);
    r.set_ethertype(a->ethertype);
    r.set_protocol(a->protocol);
    r.set_port_range_min(-1);
    r.set_port_range_max(-1);
    if (!a->dst_port.empty()) {
      size_t colon = a->dst_port.find(':');
      try {
        r.set_port_range_min(std::stoi(a->dst_port.substr(0, colon)));
        r.set_port_range_max(colon == std::string::npos ? r.port_range_min()
                                                        : std::stoi(a->dst_port.substr(colon + 1)));
      } catch (...) {
        return absl::InvalidArgumentError("--dst-port takes a port or min:max, got '" +
                                          a->dst_port + "'");
      }
    }
    r.set_remote_ip_prefix(a->remote_ip);
    if (!a->remote_group.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string rg, FindGroup(s, *a, a->remote_group));
      r.set_remote_group_id(rg);
    }
    GUREUM_ASSIGN_OR_RETURN(auto made,
                            Call(s, *a, &nv1::Networks::Stub::CreateSecurityGroupRule, r));
    json j = {{"id", made.id()},
              {"security_group_id", made.security_group_id()},
              {"rule", RuleText(made)}};
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* rdel = rule->add_subcommand("delete", "Delete a rule");
  rdel->add_option("rule", a->target, "Rule ID")->required();
  OnRun(rdel, cli, [a](Session& s) -> absl::Status {
    return Call(s, *a, &nv1::Networks::Stub::DeleteSecurityGroupRule, IdOf(a->target)).status();
  });
}

}  // namespace

void AddSecurityGroup(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* sec = app.add_subcommand("security", "Security groups (gRPC)")->require_subcommand(1);
  auto* g = sec->add_subcommand("group", "Security groups")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a security group");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--description", a->description, "Description");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::SecurityGroup x;
    x.set_name(a->name);
    x.set_description(a->description);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateSecurityGroup, x));
    json j = GroupJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List security groups"), cli,
        [&cli, a](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(
              auto l, Call(s, *a, &nv1::Networks::Stub::ListSecurityGroups, nv1::ListRequest()));
          std::vector<json> rows;
          for (const auto& x : l.security_groups()) {
            rows.push_back({{"ID", x.id()},
                            {"Name", x.name()},
                            {"Description", x.description()},
                            {"Project", x.project_id()}});
          }
          cli.List({"ID", "Name", "Description", "Project"}, rows);
          return absl::OkStatus();
        });
  auto* show = g->add_subcommand("show", "Show a security group and its rules");
  show->add_option("group", a->target, "Security group (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto x, Call(s, *a, &nv1::Networks::Stub::GetSecurityGroup, IdOf(id)));
    json j = GroupJson(x);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a security group");
  del->add_option("group", a->target, "Security group (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteSecurityGroup, IdOf(id)).status();
  });
  AddRuleCommands(*g, cli, a);
}

}  // namespace gureum::cli::netcmd
