// Keypairs of compute-api: per user (an admin may name another user_id), imported from an
// OpenSSH public key or generated (Ed25519; the private key is returned once and never
// stored), within the key_pairs quota. Errors: PermissionDenied, InvalidArgument,
// NotFound, AlreadyExists, ResourceExhausted (403). Thread-safe; blocking (SQL).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

class KeypairManager {
 public:
  // Every collaborator must outlive the manager.
  KeypairManager(ComputeStore& store, const ComputePolicy& policy, ComputeOptions options);

  struct NewKeypair {
    Keypair keypair;
    std::string private_key;  // only when generated
  };
  // Imports `public_key`, or generates a pair when it is empty.
  absl::StatusOr<NewKeypair> CreateKeypair(const RequestContext& ctx, const std::string& name,
                                           const std::string& public_key, const std::string& type,
                                           const std::string& user_id = "");
  absl::StatusOr<Keypair> GetKeypair(const RequestContext& ctx, const std::string& name,
                                     const std::string& user_id = "");
  absl::StatusOr<std::vector<Keypair>> ListKeypairs(const RequestContext& ctx,
                                                    const std::string& user_id = "");
  absl::Status DeleteKeypair(const RequestContext& ctx, const std::string& name,
                             const std::string& user_id = "");

 private:
  ComputeStore& store_;
  const ComputePolicy& policy_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
