// The dashboard's model, in our words: who is logged in, in which project, with which
// token and service catalog. Plain structs; never JSON or HTTP types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gureum::dashboard {

struct ProjectRef {
  std::string id;
  std::string name;
  std::string domain_id;
};

// A token identity issued. `project` and `endpoints` are empty for an unscoped token.
struct Token {
  std::string value;  // the X-Auth-Token; never leaves the server
  std::string user_id;
  std::string user_name;
  std::string domain_id;  // the user's domain
  ProjectRef project;
  std::vector<std::string> roles;
  // Service type ("compute", "image", "network", "volumev3") -> its public endpoint URL.
  std::map<std::string, std::string> endpoints;
  absl::Time expires_at = absl::InfiniteFuture();

  bool HasRole(const std::string& role) const;
};

// A password login (domain, user, password) or, when application_credential_id is set, an
// application credential's (id and secret; its token is scoped to the credential's project
// and cannot be rescoped).
struct Credentials {
  std::string domain;  // the user's domain name (e.g. "Default")
  std::string user;
  std::string password;
  std::string application_credential_id;
  std::string application_credential_secret;
};

// One logged-in browser. The browser holds only `id` (in an HttpOnly cookie).
struct Session {
  std::string id;
  std::string csrf_token;  // every non-GET request carries it in X-CSRF-Token
  Token unscoped;          // to list the user's projects and switch between them
  std::vector<ProjectRef> projects;
  Token scoped;  // value empty when the user has no project yet
  absl::Time created_at;
  absl::Time last_seen;
};

// A notification from a service (common/amqp/notifier.h), for the live pages.
struct Event {
  std::string type;        // "compute.instance.update", "volume.attach.end", ...
  std::string project_id;  // payload.tenant_id
  std::string payload;     // the payload as JSON text
};

}  // namespace gureum::dashboard
