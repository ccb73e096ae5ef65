// IdentityClient over identity's Keystone v3 REST API ([dashboard] identity_url), through
// an HttpClient. The REST API rather than identity's gRPC: it is what a browser-facing
// console of any Keystone speaks, and the token it returns carries the catalog the
// service proxy needs.
#pragma once

#include <string>

#include "dashboard/http_client.h"
#include "dashboard/identity_client.h"

namespace gureum::dashboard {

class HttpIdentityClient final : public IdentityClient {
 public:
  // `http` must outlive this client. `identity_url` is e.g. "http://ctl:5000" (a trailing
  // "/v3" is tolerated).
  HttpIdentityClient(HttpClient& http, std::string identity_url);

  absl::StatusOr<Token> Login(const Credentials& credentials) override;
  absl::StatusOr<std::vector<ProjectRef>> UserProjects(const std::string& token) override;
  absl::StatusOr<Token> ScopeTo(const std::string& token, const std::string& project_id) override;
  absl::Status Revoke(const std::string& token) override;

 private:
  absl::StatusOr<Token> IssueToken(const std::string& request_body);

  HttpClient& http_;
  const std::string base_;  // ".../v3"
};

// The token in a Keystone "POST /v3/auth/tokens" answer (body and X-Subject-Token), with
// its catalog's public endpoints. Exposed for tests.
absl::StatusOr<Token> ParseTokenAnswer(const HttpResponse& answer);

// The status for a Keystone error answer, with Keystone's message.
absl::Status StatusFromAnswer(const HttpResponse& answer);

}  // namespace gureum::dashboard
