// The Keystone v3 REST API of gureum-identity (port 5000): a thin adapter over
// IdentityManager that speaks the JSON shapes the openstack CLI, keystoneauth and Tempest
// expect (see shared/reference/openstack-rest-notes.md sections 0-3). It decodes each
// request, authenticates the caller's X-Auth-Token in-process (TokenManager::VerifyToken:
// no store access; the route wrapper is the REST kit's http::RestApi), calls the managers with the
// caller (they enforce the identity policy, identity_policy.h) and encodes the answer; it holds no
// logic of its own.
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
// in request bodies are ignored (http::JsonReader, open).
//
// Thread safety: Register before the server starts; handlers run concurrently on the
// server's threads. `manager` must outlive the server. `enforcer` is not used: the
// policy is the one given to IdentityManager::Create; the parameter stays until
// tests/bench/identity_bench.cc (outside this folder) stops passing it.
#pragma once

#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "identity/identity_manager.h"

namespace gureum::identity {

struct IdentityRestOptions {
  // The public base URL clients reach us at, e.g. "http://ctl:5000" (a trailing "/v3" is
  // dropped: links add it), used in discovery documents, `links` and the 401's
  // WWW-Authenticate. Empty: "http://localhost:5000".
  std::string public_url;
  // The admin project (an `admin` on it is a cloud administrator) is the managers':
  // IdentityManager::Create's AdminProjectOptions.
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
