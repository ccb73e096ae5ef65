#include "dashboard/tests/fake_identity_client.h"

#include "absl/strings/str_cat.h"

namespace gureum::dashboard {

void FakeIdentityClient::AddUser(const std::string& domain, const std::string& name, User user) {
  absl::MutexLock lock(&mu_);
  users_[domain + "/" + name] = std::move(user);
}

void FakeIdentityClient::AddAppCredential(const std::string& id, const std::string& secret,
                                          const std::string& user_key, ProjectRef project) {
  absl::MutexLock lock(&mu_);
  app_credentials_[id] = {secret, user_key, std::move(project)};
}

void FakeIdentityClient::SetEndpoints(std::map<std::string, std::string> endpoints) {
  absl::MutexLock lock(&mu_);
  endpoints_ = std::move(endpoints);
}

void FakeIdentityClient::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  next_failure_ = std::move(status);
}

absl::Status FakeIdentityClient::TakeFailure() {
  absl::Status s = next_failure_;
  next_failure_ = absl::OkStatus();
  return s;
}

bool FakeIdentityClient::IsRevoked(const std::string& token) const {
  absl::MutexLock lock(&mu_);
  return revoked_.count(token) > 0;
}

int FakeIdentityClient::live_tokens() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(token_user_.size() - revoked_.size());
}

absl::StatusOr<Token> FakeIdentityClient::Login(const Credentials& c) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  if (!c.application_credential_id.empty()) {
    auto ac = app_credentials_.find(c.application_credential_id);
    if (ac == app_credentials_.end() || ac->second.secret != c.application_credential_secret) {
      return absl::UnauthenticatedError("The request you have made requires authentication.");
    }
    const User& u = users_[ac->second.user_key];
    Token t;
    t.value = absl::StrCat("tok-", ++issued_);
    t.user_id = u.id;
    t.user_name = ac->second.user_key.substr(ac->second.user_key.find('/') + 1);
    t.project = ac->second.project;
    t.roles = u.roles;
    t.endpoints = endpoints_;
    token_user_[t.value] = ac->second.user_key;
    return t;
  }
  const std::string key = c.domain + "/" + c.user;
  auto it = users_.find(key);
  if (it == users_.end() || it->second.password != c.password) {
    return absl::UnauthenticatedError("The request you have made requires authentication.");
  }
  Token t;
  t.value = absl::StrCat("tok-", ++issued_);
  t.user_id = it->second.id;
  t.user_name = c.user;
  token_user_[t.value] = key;
  return t;
}

absl::StatusOr<std::vector<ProjectRef>> FakeIdentityClient::UserProjects(const std::string& token) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto it = token_user_.find(token);
  if (it == token_user_.end() || revoked_.count(token)) {
    return absl::UnauthenticatedError("bad token");
  }
  return users_[it->second].projects;
}

absl::StatusOr<Token> FakeIdentityClient::ScopeTo(const std::string& token,
                                                  const std::string& project_id) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto it = token_user_.find(token);
  if (it == token_user_.end() || revoked_.count(token)) {
    return absl::UnauthenticatedError("bad token");
  }
  const User& u = users_[it->second];
  for (const auto& p : u.projects) {
    if (p.id != project_id) continue;
    Token t;
    t.value = absl::StrCat("tok-", ++issued_);
    t.user_id = u.id;
    t.project = p;
    t.roles = u.roles;
    t.endpoints = endpoints_;
    token_user_[t.value] = it->second;
    return t;
  }
  return absl::UnauthenticatedError("no role on project");
}

absl::Status FakeIdentityClient::Revoke(const std::string& token) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  if (token_user_.count(token)) revoked_.insert(token);
  return absl::OkStatus();
}

}  // namespace gureum::dashboard
