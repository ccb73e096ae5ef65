// The Keystone v3 REST API of gureum-identity (port 5000): a thin adapter over
// IdentityManager that speaks the JSON shapes the openstack CLI, keystoneauth and Tempest
// expect (see shared/reference/openstack-rest-notes.md sections 0-3). It decodes each
// request, authenticates the caller's X-Auth-Token in-process (IdentityManager::
// VerifyToken: no store access), enforces the identity policy (identity_policy.h) and
// encodes the manager's answer; it holds no logic of its own.
//
//   IdentityRest rest(manager, *enforcer, {.public_url = "http://ctl:5000"});
//   http::Server server(IdentityRest::ServerOptions("0.0.0.0", 5000, &metrics));
//   rest.Register(server);
//   server.Start();
//
// Served: version discovery (/ and /v3), /v3/auth/* (tokens, catalog, projects, domains,
// system), domains, projects (+tags), users (+password, groups, projects), groups
// (+membership), roles, implied roles, grants (project, domain, system, OS-INHERIT),
// role_assignments, regions, services, endpoints, application credentials. Unknown fields
// in request bodies are ignored.
//
// Thread safety: Register before the server starts; handlers run concurrently on the
// server's threads. `manager` and `enforcer` must outlive the server.
#pragma once

#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "identity/identity_manager.h"

namespace gureum::identity {

struct IdentityRestOptions {
  // The public base URL clients reach us at, e.g. "http://ctl:5000", used in discovery
  // documents and `links`. Empty: "http://" + the request's Host header.
  std::string public_url;
  // The admin project: an `admin` on it is a cloud administrator (see identity_policy.h),
  // as in Keystone's [resource] admin_project_name / admin_project_domain_name.
  std::string admin_project_name = "admin";
  std::string admin_project_domain_id = kDefaultDomainId;
};

struct RestContext;  // identity_rest_internal.h

class IdentityRest {
 public:
  IdentityRest(IdentityManager& manager, const policy::Enforcer& enforcer,
               IdentityRestOptions options);
  ~IdentityRest();
  IdentityRest(const IdentityRest&) = delete;
  IdentityRest& operator=(const IdentityRest&) = delete;

  // Registers every route on `server` (before server.Start()).
  void Register(http::Server& server);

  // Options for the identity REST server: Keystone's error envelope, 1 MiB body limit
  // (413 beyond), `metrics` (may be null) for per-route request metrics and /metrics.
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  std::unique_ptr<RestContext> ctx_;
};

}  // namespace gureum::identity
