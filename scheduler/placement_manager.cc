#include "scheduler/placement_manager.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::scheduler {
namespace {

constexpr char kRead[] = "placement:read";
constexpr char kWrite[] = "placement:write";

bool UpperToken(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (!(absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_')) return false;
  }
  return true;
}

bool KnownClass(const std::string& rc) {
  return rc == kVcpu || rc == kMemoryMb || rc == kDiskGb ||
         (absl::StartsWith(rc, "CUSTOM_") && rc.size() > 7 && UpperToken(rc));
}

absl::Status CheckUuid(const std::string& what, const std::string& value) {
  if (!IsUuid(value)) {
    return absl::InvalidArgumentError(absl::StrCat(what, " '", value, "' is not a UUID"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<policy::Rule> PlacementPolicyDefaults() {
  std::vector<policy::Rule> rules = policy::BaseRules();
  rules.push_back({"service_or_admin", "rule:cloud_admin or role:service",
                   "Cloud administrators and Gureum's own services"});
  rules.push_back({kRead, "rule:service_or_admin",
                   "Read resource providers, inventories, usages and allocations."});
  rules.push_back({kWrite, "rule:service_or_admin",
                   "Create, replace and delete providers; delete and move allocations."});
  return rules;
}

absl::Status PlacementManager::Validate(Provider& p) {
  if (p.name.empty()) return absl::InvalidArgumentError("a resource provider needs a name");
  if (p.name.size() > 255) return absl::InvalidArgumentError("the provider name is too long");
  if (p.uuid.empty()) {
    // Keep the uuid of an existing provider of that name; otherwise a new one.
    absl::StatusOr<Provider> existing = store_.GetProvider("", p.name);
    p.uuid = existing.ok() ? existing->uuid : ids_.NewUuid();
  }
  GUREUM_RETURN_IF_ERROR(CheckUuid("provider uuid", p.uuid));
  for (auto& [rc, inv] : p.inventories) {
    inv.resource_class = rc;
    if (!KnownClass(rc)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown resource class '", rc, "': use VCPU, MEMORY_MB, DISK_GB or CUSTOM_*"));
    }
    if (inv.total < 0 || inv.reserved < 0 || inv.reserved > inv.total) {
      return absl::InvalidArgumentError(absl::StrCat("inventory ", rc, ": total (", inv.total,
                                                     ") and reserved (", inv.reserved,
                                                     ") must be >= 0 with reserved <= total"));
    }
    if (inv.min_unit == 0) inv.min_unit = 1;
    if (inv.max_unit == 0) inv.max_unit = inv.total;
    if (inv.step_size == 0) inv.step_size = 1;
    if (inv.min_unit < 1 || inv.step_size < 1 || inv.max_unit < 0 ||
        (inv.total > 0 && inv.min_unit > inv.max_unit)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "inventory ", rc, ": need 1 <= min_unit <= max_unit and step_size >= 1 (got ",
          inv.min_unit, ", ", inv.max_unit, ", ", inv.step_size, ")"));
    }
    if (inv.allocation_ratio < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("inventory ", rc, ": allocation_ratio must be > 0"));
    }
    if (inv.allocation_ratio == 0) {
      inv.allocation_ratio = rc == kVcpu       ? options_.cpu_allocation_ratio
                             : rc == kMemoryMb ? options_.ram_allocation_ratio
                             : rc == kDiskGb   ? options_.disk_allocation_ratio
                                               : 1.0;
    }
  }
  for (const std::string& t : p.traits) {
    if (!UpperToken(t)) {
      return absl::InvalidArgumentError(
          absl::StrCat("trait '", t, "' is not an upper-case name of A-Z, 0-9 and _"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Provider> PlacementManager::PutProvider(const Caller& caller, Provider provider) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kWrite, caller));
  GUREUM_RETURN_IF_ERROR(Validate(provider));
  return store_.PutProvider(provider);
}

absl::StatusOr<Provider> PlacementManager::GetProvider(const Caller& caller,
                                                       const std::string& uuid,
                                                       const std::string& name) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kRead, caller));
  if (uuid.empty() && name.empty()) {
    return absl::InvalidArgumentError("give the provider's uuid or name");
  }
  return store_.GetProvider(uuid, name);
}

absl::StatusOr<std::vector<Provider>> PlacementManager::ListProviders(const Caller& caller,
                                                                      const std::string& name) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kRead, caller));
  return store_.ListProviders(name);
}

absl::Status PlacementManager::DeleteProvider(const Caller& caller, const std::string& uuid) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kWrite, caller));
  GUREUM_RETURN_IF_ERROR(CheckUuid("provider uuid", uuid));
  return store_.DeleteProvider(uuid);
}

absl::StatusOr<ConsumerAllocations> PlacementManager::GetAllocations(const Caller& caller,
                                                                     const std::string& consumer) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kRead, caller));
  GUREUM_RETURN_IF_ERROR(CheckUuid("consumer uuid", consumer));
  return store_.GetAllocations(consumer);
}

absl::Status PlacementManager::DeleteAllocations(const Caller& caller, const std::string& consumer,
                                                 const std::string& provider_uuid,
                                                 const std::string& provider_name) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kWrite, caller));
  GUREUM_RETURN_IF_ERROR(CheckUuid("consumer uuid", consumer));
  std::string provider = provider_uuid;
  if (provider.empty() && !provider_name.empty()) {
    absl::StatusOr<Provider> p = store_.GetProvider("", provider_name);
    if (absl::IsNotFound(p.status())) return absl::OkStatus();  // nothing allocated there
    if (!p.ok()) return p.status();
    provider = p->uuid;
  }
  return store_.DeleteAllocations(consumer, provider);
}

absl::Status PlacementManager::MoveAllocations(const Caller& caller, const std::string& from,
                                               const std::string& to,
                                               const std::string& provider_uuid) {
  GUREUM_RETURN_IF_ERROR(enforcer_.Enforce(kWrite, caller));
  GUREUM_RETURN_IF_ERROR(CheckUuid("from_consumer", from));
  GUREUM_RETURN_IF_ERROR(CheckUuid("to_consumer", to));
  if (from == to) return absl::InvalidArgumentError("from_consumer and to_consumer are the same");
  return store_.MoveAllocations(from, to, provider_uuid);
}

}  // namespace gureum::scheduler
