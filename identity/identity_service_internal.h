// What the files of identity's gRPC service share (identity_service*.cc): translation
// between proto/identity.proto messages and the records of model.h, and small request
// checks. Not a public interface.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/token.h"
#include "identity/identity_manager.h"

#include "identity.pb.h"

namespace grpc {
class ServerContext;
}

namespace gureum::identity {

// ---- records to messages ----
void DomainToProto(const Domain& d, v1::Domain* out);
void ProjectToProto(const Project& p, v1::Project* out);
void UserToProto(const User& u, v1::User* out);
void GroupToProto(const Group& g, v1::Group* out);
void RoleToProto(const Role& r, v1::Role* out);
void RegionToProto(const Region& r, v1::Region* out);
void ServiceToProto(const Service& s, v1::Service* out);
void EndpointToProto(const Endpoint& e, v1::Endpoint* out);
void CatalogEntryToProto(const CatalogEntry& entry, v1::CatalogEntry* out);
void AppCredentialToProto(const ApplicationCredential& c, v1::ApplicationCredential* out);
void AssignmentToProto(const RoleAssignmentView& v, v1::RoleAssignment* out);

// ---- messages to records ----
RoleAssignment GrantFromProto(const v1::RoleGrant& g);

// InvalidArgument naming `field` when `value` is empty.
absl::Status RequireField(const std::string& field, const std::string& value);

// The verified token of the call (x-auth-token): what the manager needs where the rule is
// about the token itself (application credentials).
absl::StatusOr<auth::TokenClaims> CallToken(const TokenManager& tokens, grpc::ServerContext* ctx);

}  // namespace gureum::identity
