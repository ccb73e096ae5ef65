// Keypairs: imported (an OpenSSH public key) or generated (Ed25519), per user.
#include "compute/api/keypair_manager.h"

#include "common/status/macros.h"
#include "compute/api/keypair_crypto.h"

namespace gureum::compute {

KeypairManager::KeypairManager(ComputeStore& store, const ComputePolicy& policy,
                               ComputeOptions options)
    : store_(store), policy_(policy), options_(std::move(options)) {}

absl::StatusOr<KeypairManager::NewKeypair> KeypairManager::CreateKeypair(
    const RequestContext& ctx, const std::string& name, const std::string& public_key,
    const std::string& type, const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  if (name.empty() || name.size() > 255 ||
      name.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .@") !=
          std::string::npos) {
    return absl::InvalidArgumentError(
        "Keypair data is invalid: Keypair name contains unsafe characters");
  }
  if (!type.empty() && type != "ssh" && type != "x509") {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute type: must be ssh or x509");
  }
  NewKeypair out;
  out.keypair.user_id = user;
  out.keypair.name = name;
  out.keypair.type = type.empty() ? "ssh" : type;
  if (public_key.empty()) {
    GUREUM_ASSIGN_OR_RETURN(GeneratedKeypair g, GenerateEd25519Keypair("Generated-by-Gureum"));
    out.keypair.public_key = g.public_key;
    out.keypair.fingerprint = g.fingerprint;
    out.private_key = std::move(g.private_key);
  } else {
    GUREUM_ASSIGN_OR_RETURN(out.keypair.fingerprint, PublicKeyFingerprint(public_key));
    out.keypair.public_key = public_key;
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(ctx.caller.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(store_.CreateKeypair(out.keypair, limits.key_pairs));
  GUREUM_ASSIGN_OR_RETURN(out.keypair, store_.GetKeypair(user, name));
  return out;
}

absl::StatusOr<Keypair> KeypairManager::GetKeypair(const RequestContext& ctx,
                                                   const std::string& name,
                                                   const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.GetKeypair(user, name);
}

absl::StatusOr<std::vector<Keypair>> KeypairManager::ListKeypairs(const RequestContext& ctx,
                                                                  const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.ListKeypairs(user);
}

absl::Status KeypairManager::DeleteKeypair(const RequestContext& ctx, const std::string& name,
                                           const std::string& user_id) {
  const std::string user = user_id.empty() ? ctx.caller.user_id : user_id;
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-keypairs", "", user));
  return store_.DeleteKeypair(user, name);
}

}  // namespace gureum::compute
