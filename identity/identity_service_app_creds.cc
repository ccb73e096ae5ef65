// Application credentials over gRPC. They belong to their user: an empty user_id means
// the caller; the secret is in the create response only. And GetEc2Credential, for the
// services that verify AWS signatures.
#include "common/status/macros.h"
#include "identity/identity_service.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {
namespace {

std::string OwnerOrCaller(const std::string& user_id, const Caller& caller) {
  return user_id.empty() ? caller.user_id : user_id;
}

}  // namespace

grpc::Status IdentityService::CreateApplicationCredential(
    grpc::ServerContext* ctx, const v1::CreateApplicationCredentialRequest* req,
    v1::CreateApplicationCredentialResponse* resp) {
  return Serve(ctx, "CreateApplicationCredential", [&](const Caller& caller) -> absl::Status {
    ApplicationCredentialCreate create;
    create.user_id = OwnerOrCaller(req->user_id(), caller);
    GUREUM_RETURN_IF_ERROR(RequireField("name", req->name()));
    create.name = req->name();
    create.description = req->description();
    create.secret = req->secret();
    if (req->expires_at_unix_us() != 0) {
      create.expires_at = absl::FromUnixMicros(req->expires_at_unix_us());
    }
    create.unrestricted = req->unrestricted();
    for (const v1::RoleRef& r : req->roles()) create.roles.push_back({r.id(), r.name()});
    // The manager's checks are about the token itself (project-scoped, not made from an
    // application credential), so it needs the claims, not just the caller.
    GUREUM_ASSIGN_OR_RETURN(auth::TokenClaims token, CallToken(manager_.tokens(), ctx));
    GUREUM_ASSIGN_OR_RETURN(CreatedApplicationCredential created,
                            manager_.app_credentials().CreateApplicationCredential(token, create));
    AppCredentialToProto(created.credential, resp->mutable_credential());
    resp->set_secret(created.secret);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetApplicationCredential(grpc::ServerContext* ctx,
                                                       const v1::ApplicationCredentialRequest* req,
                                                       v1::ApplicationCredential* resp) {
  return Serve(ctx, "GetApplicationCredential", [&](const Caller& caller) -> absl::Status {
    const std::string user_id = OwnerOrCaller(req->user_id(), caller);
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(
        ApplicationCredential c,
        manager_.app_credentials().GetApplicationCredential(caller, user_id, req->id()));
    AppCredentialToProto(c, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListApplicationCredentials(
    grpc::ServerContext* ctx, const v1::ListApplicationCredentialsRequest* req,
    v1::ListApplicationCredentialsResponse* resp) {
  return Serve(ctx, "ListApplicationCredentials", [&](const Caller& caller) -> absl::Status {
    const std::string user_id = OwnerOrCaller(req->user_id(), caller);
    std::optional<std::string> name;
    if (!req->name().empty()) name = req->name();
    GUREUM_ASSIGN_OR_RETURN(
        auto creds, manager_.app_credentials().ListApplicationCredentials(caller, user_id, name));
    for (const ApplicationCredential& c : creds) {
      AppCredentialToProto(c, resp->add_application_credentials());
    }
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteApplicationCredential(
    grpc::ServerContext* ctx, const v1::ApplicationCredentialRequest* req, v1::Empty*) {
  return Serve(ctx, "DeleteApplicationCredential", [&](const Caller& caller) -> absl::Status {
    const std::string user_id = OwnerOrCaller(req->user_id(), caller);
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.app_credentials().DeleteApplicationCredential(caller, user_id, req->id());
  });
}

// ---- EC2 credentials: a service reads the secret to verify an AWS signature ----

grpc::Status IdentityService::GetEc2Credential(grpc::ServerContext* ctx,
                                               const v1::GetEc2CredentialRequest* req,
                                               v1::Ec2Credential* resp) {
  return Serve(ctx, "GetEc2Credential", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("access", req->access()));
    GUREUM_ASSIGN_OR_RETURN(Ec2Credential c,
                            manager_.credentials().FindEc2Credential(caller, req->access()));
    resp->set_access(c.access);
    resp->set_secret(c.secret);
    resp->set_user_id(c.user_id);
    resp->set_project_id(c.project_id);
    return absl::OkStatus();
  });
}

}  // namespace gureum::identity
