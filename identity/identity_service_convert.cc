// Message <-> record translation for identity's gRPC service.
#include <grpcpp/server_context.h>

#include "common/auth/verifier.h"
#include "common/grpc/server_call.h"
#include "identity/identity_errors.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {

void DomainToProto(const Domain& d, v1::Domain* out) {
  out->set_id(d.id);
  out->set_name(d.name);
  out->set_description(d.description);
  out->set_enabled(d.enabled);
}

void ProjectToProto(const Project& p, v1::Project* out) {
  out->set_id(p.id);
  out->set_name(p.name);
  out->set_domain_id(p.domain_id);
  out->set_parent_id(p.parent_id);
  out->set_description(p.description);
  out->set_enabled(p.enabled);
  for (const std::string& t : p.tags) out->add_tags(t);
}

void UserToProto(const User& u, v1::User* out) {
  out->set_id(u.id);
  out->set_name(u.name);
  out->set_domain_id(u.domain_id);
  out->set_default_project_id(u.default_project_id);
  out->set_description(u.description);
  out->set_email(u.email);
  out->set_enabled(u.enabled);
  out->set_ignore_lockout_failure_attempts(u.options.ignore_lockout_failure_attempts);
}

void GroupToProto(const Group& g, v1::Group* out) {
  out->set_id(g.id);
  out->set_name(g.name);
  out->set_domain_id(g.domain_id);
  out->set_description(g.description);
}

void RoleToProto(const Role& r, v1::Role* out) {
  out->set_id(r.id);
  out->set_name(r.name);
  out->set_domain_id(r.domain_id);
  out->set_description(r.description);
}

void RegionToProto(const Region& r, v1::Region* out) {
  out->set_id(r.id);
  out->set_description(r.description);
  out->set_parent_region_id(r.parent_region_id);
}

void ServiceToProto(const Service& s, v1::Service* out) {
  out->set_id(s.id);
  out->set_type(s.type);
  out->set_name(s.name);
  out->set_description(s.description);
  out->set_enabled(s.enabled);
}

void EndpointToProto(const Endpoint& e, v1::Endpoint* out) {
  out->set_id(e.id);
  out->set_interface(e.interface);
  out->set_region_id(e.region_id);
  out->set_url(e.url);
  out->set_service_id(e.service_id);
  out->set_enabled(e.enabled);
}

void CatalogEntryToProto(const CatalogEntry& entry, v1::CatalogEntry* out) {
  out->set_id(entry.service.id);
  out->set_type(entry.service.type);
  out->set_name(entry.service.name);
  for (const Endpoint& ep : entry.endpoints) {
    auto* p = out->add_endpoints();
    p->set_id(ep.id);
    p->set_interface(ep.interface);
    p->set_region_id(ep.region_id);
    p->set_url(ep.url);
  }
}

void AppCredentialToProto(const ApplicationCredential& c, v1::ApplicationCredential* out) {
  out->set_id(c.id);
  out->set_name(c.name);
  out->set_user_id(c.user_id);
  out->set_project_id(c.project_id);
  out->set_description(c.description);
  out->set_expires_at_unix_us(c.expires_at ? absl::ToUnixMicros(*c.expires_at) : 0);
  out->set_unrestricted(c.unrestricted);
  for (const RoleRef& r : c.roles) {
    auto* role = out->add_roles();
    role->set_id(r.id);
    role->set_name(r.name);
  }
}

void AssignmentToProto(const RoleAssignmentView& v, v1::RoleAssignment* out) {
  const RoleAssignment& a = v.assignment;
  v1::RoleGrant* g = out->mutable_grant();
  g->set_role_id(a.role_id);
  g->set_user_id(a.user_id);
  g->set_group_id(a.group_id);
  g->set_project_id(a.project_id);
  g->set_domain_id(a.domain_id);
  g->set_system(a.system);
  g->set_inherited(a.inherited);
  out->set_role_name(v.role_name);
  out->set_user_name(v.user_name);
  out->set_user_domain_id(v.user_domain_id);
  out->set_group_name(v.group_name);
  out->set_group_domain_id(v.group_domain_id);
  out->set_project_name(v.project_name);
  out->set_project_domain_id(v.project_domain_id);
  out->set_domain_name(v.domain_name);
}

RoleAssignment GrantFromProto(const v1::RoleGrant& g) {
  RoleAssignment a;
  a.role_id = g.role_id();
  a.user_id = g.user_id();
  a.group_id = g.group_id();
  a.project_id = g.project_id();
  a.domain_id = g.domain_id();
  a.system = g.system();
  a.inherited = g.inherited();
  return a;
}

absl::Status RequireField(const std::string& field, const std::string& value) {
  if (!value.empty()) return absl::OkStatus();
  return InvalidFieldError(field, "must not be empty");
}

absl::StatusOr<auth::TokenClaims> CallToken(const TokenManager& tokens, grpc::ServerContext* ctx) {
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find(grpcx::kTokenKey);
  if (it == metadata.end()) return absl::UnauthenticatedError(auth::kAuthRequired);
  return tokens.VerifyToken(std::string(it->second.data(), it->second.size()));
}

}  // namespace gureum::identity
