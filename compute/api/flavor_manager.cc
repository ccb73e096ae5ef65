// Flavors, their extra specs and their access lists (Nova's flavor-manage and
// flavor-access), with Nova's validation of a new flavor.
#include "compute/api/flavor_manager.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "common/validate/validate.h"

namespace gureum::compute {

FlavorManager::FlavorManager(ComputeStore& store, const ComputePolicy& policy, IdGenerator& ids)
    : store_(store), policy_(policy), ids_(ids) {}

namespace {

// Decodes the code points of valid UTF-8 (ValidateName has checked it).
std::vector<uint32_t> NovaNameCodePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Unicode's "Other" characters that Nova's printable-name pattern leaves out: controls
// (Cc), the format characters (Cf) of the BMP, private use (Co) and noncharacters.
bool IsNovaNonPrintable(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x600 && c <= 0x605) ||
         c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE000 && c <= 0xF8FF) ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE || c >= 0xF0000 ||
         (c >= 0xE0000 && c <= 0xE007F);
}

// Unicode's separators (Zs, Zl, Zp): a name may not start or end with one.
bool IsNovaSeparator(uint32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Nova's parameter_types.name ("format": "name"): printable characters, no leading or
// trailing whitespace; InvalidName (400) otherwise.
absl::Status ValidatePrintableName(const std::string& name) {
  const std::vector<uint32_t> cps = NovaNameCodePoints(name);
  bool ok = !cps.empty() && !IsNovaSeparator(cps.front()) && !IsNovaSeparator(cps.back());
  for (uint32_t c : cps) ok = ok && !IsNovaNonPrintable(c);
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not "
      "start or end with whitespace.");
}

// Nova's flavor id: 1 to 255 of [a-zA-Z0-9. _-], not starting or ending with a space.
absl::Status ValidateFlavorId(const std::string& id) {
  bool ok = !id.empty() && id.size() <= kMaxNameLength && id.front() != ' ' && id.back() != ' ';
  for (char c : id) {
    ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ' ' ||
                c == '_' || c == '-');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "Invalid input for field/attribute id. It must be 1 to 255 of the characters "
      "[a-zA-Z0-9. _-] and must not start or end with a space.");
}

absl::Status ValidateFlavor(const FlavorRecord& f) {
  if (f.name.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", f.name));
  GUREUM_RETURN_IF_ERROR(ValidatePrintableName(f.name));
  if (!f.id.empty() && f.id != "auto") GUREUM_RETURN_IF_ERROR(ValidateFlavorId(f.id));
  if (f.vcpus <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute vcpus: must be >= 1");
  if (f.ram_mb <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute ram: must be >= 1");
  if (f.disk_gb < 0 || f.ephemeral_gb < 0 || f.swap_mb < 0) {
    return absl::InvalidArgumentError("Invalid input: disk, ephemeral and swap must be >= 0");
  }
  if (f.rxtx_factor <= 0)
    return absl::InvalidArgumentError("Invalid input for field/attribute rxtx_factor");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FlavorRecord> FlavorManager::CreateFlavor(const RequestContext& ctx,
                                                         FlavorRecord f) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-manage"));
  GUREUM_RETURN_IF_ERROR(ValidateFlavor(f));
  if (f.id.empty() || f.id == "auto") f.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateFlavor(f));
  return store_.GetFlavor(f.id);
}

absl::StatusOr<FlavorRecord> FlavorManager::FlavorForCaller(const RequestContext& ctx,
                                                            const std::string& id) {
  absl::StatusOr<FlavorRecord> f = store_.GetFlavor(id);
  if (!f.ok() && f.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError("Flavor " + id + " could not be found.");
  }
  if (!f.ok() || f->is_public || policy_.IsAdmin(ctx)) return f;
  GUREUM_ASSIGN_OR_RETURN(auto projects, store_.ListFlavorAccess(id));
  for (const std::string& p : projects) {
    if (p == ctx.caller.project_id) return f;
  }
  return absl::NotFoundError("Flavor " + id + " could not be found.");
}

absl::StatusOr<FlavorRecord> FlavorManager::GetFlavor(const RequestContext& ctx,
                                                      const std::string& id) {
  return FlavorForCaller(ctx, id);
}

absl::StatusOr<std::vector<FlavorRecord>> FlavorManager::ListFlavors(const RequestContext& ctx,
                                                                     FlavorFilter filter) {
  // Nova: is_public true (the default, and always for non-admins) is the public flavors
  // and the private ones the caller's project has access to; an admin's false is the
  // private ones, none (unset) all of them.
  const bool admin = policy_.IsAdmin(ctx);
  filter.project_id = ctx.caller.project_id;
  if (!admin || filter.is_public.value_or(false)) {
    filter.all = false;
    filter.is_public.reset();
  } else {
    filter.all = true;
  }
  return store_.ListFlavors(filter);
}

absl::Status FlavorManager::DeleteFlavor(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-manage"));
  return store_.DeleteFlavor(id);
}

absl::StatusOr<FlavorRecord> FlavorManager::UpdateFlavor(const RequestContext& ctx,
                                                         const std::string& id,
                                                         const std::string& description) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-manage"));
  GUREUM_RETURN_IF_ERROR(store_.UpdateFlavorDescription(id, description));
  return store_.GetFlavor(id);
}

absl::StatusOr<StringMap> FlavorManager::SetExtraSpecs(const RequestContext& ctx,
                                                       const std::string& id,
                                                       const StringMap& specs) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-manage"));
  for (const auto& [k, v] : specs) {
    if (k.empty() || k.size() > 255 || v.size() > 255) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute extra_specs: keys and "
          "values must be 1 to 255 characters");
    }
  }
  GUREUM_RETURN_IF_ERROR(store_.SetExtraSpecs(id, specs));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  return f.extra_specs;
}

absl::Status FlavorManager::DeleteExtraSpec(const RequestContext& ctx, const std::string& id,
                                            const std::string& key) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-manage"));
  return store_.DeleteExtraSpec(id, key);
}

absl::StatusOr<std::vector<std::string>> FlavorManager::FlavorAccess(const RequestContext& ctx,
                                                                     const std::string& id) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-access"));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  if (f.is_public) {
    return absl::NotFoundError("Access list not available for public flavors.");
  }
  return store_.ListFlavorAccess(id);
}

absl::Status FlavorManager::AddFlavorAccess(const RequestContext& ctx, const std::string& id,
                                            const std::string& project) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-access"));
  GUREUM_ASSIGN_OR_RETURN(FlavorRecord f, store_.GetFlavor(id));
  if (f.is_public) {
    return WithHttpStatus(absl::FailedPreconditionError("Can not add access to a public flavor."),
                          409);
  }
  return store_.AddFlavorAccess(id, project);
}

absl::Status FlavorManager::RemoveFlavorAccess(const RequestContext& ctx, const std::string& id,
                                               const std::string& project) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-flavor-access"));
  return store_.RemoveFlavorAccess(id, project);
}

}  // namespace gureum::compute
