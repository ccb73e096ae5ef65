// IdentityManager::Bootstrap: the first admin, roles and catalog of a deployment, made
// idempotently so the installer can run it on every (re)configuration.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_manager.h"

namespace gureum::identity {
namespace {

struct CatalogSpec {
  const char* type;
  const char* name;
  const char* port_and_path;  // after "http://HOST:"
};

// openstack-rest-notes.md section 0's suggested catalog.
constexpr CatalogSpec kCatalog[] = {
    {"identity", "keystone", "5000/v3"},
    {"compute", "nova", "8774/v2.1"},
    {"image", "glance", "9292"},
    {"network", "neutron", "9696"},
    {"volumev3", "cinderv3", "8776/v3/$(project_id)s"},
    {"block-storage", "cinder", "8776/v3/$(project_id)s"},
    {"object-store", "swift", "8080/v1/AUTH_$(project_id)s"},
    {"placement", "placement", "8778"},
};

// Bootstrap acts as the operator running gureum-manage, before any user exists: a
// system-scoped admin, the cloud administrator of every default rule.
Caller OperatorCaller() {
  Caller c;
  c.user_name = "gureum-manage bootstrap";
  c.system_scope = true;
  c.roles = {"admin", "member", "reader"};
  return c;
}

// One run of Bootstrap. Each step is "find, else create" and sets result.changed when it
// creates or changes something, so a run interrupted half-way is finished by the next.
class Bootstrapper {
 public:
  struct Managers {
    ProjectManager& projects;
    UserManager& users;
    RoleManager& roles;
    AssignmentManager& assignments;
    CatalogManager& catalog;
  };

  Bootstrapper(IdentityStore& store, const PasswordHasher& hasher, const Managers& m,
               const BootstrapOptions& options)
      : store_(store), hasher_(hasher), m_(m), o_(options) {}

  absl::StatusOr<BootstrapResult> Run();

 private:
  absl::Status CheckOptions() const;
  absl::Status EnsureDefaultDomain();
  absl::StatusOr<std::string> EnsureRole(const std::string& name);
  // admin -> member -> reader, and the admin role of the options.
  absl::Status EnsureRoles();
  absl::StatusOr<Project> EnsureProject(const std::string& name, const std::string& description);
  // A user with this password, made or reset (a new password is a deliberate reset:
  // account recovery; the same one is a no-op).
  absl::StatusOr<std::string> EnsureUser(const std::string& name, const std::string& password,
                                         const std::string& project_id);
  absl::Status EnsureGrants(const std::vector<RoleAssignment>& grants);
  absl::Status EnsureAdmin();
  // The services' own user, in project "service" with the roles admin and service.
  absl::Status EnsureServiceUser();
  absl::Status EnsureRegion();
  absl::Status EnsureCatalog();
  bool Wanted(const std::string& type) const;
  // A service type not run here (any more): its endpoints and its service go.
  absl::Status RemoveServices(const std::vector<Service>& services);
  // The public, internal and admin endpoints of `service`, at the configured hosts.
  absl::Status EnsureEndpoints(const CatalogSpec& spec, const Service& service);

  IdentityStore& store_;
  const PasswordHasher& hasher_;
  const Managers m_;
  const BootstrapOptions& o_;
  const Caller caller_ = OperatorCaller();
  BootstrapResult result_;
  std::string admin_role_id_;  // the role named "admin" (o_.role_name may differ)
};

absl::StatusOr<BootstrapResult> Bootstrapper::Run() {
  GUREUM_RETURN_IF_ERROR(CheckOptions());
  GUREUM_RETURN_IF_ERROR(EnsureDefaultDomain());
  GUREUM_RETURN_IF_ERROR(EnsureRoles());
  GUREUM_RETURN_IF_ERROR(EnsureAdmin());
  GUREUM_RETURN_IF_ERROR(EnsureServiceUser());
  GUREUM_RETURN_IF_ERROR(EnsureRegion());
  GUREUM_RETURN_IF_ERROR(EnsureCatalog());
  return result_;
}

absl::Status Bootstrapper::CheckOptions() const {
  if (o_.admin_password.empty()) return InvalidFieldError("admin_password", "must not be empty");
  if (o_.public_url_host.empty()) return InvalidFieldError("public_url_host", "must not be empty");
  return absl::OkStatus();
}

absl::Status Bootstrapper::EnsureDefaultDomain() {
  absl::StatusOr<Domain> domain = store_.GetDomain(kDefaultDomainId);
  if (absl::IsNotFound(domain.status())) {
    GUREUM_RETURN_IF_ERROR(m_.projects
                               .CreateDomain(caller_, {kDefaultDomainId, kDefaultDomainName,
                                                       "The default domain", true})
                               .status());
    result_.changed = true;
    return absl::OkStatus();
  }
  return domain.status();
}

absl::StatusOr<std::string> Bootstrapper::EnsureRole(const std::string& name) {
  absl::StatusOr<Role> r = store_.GetRoleByName("", name);
  if (r.ok()) return r->id;
  if (!absl::IsNotFound(r.status())) return r.status();
  result_.changed = true;
  GUREUM_ASSIGN_OR_RETURN(Role created, m_.roles.CreateRole(caller_, Role{"", name, "", ""}));
  return created.id;
}

absl::Status Bootstrapper::EnsureRoles() {
  GUREUM_ASSIGN_OR_RETURN(admin_role_id_, EnsureRole("admin"));
  GUREUM_ASSIGN_OR_RETURN(std::string member_id, EnsureRole("member"));
  GUREUM_ASSIGN_OR_RETURN(std::string reader_id, EnsureRole("reader"));
  GUREUM_ASSIGN_OR_RETURN(result_.admin_role_id, EnsureRole(o_.role_name));
  for (const auto& [prior, implied] :
       {std::pair{admin_role_id_, member_id}, {member_id, reader_id}}) {
    absl::Status s = store_.CreateImpliedRole({prior, implied});
    if (s.ok()) {
      result_.changed = true;
    } else if (!absl::IsAlreadyExists(s)) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Project> Bootstrapper::EnsureProject(const std::string& name,
                                                    const std::string& description) {
  absl::StatusOr<Project> project = store_.GetProjectByName(kDefaultDomainId, name);
  if (!absl::IsNotFound(project.status())) return project;
  Project p;
  p.name = name;
  p.domain_id = kDefaultDomainId;
  p.description = description;
  result_.changed = true;
  return m_.projects.CreateProject(caller_, p);
}

absl::StatusOr<std::string> Bootstrapper::EnsureUser(const std::string& name,
                                                     const std::string& password,
                                                     const std::string& project_id) {
  absl::StatusOr<UserRecord> user = store_.GetUserByName(kDefaultDomainId, name);
  if (absl::IsNotFound(user.status())) {
    User u;
    u.name = name;
    u.domain_id = kDefaultDomainId;
    u.default_project_id = project_id;
    GUREUM_ASSIGN_OR_RETURN(User created, m_.users.CreateUser(caller_, u, password));
    result_.changed = true;
    return created.id;
  }
  GUREUM_RETURN_IF_ERROR(user.status());
  if (!hasher_.Verify(user->password_hash, password)) {
    UserUpdate update;
    update.password = password;
    GUREUM_RETURN_IF_ERROR(m_.users.UpdateUser(caller_, user->user.id, update).status());
    result_.changed = true;
    spdlog::info("bootstrap reset the password of user {}", user->user.id);
  }
  return user->user.id;
}

absl::Status Bootstrapper::EnsureGrants(const std::vector<RoleAssignment>& grants) {
  for (const RoleAssignment& a : grants) {
    absl::Status s = m_.assignments.CheckGrant(caller_, a);
    if (absl::IsNotFound(s)) {
      GUREUM_RETURN_IF_ERROR(m_.assignments.Grant(caller_, a));
      result_.changed = true;
    } else if (!s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Bootstrapper::EnsureAdmin() {
  GUREUM_ASSIGN_OR_RETURN(
      Project project,
      EnsureProject(o_.project_name, "Bootstrap project for initializing the cloud."));
  result_.admin_project_id = project.id;
  GUREUM_ASSIGN_OR_RETURN(result_.admin_user_id,
                          EnsureUser(o_.admin_username, o_.admin_password, project.id));
  const std::string& role = result_.admin_role_id;
  const std::string& user = result_.admin_user_id;
  return EnsureGrants({RoleAssignment{role, user, "", project.id, "", false, false},
                       RoleAssignment{role, user, "", "", "", true, false}});
}

absl::Status Bootstrapper::EnsureServiceUser() {
  if (o_.service_username.empty()) return absl::OkStatus();
  if (o_.service_password.empty()) {
    return InvalidFieldError("service_password", "must not be empty");
  }
  GUREUM_ASSIGN_OR_RETURN(
      Project project,
      EnsureProject(o_.service_project, "The project of the services' own users."));
  GUREUM_ASSIGN_OR_RETURN(std::string service_role_id, EnsureRole("service"));
  GUREUM_ASSIGN_OR_RETURN(std::string user,
                          EnsureUser(o_.service_username, o_.service_password, project.id));
  return EnsureGrants({RoleAssignment{admin_role_id_, user, "", project.id, "", false, false},
                       RoleAssignment{service_role_id, user, "", project.id, "", false, false}});
}

absl::Status Bootstrapper::EnsureRegion() {
  absl::StatusOr<Region> region = store_.GetRegion(o_.region_id);
  if (absl::IsNotFound(region.status())) {
    GUREUM_RETURN_IF_ERROR(store_.CreateRegion(Region{o_.region_id, "", ""}));
    result_.changed = true;
    return absl::OkStatus();
  }
  return region.status();
}

bool Bootstrapper::Wanted(const std::string& type) const {
  const std::vector<std::string>& types = o_.catalog_types;
  return types.empty() || type == "identity" ||
         std::find(types.begin(), types.end(), type) != types.end();
}

absl::Status Bootstrapper::EnsureCatalog() {
  for (const std::string& type : o_.catalog_types) {
    bool known = false;
    for (const CatalogSpec& spec : kCatalog) known = known || type == spec.type;
    if (!known) return InvalidFieldError("catalog_types", "unknown service type '" + type + "'");
  }
  for (const CatalogSpec& spec : kCatalog) {
    ListFilter by_type;
    by_type.type = spec.type;
    GUREUM_ASSIGN_OR_RETURN(std::vector<Service> services, store_.ListServices(by_type));
    if (!Wanted(spec.type)) {
      GUREUM_RETURN_IF_ERROR(RemoveServices(services));
      continue;
    }
    Service service;
    if (services.empty()) {
      GUREUM_ASSIGN_OR_RETURN(
          service, m_.catalog.CreateService(caller_, Service{"", spec.type, spec.name, "", true}));
      result_.changed = true;
    } else {
      service = services.front();
    }
    GUREUM_RETURN_IF_ERROR(EnsureEndpoints(spec, service));
  }
  return absl::OkStatus();
}

absl::Status Bootstrapper::RemoveServices(const std::vector<Service>& services) {
  for (const Service& gone : services) {
    ListFilter f;
    f.service_id = gone.id;
    GUREUM_ASSIGN_OR_RETURN(std::vector<Endpoint> endpoints, store_.ListEndpoints(f));
    for (const Endpoint& e : endpoints)
      GUREUM_RETURN_IF_ERROR(m_.catalog.DeleteEndpoint(caller_, e.id));
    GUREUM_RETURN_IF_ERROR(m_.catalog.DeleteService(caller_, gone.id));
    result_.changed = true;
  }
  return absl::OkStatus();
}

absl::Status Bootstrapper::EnsureEndpoints(const CatalogSpec& spec, const Service& service) {
  const std::string internal_host =
      o_.internal_url_host.empty() ? o_.public_url_host : o_.internal_url_host;
  const std::string admin_host = o_.admin_url_host.empty() ? internal_host : o_.admin_url_host;
  for (const auto& [interface, host] :
       {std::pair<std::string, std::string>{"public", o_.public_url_host},
        {"internal", internal_host},
        {"admin", admin_host}}) {
    std::string url = spec.type == std::string("identity") && !o_.identity_url.empty()
                          ? o_.identity_url
                          : absl::StrCat("http://", host, ":", spec.port_and_path);
    ListFilter f;
    f.service_id = service.id;
    f.interface = interface;
    f.region_id = o_.region_id;
    GUREUM_ASSIGN_OR_RETURN(std::vector<Endpoint> found, store_.ListEndpoints(f));
    if (found.empty()) {
      GUREUM_RETURN_IF_ERROR(
          m_.catalog
              .CreateEndpoint(caller_, Endpoint{"", service.id, o_.region_id, interface, url, true})
              .status());
      result_.changed = true;
    } else if (found.front().url != url) {
      // The host changed (reconfiguration): point the endpoint at the new one.
      EndpointUpdate update;
      update.url = url;
      GUREUM_RETURN_IF_ERROR(m_.catalog.UpdateEndpoint(caller_, found.front().id, update).status());
      result_.changed = true;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BootstrapResult> IdentityManager::Bootstrap(const BootstrapOptions& options) {
  Bootstrapper::Managers m{projects_, users_, roles_, assignments_, catalog_};
  return Bootstrapper(deps_.store, *hasher_, m, options).Run();
}

}  // namespace gureum::identity
