#include "compute/api/quota_class_manager.h"

#include <set>

#include "common/status/macros.h"

namespace gureum::compute {
namespace {

// The resources of Nova's quota class update (its 2.1 schema).
const std::set<std::string>& KnownResources() {
  static const auto* known = new std::set<std::string>{"instances",
                                                       "cores",
                                                       "ram",
                                                       "floating_ips",
                                                       "fixed_ips",
                                                       "metadata_items",
                                                       "key_pairs",
                                                       "security_groups",
                                                       "security_group_rules",
                                                       "injected_files",
                                                       "injected_file_content_bytes",
                                                       "injected_file_path_bytes",
                                                       "server_groups",
                                                       "server_group_members"};
  return *known;
}

// The class's limits over `limits`; what QuotaLimits does not hold goes to `others`.
void Overlay(const std::map<std::string, int64_t>& set, QuotaClassSet& out) {
  QuotaLimits& q = out.limits;
  const std::map<std::string, int64_t*> fields = {{"instances", &q.instances},
                                                  {"cores", &q.cores},
                                                  {"ram", &q.ram},
                                                  {"key_pairs", &q.key_pairs},
                                                  {"server_groups", &q.server_groups},
                                                  {"server_group_members", &q.server_group_members},
                                                  {"metadata_items", &q.metadata_items}};
  for (const auto& [resource, limit] : set) {
    auto field = fields.find(resource);
    if (field != fields.end()) {
      *field->second = limit;
    } else if (int64_t* kept = KeptQuota(q, resource); kept != nullptr) {
      *kept = limit;  // shown and kept only (model.h)
    } else {
      out.others[resource] = limit;
    }
  }
}

}  // namespace

QuotaClassManager::QuotaClassManager(ComputeStore& store, const ComputePolicy& policy,
                                     ComputeOptions options)
    : store_(store), policy_(policy), options_(std::move(options)) {}

absl::StatusOr<QuotaClassSet> QuotaClassManager::Read(const std::string& name) {
  GUREUM_ASSIGN_OR_RETURN(auto set, store_.GetQuotaClass(name));
  QuotaClassSet out{.name = name, .limits = options_.default_quotas};
  Overlay(set, out);
  return out;
}

absl::StatusOr<QuotaClassSet> QuotaClassManager::GetQuotaClass(const RequestContext& ctx,
                                                               const std::string& name) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-class-sets:show"));
  return Read(name);
}

absl::StatusOr<QuotaClassSet> QuotaClassManager::UpdateQuotaClass(
    const RequestContext& ctx, const std::string& name,
    const std::map<std::string, int64_t>& limits) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-class-sets:update"));
  for (const auto& [resource, limit] : limits) {
    if (!KnownResources().count(resource)) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute quota_class_set. Additional properties are not "
          "allowed ('" +
          resource + "' was unexpected)");
    }
    if (limit < -1 || limit > INT32_MAX) {
      return absl::InvalidArgumentError("Invalid input for field/attribute " + resource +
                                        ". Value: " + std::to_string(limit) +
                                        ". It must be between -1 and 2147483647");
    }
  }
  for (const auto& [resource, limit] : limits) {
    GUREUM_RETURN_IF_ERROR(store_.SetQuotaClassLimit(name, resource, limit));
  }
  return Read(name);
}

absl::StatusOr<QuotaLimits> QuotaClassManager::Defaults() {
  GUREUM_ASSIGN_OR_RETURN(QuotaClassSet d, Read("default"));
  return d.limits;
}

}  // namespace gureum::compute
