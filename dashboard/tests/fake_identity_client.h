// An in-memory identity for the dashboard's tests: users with passwords and projects,
// tokens "tok-1", "tok-2", ... that can be revoked, and FailNext for outages.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"

#include "dashboard/identity_client.h"

namespace gureum::dashboard {

class FakeIdentityClient final : public IdentityClient {
 public:
  struct User {
    std::string id;
    std::string password;
    std::vector<ProjectRef> projects;
    std::vector<std::string> roles;  // the same roles on every project
  };
  // `domain`/`name` -> user.
  void AddUser(const std::string& domain, const std::string& name, User user);
  // An application credential of user `domain`/`name` for `project`.
  void AddAppCredential(const std::string& id, const std::string& secret,
                        const std::string& user_key, ProjectRef project);
  // The catalog every scoped token gets.
  void SetEndpoints(std::map<std::string, std::string> endpoints);
  // The next call fails with `status`.
  void FailNext(absl::Status status);
  bool IsRevoked(const std::string& token) const;
  int live_tokens() const;

  absl::StatusOr<Token> Login(const Credentials& credentials) override;
  absl::StatusOr<std::vector<ProjectRef>> UserProjects(const std::string& token) override;
  absl::StatusOr<Token> ScopeTo(const std::string& token, const std::string& project_id) override;
  absl::Status Revoke(const std::string& token) override;

 private:
  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, User> users_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> endpoints_ ABSL_GUARDED_BY(mu_);
  struct AppCredential {
    std::string secret;
    std::string user_key;
    ProjectRef project;
  };
  std::map<std::string, AppCredential> app_credentials_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> token_user_ ABSL_GUARDED_BY(mu_);  // token -> user key
  std::set<std::string> revoked_ ABSL_GUARDED_BY(mu_);
  absl::Status next_failure_ ABSL_GUARDED_BY(mu_);
  int issued_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::dashboard
