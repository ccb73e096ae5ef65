// The Swift v1 REST API of gureum-object-proxy (port 8080):
//
//   GET|HEAD|POST              /v1/<account>
//   GET|HEAD|PUT|POST|DELETE   /v1/<account>/<container>
//   GET|HEAD|PUT|POST|DELETE   /v1/<account>/<container>/<object, may hold slashes>
//   COPY                       /v1/<account>/<container>/<object> (Destination[-Account])
//                              (or PUT with X-Copy-From[-Account])
//   POST|DELETE                /v1/<account>?bulk-delete (bulk_delete.h)
//   PUT                        /v1/<account>[/<container>[/<prefix>]]?extract-archive=tar
//                              (bulk_upload.h)
//   GET                        /info
//
// Who may do what: a token's project owns the account AUTH_<project id> (any role of it);
// a cloud administrator (admin role on the admin project, or system scope) or a
// ResellerAdmin may use every account; others, with a token or without one, only what the
// container's ACLs allow (acl.h: .r:*, .rlistings, <project>:<user>) or a TempURL signature
// (temp_url.h); otherwise 403 with a token, 401 without. The name is taken from the request's path
// itself, so an object name keeps its slashes (a trailing one too); the routes only get the request
// here.
#pragma once

#include <memory>

#include "common/base/clock.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/object_controller.h"

namespace gureum::object::proxy {

// Object names with up to this many slashes are routed (common/http's routes have a fixed
// number of segments).
inline constexpr int kMaxObjectSegments = 64;

class ProxyRest {
 public:
  ProxyRest(ContainerController& containers, ObjectController& objects, http::TokenVerifier verify,
            Clock& clock)
      : containers_(containers), objects_(objects), verify_(std::move(verify)), clock_(clock) {}

  void Register(http::Server& server);
  static http::ServerOptions ServerOptions();

 private:
  void Handle(http::Request& req, http::Response& res);
  void Info(http::Request& req, http::Response& res);
  // 401/403 answered unless the caller owns the account, is a cloud admin, or the
  // container's ACLs (acl.h) let it (or anyone) do this.
  // `read`: a GET or HEAD (ACLs' read side).
  bool Allowed(http::Request& req, http::Response& res, const Target& t, bool read);
  // A copy's other side (X-Copy-From's source, COPY's Destination) is checked as a read or
  // a write of its own.
  bool CopyAllowed(http::Request& req, http::Response& res, const Target& t);
  // A request without a token that carries a TempURL signature (temp_url.h).
  bool TempUrl(http::Request& req, http::Response& res, const Target& t);

  ContainerController& containers_;
  ObjectController& objects_;
  http::TokenVerifier verify_;
  Clock& clock_;
};

// A cloud administrator (the admin role on the admin project, or system scope), or a
// user with Swift's ResellerAdmin role: may use every account, set account quotas.
bool IsAdmin(const Caller& caller);

// "/v1/a/c/o/p" -> {"a", "c", "o/p"}; false when the path is not under /v1/<account>.
bool ParseTarget(const std::string& path, Target& out);

}  // namespace gureum::object::proxy
