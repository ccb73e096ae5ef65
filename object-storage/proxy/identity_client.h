// What the proxy asks identity beyond tokens: the EC2 credential behind an S3 access key
// (its secret verifies the request's signature here; its project is the account).
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gureum::object::proxy {

struct Ec2Credential {
  std::string access, secret, user_id, project_id;
};

class IdentityClient {
 public:
  virtual ~IdentityClient() = default;
  // NotFound for an unknown access key; Unavailable when identity does not answer.
  virtual absl::StatusOr<Ec2Credential> GetEc2Credential(const std::string& access) = 0;
};

// Tests: the credentials added.
class FakeIdentityClient final : public IdentityClient {
 public:
  void Add(const Ec2Credential& c) {
    absl::MutexLock lock(&mu_);
    creds_[c.access] = c;
  }
  absl::StatusOr<Ec2Credential> GetEc2Credential(const std::string& access) override {
    absl::MutexLock lock(&mu_);
    auto it = creds_.find(access);
    if (it == creds_.end()) return absl::NotFoundError("no such access key");
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, Ec2Credential> creds_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object::proxy
