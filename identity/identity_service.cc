// Tokens, public keys, revocation events and the catalog; the constructor.
#include "identity/identity_service.h"

#include "common/auth/authenticator.h"
#include "common/status/macros.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {
namespace {

UserRef UserRefFromProto(const v1::UserRef& u) {
  return {
      .id = u.id(), .name = u.name(), .domain_id = u.domain_id(), .domain_name = u.domain_name()};
}

AuthScope ScopeFromProto(const v1::Scope& s) {
  AuthScope scope;
  switch (s.kind()) {
    case v1::Scope::UNSCOPED:
      scope.kind = ScopeKind::kUnscoped;
      break;
    case v1::Scope::PROJECT:
      scope.kind = ScopeKind::kProject;
      break;
    case v1::Scope::DOMAIN:
      scope.kind = ScopeKind::kDomain;
      break;
    case v1::Scope::SYSTEM:
      scope.kind = ScopeKind::kSystem;
      break;
    default:
      scope.kind = ScopeKind::kDefault;
      break;
  }
  scope.project_id = s.project_id();
  scope.project_name = s.project_name();
  scope.project_domain_id = s.project_domain_id();
  scope.project_domain_name = s.project_domain_name();
  scope.domain_id = s.domain_id();
  scope.domain_name = s.domain_name();
  return scope;
}

}  // namespace

AuthRequest AuthRequestFromProto(const v1::AuthenticateRequest& req) {
  AuthRequest out;
  switch (req.method_case()) {
    case v1::AuthenticateRequest::kPassword:
      out.methods = {"password"};
      out.password =
          PasswordMethod{UserRefFromProto(req.password().user()), req.password().password()};
      break;
    case v1::AuthenticateRequest::kToken:
      out.methods = {"token"};
      out.token = req.token();
      break;
    case v1::AuthenticateRequest::kApplicationCredential: {
      const auto& ac = req.application_credential();
      out.methods = {"application_credential"};
      out.application_credential =
          ApplicationCredentialMethod{ac.id(), ac.name(), UserRefFromProto(ac.user()), ac.secret()};
      break;
    }
    default:
      break;  // no method: the manager refuses it
  }
  out.scope = ScopeFromProto(req.scope());
  return out;
}

void TokenInfoToProto(const TokenData& d, v1::TokenInfo* out) {
  out->set_user_id(d.user.id);
  out->set_user_name(d.user.name);
  out->set_user_domain_id(d.user_domain.id);
  out->set_user_domain_name(d.user_domain.name);
  if (d.project) {
    out->set_project_id(d.project->id);
    out->set_project_name(d.project->name);
    out->set_project_domain_id(d.project->domain_id);
  }
  if (d.domain) out->set_domain_id(d.domain->id);
  out->set_system(d.claims.system);
  out->set_is_admin_project(d.claims.is_admin_project);
  for (const RoleRef& r : d.roles) {
    auto* role = out->add_roles();
    role->set_id(r.id);
    role->set_name(r.name);
  }
  for (const std::string& m : d.claims.methods) out->add_methods(m);
  out->add_audit_ids(d.claims.audit_id);
  for (const std::string& a : d.claims.audit_chain) out->add_audit_ids(a);
  out->set_issued_at_unix_us(absl::ToUnixMicros(d.claims.issued_at));
  out->set_expires_at_unix_us(absl::ToUnixMicros(d.claims.expires_at));
  for (const CatalogEntry& entry : d.catalog) CatalogEntryToProto(entry, out->add_catalog());
}

grpcx::AuthHook IdentityAuthHook(IdentityManager& manager) {
  return [&manager](const std::string& token) -> absl::StatusOr<Caller> {
    absl::StatusOr<auth::TokenClaims> claims = manager.tokens().VerifyToken(token);
    if (!claims.ok()) return claims.status();
    return auth::CallerFromClaims(*claims);
  };
}

IdentityService::IdentityService(IdentityManager& manager, grpcx::CallEnv& env)
    : manager_(manager), env_(env) {
  env.public_methods.insert("Authenticate");
  env.public_methods.insert("GetPublicKeys");
  env.public_methods.insert("ListRevocationEvents");
}

grpc::Status IdentityService::Authenticate(grpc::ServerContext* ctx,
                                           const v1::AuthenticateRequest* req,
                                           v1::AuthenticateResponse* resp) {
  grpcx::ServerCall call(ctx, env_, "Authenticate");
  if (!call.ok()) return call.Finish();
  absl::StatusOr<IssuedToken> issued = manager_.auth().Authenticate(AuthRequestFromProto(*req));
  if (!issued.ok()) return call.Finish(issued.status());
  resp->set_token(issued->token);
  TokenInfoToProto(issued->data, resp->mutable_info());
  return call.Finish(absl::OkStatus());
}

grpc::Status IdentityService::GetPublicKeys(grpc::ServerContext* ctx,
                                            const v1::GetPublicKeysRequest*,
                                            v1::GetPublicKeysResponse* resp) {
  grpcx::ServerCall call(ctx, env_, "GetPublicKeys");
  if (!call.ok()) return call.Finish();
  for (const auth::PublicKey& k : manager_.tokens().PublicKeys()) {
    auto* key = resp->add_keys();
    key->set_key_id(k.key_id);
    key->set_ed25519(k.bytes);
  }
  return call.Finish(absl::OkStatus());
}

grpc::Status IdentityService::ValidateToken(grpc::ServerContext* ctx,
                                            const v1::ValidateTokenRequest* req,
                                            v1::TokenInfo* resp) {
  grpcx::ServerCall call(ctx, env_, "ValidateToken");
  if (!call.ok()) return call.Finish();
  absl::StatusOr<TokenData> data = manager_.tokens().ValidateToken(call.caller(), req->token());
  if (!data.ok()) return call.Finish(data.status());
  TokenInfoToProto(*data, resp);
  return call.Finish(absl::OkStatus());
}

grpc::Status IdentityService::RevokeToken(grpc::ServerContext* ctx,
                                          const v1::RevokeTokenRequest* req,
                                          v1::RevokeTokenResponse*) {
  grpcx::ServerCall call(ctx, env_, "RevokeToken");
  if (!call.ok()) return call.Finish();
  // identity:revoke_token (TokenManager): the token's own user, a service, or a cloud admin.
  return call.Finish(manager_.tokens().RevokeToken(call.caller(), req->token()));
}

grpc::Status IdentityService::ListRevocationEvents(grpc::ServerContext* ctx,
                                                   const v1::ListRevocationEventsRequest* req,
                                                   v1::ListRevocationEventsResponse* resp) {
  grpcx::ServerCall call(ctx, env_, "ListRevocationEvents");
  if (!call.ok()) return call.Finish();
  auto events = manager_.tokens().ListRevocationEvents(absl::FromUnixMicros(req->since_unix_us()));
  if (!events.ok()) return call.Finish(events.status());
  for (const auth::RevocationEvent& e : *events) {
    auto* out = resp->add_events();
    out->set_audit_id(e.audit_id);
    out->set_user_id(e.user_id);
    out->set_project_id(e.project_id);
    out->set_issued_before_unix_us(absl::ToUnixMicros(e.issued_before));
    out->set_revoked_at_unix_us(absl::ToUnixMicros(e.revoked_at));
  }
  return call.Finish(absl::OkStatus());
}

grpc::Status IdentityService::Catalog(grpc::ServerContext* ctx, const v1::CatalogRequest*,
                                      v1::CatalogResponse* resp) {
  return Serve(ctx, "Catalog", [&](const Caller& caller) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto catalog, manager_.catalog().CallerCatalog(caller));
    for (const CatalogEntry& e : catalog) CatalogEntryToProto(e, resp->add_catalog());
    return absl::OkStatus();
  });
}

}  // namespace gureum::identity
