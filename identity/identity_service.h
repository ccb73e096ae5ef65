// gureum-identity's gRPC API (proto/identity.proto): a thin adapter over IdentityManager
// for the gureum CLI and for other services (public keys and revocation events, which
// every service's TokenAuthenticator fetches).
//
// Authenticate and GetPublicKeys need no token; nor does ListRevocationEvents, so that a
// service can catch up at start-up before it holds any credential: events name only
// ids, and public keys are public. Everything else needs a valid token.
#pragma once

#include "common/grpc/server_call.h"
#include "identity.grpc.pb.h"
#include "identity/identity_manager.h"

namespace gureum::identity {

class IdentityService final : public gureum::identity::v1::Identity::Service {
 public:
  // `manager` and `env` must outlive the service. `env.auth` should verify with the
  // manager (IdentityAuthHook below); the public methods are added to it here.
  IdentityService(IdentityManager& manager, grpcx::CallEnv& env);

  grpc::Status Authenticate(grpc::ServerContext* ctx, const v1::AuthenticateRequest* req,
                            v1::AuthenticateResponse* resp) override;
  grpc::Status GetPublicKeys(grpc::ServerContext* ctx, const v1::GetPublicKeysRequest* req,
                             v1::GetPublicKeysResponse* resp) override;
  grpc::Status ValidateToken(grpc::ServerContext* ctx, const v1::ValidateTokenRequest* req,
                             v1::TokenInfo* resp) override;
  grpc::Status RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* req,
                           v1::RevokeTokenResponse* resp) override;
  grpc::Status ListRevocationEvents(grpc::ServerContext* ctx,
                                    const v1::ListRevocationEventsRequest* req,
                                    v1::ListRevocationEventsResponse* resp) override;
  grpc::Status ListProjects(grpc::ServerContext* ctx, const v1::ListProjectsRequest* req,
                            v1::ListProjectsResponse* resp) override;

 private:
  IdentityManager& manager_;
  const grpcx::CallEnv& env_;
};

// The auth hook for identity's own gRPC server: in-process verification by the manager.
grpcx::AuthHook IdentityAuthHook(IdentityManager& manager);

// Request and response translation, exposed for tests.
AuthRequest AuthRequestFromProto(const v1::AuthenticateRequest& req);
void TokenInfoToProto(const TokenData& data, v1::TokenInfo* out);

}  // namespace gureum::identity
