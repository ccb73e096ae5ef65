#include "common/policy/enforcer.h"

#include <fstream>
#include <functional>

#include <yaml-cpp/yaml.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::policy {
namespace {

constexpr int kMaxDepth = 32;

// The rule names a check string refers to with rule:NAME.
std::vector<std::string> References(const std::string& check) {
  std::vector<std::string> out;
  for (absl::string_view word : absl::StrSplit(check, absl::ByAnyChar(" ()\t\n"))) {
    if (absl::StartsWith(word, "rule:")) out.emplace_back(word.substr(5));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseYaml(
    const std::string& yaml, const std::string& origin) {
  std::vector<std::pair<std::string, std::string>> out;
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": not valid YAML: ", e.what()));
  }
  if (root.IsNull()) return out;  // an empty file overrides nothing
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": expected a mapping of rule names to check strings"));
  }
  for (const auto& entry : root) {
    if (!entry.second.IsScalar()) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, ": rule '", entry.first.as<std::string>(), "' must be a check string"));
    }
    out.emplace_back(entry.first.as<std::string>(), entry.second.as<std::string>());
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Enforcer>> Enforcer::Build(
    const std::vector<Rule>& defaults,
    const std::vector<std::pair<std::string, std::string>>& overrides, const std::string& origin,
    const EnforcerOptions& options) {
  absl::flat_hash_map<std::string, std::string> text;
  for (const Rule& r : defaults) text[r.name] = r.check;
  if (options.legacy_admin && text.contains(kCloudAdminRule)) {
    text[kCloudAdminRule] = kLegacyCloudAdminCheck;
  }
  for (const auto& [name, check] : overrides) text[name] = check;

  auto enforcer = std::unique_ptr<Enforcer>(new Enforcer());
  for (const auto& [name, check] : text) {
    auto parsed = ParseCheck(check);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": rule '", name, "': ", parsed.status().message()));
    }
    for (const std::string& ref : References(check)) {
      if (!text.contains(ref)) {
        return absl::InvalidArgumentError(
            absl::StrCat(origin, ": rule '", name, "' refers to unknown rule '", ref, "'"));
      }
    }
    enforcer->rules_[name] = *std::move(parsed);
  }
  // Cycles: depth-first search over rule references.
  absl::flat_hash_map<std::string, int> state;  // 1 visiting, 2 done
  std::function<absl::Status(const std::string&)> visit = [&](const std::string& name) {
    int& s = state[name];
    if (s == 2) return absl::OkStatus();
    if (s == 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": rule '", name, "' refers to itself through rule: references"));
    }
    s = 1;
    for (const std::string& ref : References(text[name])) {
      absl::Status st = visit(ref);
      if (!st.ok()) return st;
    }
    state[name] = 2;
    return absl::OkStatus();
  };
  for (const auto& [name, check] : text) {
    absl::Status st = visit(name);
    if (!st.ok()) return st;
  }
  return enforcer;
}

absl::StatusOr<std::unique_ptr<Enforcer>> Enforcer::Create(const std::vector<Rule>& defaults,
                                                           const std::string& policy_file,
                                                           EnforcerOptions options) {
  if (policy_file.empty()) return Build(defaults, {}, "defaults", options);
  std::ifstream in(policy_file);
  // No file: defaults, as oslo.policy does.
  if (!in) return Build(defaults, {}, "defaults", options);
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto overrides = ParseYaml(yaml, policy_file);
  if (!overrides.ok()) return overrides.status();
  return Build(defaults, *overrides, policy_file, options);
}

absl::StatusOr<std::unique_ptr<Enforcer>> Enforcer::CreateFromYaml(
    const std::vector<Rule>& defaults, const std::string& yaml, EnforcerOptions options) {
  auto overrides = ParseYaml(yaml, "<yaml>");
  if (!overrides.ok()) return overrides.status();
  return Build(defaults, *overrides, "<yaml>", options);
}

bool Enforcer::Evaluate(const std::string& rule, const Caller& caller, const Target& target,
                        int depth) const {
  if (depth > kMaxDepth) return false;
  auto it = rules_.find(rule);
  if (it == rules_.end()) return false;
  return it->second->Evaluate(
      caller, target,
      [&](const std::string& name, int d) { return Evaluate(name, caller, target, d); }, depth);
}

bool Enforcer::Allowed(const std::string& rule, const Caller& caller, const Target& target) const {
  return Evaluate(rule, caller, target, 0);
}

absl::Status Enforcer::Enforce(const std::string& rule, const Caller& caller,
                               const Target& target) const {
  if (Allowed(rule, caller, target)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("You are not authorized to perform the requested action: ", rule, "."));
}

std::vector<Rule> BaseRules() {
  return {
      {kCloudAdminRule, kCloudAdminCheck,
       "Cloud administrator: a system-scoped admin, or an admin on the admin project"},
      {"project_admin", "role:admin and project_id:%(target.project_id)s",
       "An admin of the target's project, and of no other"},
      {"admin_required", "rule:cloud_admin", "Cloud administrator (older policies' name)"},
      {"system_admin", "role:admin and system_scope:all", "Cloud administrator"},
      {"system_reader", "role:reader and system_scope:all", "Cloud-wide read access"},
      {"project_member", "role:member and project_id:%(target.project_id)s",
       "A member of the target's project"},
      {"project_reader", "role:reader and project_id:%(target.project_id)s",
       "A reader of the target's project"},
      {"owner", "user_id:%(target.user_id)s", "The target's own user"},
      {"admin_or_owner", "rule:system_admin or rule:project_member", "Admin or project member"},
  };
}

}  // namespace gureum::policy
