// gureum-identity's gRPC API (proto/identity.proto): a thin adapter over IdentityManager
// for the gureum CLI, the dashboard and other services (public keys and revocation
// events, which every service's TokenAuthenticator fetches).
//
// Authenticate and GetPublicKeys need no token; nor does ListRevocationEvents, so that a
// service can catch up at start-up before it holds any credential: events name only
// ids, and public keys are public. Everything else needs a valid token and is checked
// with the identity policy exactly as the Keystone REST API checks it: by the managers,
// which take the caller (and, for grants and role assignments, still here, with the
// same rules and targets: identity_access.h), so a reader cannot write and a member of
// project A never sees project B, whichever API they use.
//
// The handlers live in identity_service*.cc by resource group; each decodes, calls the
// manager with the caller and encodes.
#pragma once

#include <utility>

#include "common/grpc/server_call.h"
#include "common/policy/enforcer.h"
#include "identity/identity_manager.h"

#include "identity.grpc.pb.h"

namespace gureum::identity {

class IdentityService final : public gureum::identity::v1::Identity::Service {
 public:
  // `manager` (whose managers enforce the policy) and `env` must outlive the
  // service. `env.auth` should verify with the manager (IdentityAuthHook below); the
  // public methods are added to it here.
  IdentityService(IdentityManager& manager, grpcx::CallEnv& env);

#define GUREUM_IDENTITY_RPC(Method, Request, Response) \
  grpc::Status Method(grpc::ServerContext* ctx, const v1::Request* req, v1::Response* resp) override
  // identity_service.cc: tokens, keys, revocations, catalog.
  GUREUM_IDENTITY_RPC(Authenticate, AuthenticateRequest, AuthenticateResponse);
  GUREUM_IDENTITY_RPC(GetPublicKeys, GetPublicKeysRequest, GetPublicKeysResponse);
  GUREUM_IDENTITY_RPC(ValidateToken, ValidateTokenRequest, TokenInfo);
  GUREUM_IDENTITY_RPC(RevokeToken, RevokeTokenRequest, RevokeTokenResponse);
  GUREUM_IDENTITY_RPC(ListRevocationEvents, ListRevocationEventsRequest,
                      ListRevocationEventsResponse);
  GUREUM_IDENTITY_RPC(Catalog, CatalogRequest, CatalogResponse);
  // identity_service_projects.cc
  GUREUM_IDENTITY_RPC(CreateDomain, CreateDomainRequest, Domain);
  GUREUM_IDENTITY_RPC(GetDomain, GetRequest, Domain);
  GUREUM_IDENTITY_RPC(ListDomains, ListDomainsRequest, ListDomainsResponse);
  GUREUM_IDENTITY_RPC(UpdateDomain, UpdateDomainRequest, Domain);
  GUREUM_IDENTITY_RPC(DeleteDomain, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(CreateProject, CreateProjectRequest, Project);
  GUREUM_IDENTITY_RPC(GetProject, GetRequest, Project);
  GUREUM_IDENTITY_RPC(ListProjects, ListProjectsRequest, ListProjectsResponse);
  GUREUM_IDENTITY_RPC(UpdateProject, UpdateProjectRequest, Project);
  GUREUM_IDENTITY_RPC(DeleteProject, DeleteRequest, Empty);
  // identity_service_users.cc
  GUREUM_IDENTITY_RPC(CreateUser, CreateUserRequest, User);
  GUREUM_IDENTITY_RPC(GetUser, GetRequest, User);
  GUREUM_IDENTITY_RPC(ListUsers, ListUsersRequest, ListUsersResponse);
  GUREUM_IDENTITY_RPC(UpdateUser, UpdateUserRequest, User);
  GUREUM_IDENTITY_RPC(DeleteUser, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(ChangePassword, ChangePasswordRequest, Empty);
  GUREUM_IDENTITY_RPC(CreateGroup, CreateGroupRequest, Group);
  GUREUM_IDENTITY_RPC(GetGroup, GetRequest, Group);
  GUREUM_IDENTITY_RPC(ListGroups, ListGroupsRequest, ListGroupsResponse);
  GUREUM_IDENTITY_RPC(UpdateGroup, UpdateGroupRequest, Group);
  GUREUM_IDENTITY_RPC(DeleteGroup, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(AddUserToGroup, GroupMembershipRequest, Empty);
  GUREUM_IDENTITY_RPC(RemoveUserFromGroup, GroupMembershipRequest, Empty);
  GUREUM_IDENTITY_RPC(ListGroupUsers, ListGroupUsersRequest, ListUsersResponse);
  // identity_service_roles.cc
  GUREUM_IDENTITY_RPC(CreateRole, CreateRoleRequest, Role);
  GUREUM_IDENTITY_RPC(GetRole, GetRequest, Role);
  GUREUM_IDENTITY_RPC(ListRoles, ListRolesRequest, ListRolesResponse);
  GUREUM_IDENTITY_RPC(UpdateRole, UpdateRoleRequest, Role);
  GUREUM_IDENTITY_RPC(DeleteRole, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(GrantRole, RoleGrant, Empty);
  GUREUM_IDENTITY_RPC(RevokeRole, RoleGrant, Empty);
  GUREUM_IDENTITY_RPC(ListRoleAssignments, ListRoleAssignmentsRequest, ListRoleAssignmentsResponse);
  // identity_service_catalog.cc
  GUREUM_IDENTITY_RPC(CreateRegion, CreateRegionRequest, Region);
  GUREUM_IDENTITY_RPC(GetRegion, GetRequest, Region);
  GUREUM_IDENTITY_RPC(ListRegions, ListRegionsRequest, ListRegionsResponse);
  GUREUM_IDENTITY_RPC(UpdateRegion, UpdateRegionRequest, Region);
  GUREUM_IDENTITY_RPC(DeleteRegion, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(CreateService, CreateServiceRequest, Service);
  GUREUM_IDENTITY_RPC(GetService, GetRequest, Service);
  GUREUM_IDENTITY_RPC(ListServices, ListServicesRequest, ListServicesResponse);
  GUREUM_IDENTITY_RPC(UpdateService, UpdateServiceRequest, Service);
  GUREUM_IDENTITY_RPC(DeleteService, DeleteRequest, Empty);
  GUREUM_IDENTITY_RPC(CreateEndpoint, CreateEndpointRequest, Endpoint);
  GUREUM_IDENTITY_RPC(GetEndpoint, GetRequest, Endpoint);
  GUREUM_IDENTITY_RPC(ListEndpoints, ListEndpointsRequest, ListEndpointsResponse);
  GUREUM_IDENTITY_RPC(UpdateEndpoint, UpdateEndpointRequest, Endpoint);
  GUREUM_IDENTITY_RPC(DeleteEndpoint, DeleteRequest, Empty);
  // identity_service_app_creds.cc
  GUREUM_IDENTITY_RPC(CreateApplicationCredential, CreateApplicationCredentialRequest,
                      CreateApplicationCredentialResponse);
  GUREUM_IDENTITY_RPC(GetApplicationCredential, ApplicationCredentialRequest,
                      ApplicationCredential);
  GUREUM_IDENTITY_RPC(ListApplicationCredentials, ListApplicationCredentialsRequest,
                      ListApplicationCredentialsResponse);
  GUREUM_IDENTITY_RPC(DeleteApplicationCredential, ApplicationCredentialRequest, Empty);
  GUREUM_IDENTITY_RPC(GetEc2Credential, GetEc2CredentialRequest, Ec2Credential);
#undef GUREUM_IDENTITY_RPC

 private:
  // The shared prologue: authenticates the call, runs `body(caller)` and maps its status.
  template <typename F>
  grpc::Status Serve(grpc::ServerContext* ctx, const char* method, F&& body) {
    grpcx::ServerCall call(ctx, env_, method);
    if (!call.ok()) return call.Finish();
    return call.Finish(std::forward<F>(body)(call.caller()));
  }

  IdentityManager& manager_;
  const grpcx::CallEnv& env_;
};

// The auth hook for identity's own gRPC server: in-process verification by the manager.
grpcx::AuthHook IdentityAuthHook(IdentityManager& manager);

// Request and response translation, exposed for tests.
AuthRequest AuthRequestFromProto(const v1::AuthenticateRequest& req);
void TokenInfoToProto(const TokenData& data, v1::TokenInfo* out);

}  // namespace gureum::identity
