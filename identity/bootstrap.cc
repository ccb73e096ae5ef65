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

}  // namespace

absl::StatusOr<BootstrapResult> IdentityManager::Bootstrap(const BootstrapOptions& o) {
  IdentityStore& store = deps_.store;
  if (o.admin_password.empty()) return InvalidFieldError("admin_password", "must not be empty");
  if (o.public_url_host.empty()) return InvalidFieldError("public_url_host", "must not be empty");
  BootstrapResult result;
  // Each step is "find, else create"; a run interrupted half-way is finished by the next.
  absl::StatusOr<Domain> domain = store.GetDomain(kDefaultDomainId);
  if (absl::IsNotFound(domain.status())) {
    GUREUM_RETURN_IF_ERROR(
        projects_.CreateDomain({kDefaultDomainId, kDefaultDomainName, "The default domain", true})
            .status());
    result.changed = true;
  } else if (!domain.ok()) {
    return domain.status();
  }

  auto ensure_role = [&](const std::string& name) -> absl::StatusOr<std::string> {
    absl::StatusOr<Role> r = store.GetRoleByName("", name);
    if (r.ok()) return r->id;
    if (!absl::IsNotFound(r.status())) return r.status();
    result.changed = true;
    GUREUM_ASSIGN_OR_RETURN(Role created, roles_.CreateRole(Role{"", name, "", ""}));
    return created.id;
  };
  GUREUM_ASSIGN_OR_RETURN(std::string admin_id, ensure_role("admin"));
  GUREUM_ASSIGN_OR_RETURN(std::string member_id, ensure_role("member"));
  GUREUM_ASSIGN_OR_RETURN(std::string reader_id, ensure_role("reader"));
  GUREUM_ASSIGN_OR_RETURN(result.admin_role_id, ensure_role(o.role_name));
  for (const auto& [prior, implied] : {std::pair{admin_id, member_id}, {member_id, reader_id}}) {
    absl::Status s = store.CreateImpliedRole({prior, implied});
    if (s.ok()) {
      result.changed = true;
    } else if (!absl::IsAlreadyExists(s)) {
      return s;
    }
  }

  absl::StatusOr<Project> project = store.GetProjectByName(kDefaultDomainId, o.project_name);
  if (absl::IsNotFound(project.status())) {
    Project p;
    p.name = o.project_name;
    p.domain_id = kDefaultDomainId;
    p.description = "Bootstrap project for initializing the cloud.";
    project = projects_.CreateProject(p);
    result.changed = true;
  }
  GUREUM_RETURN_IF_ERROR(project.status());
  result.admin_project_id = project->id;

  // A user with this password, made or reset (a new password is a deliberate reset:
  // account recovery; the same one is a no-op).
  auto ensure_user = [&](const std::string& name, const std::string& password,
                         const std::string& project_id) -> absl::StatusOr<std::string> {
    absl::StatusOr<UserRecord> user = store.GetUserByName(kDefaultDomainId, name);
    if (absl::IsNotFound(user.status())) {
      User u;
      u.name = name;
      u.domain_id = kDefaultDomainId;
      u.default_project_id = project_id;
      GUREUM_ASSIGN_OR_RETURN(User created, users_.CreateUser(u, password));
      result.changed = true;
      return created.id;
    }
    GUREUM_RETURN_IF_ERROR(user.status());
    if (!hasher_->Verify(user->password_hash, password)) {
      UserUpdate update;
      update.password = password;
      GUREUM_RETURN_IF_ERROR(users_.UpdateUser(user->user.id, update).status());
      result.changed = true;
      spdlog::info("bootstrap reset the password of user {}", user->user.id);
    }
    return user->user.id;
  };
  auto ensure_grants = [&](const std::vector<RoleAssignment>& grants) -> absl::Status {
    for (const RoleAssignment& a : grants) {
      absl::Status s = assignments_.CheckGrant(a);
      if (absl::IsNotFound(s)) {
        GUREUM_RETURN_IF_ERROR(assignments_.Grant(a));
        result.changed = true;
      } else if (!s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  };

  GUREUM_ASSIGN_OR_RETURN(result.admin_user_id,
                          ensure_user(o.admin_username, o.admin_password, project->id));
  RoleAssignment on_project{
      result.admin_role_id, result.admin_user_id, "", project->id, "", false, false};
  RoleAssignment on_system{result.admin_role_id, result.admin_user_id, "", "", "", true, false};
  GUREUM_RETURN_IF_ERROR(ensure_grants({on_project, on_system}));

  // The services' own user, in project "service" with the roles admin and service.
  if (!o.service_username.empty()) {
    if (o.service_password.empty()) {
      return InvalidFieldError("service_password", "must not be empty");
    }
    absl::StatusOr<Project> service_project =
        store.GetProjectByName(kDefaultDomainId, o.service_project);
    if (absl::IsNotFound(service_project.status())) {
      Project p;
      p.name = o.service_project;
      p.domain_id = kDefaultDomainId;
      p.description = "The project of the services' own users.";
      service_project = projects_.CreateProject(p);
      result.changed = true;
    }
    GUREUM_RETURN_IF_ERROR(service_project.status());
    GUREUM_ASSIGN_OR_RETURN(std::string service_role_id, ensure_role("service"));
    GUREUM_ASSIGN_OR_RETURN(
        std::string service_user_id,
        ensure_user(o.service_username, o.service_password, service_project->id));
    GUREUM_RETURN_IF_ERROR(ensure_grants(
        {RoleAssignment{admin_id, service_user_id, "", service_project->id, "", false, false},
         RoleAssignment{service_role_id, service_user_id, "", service_project->id, "", false,
                        false}}));
  }

  absl::StatusOr<Region> region = store.GetRegion(o.region_id);
  if (absl::IsNotFound(region.status())) {
    GUREUM_RETURN_IF_ERROR(store.CreateRegion(Region{o.region_id, "", ""}));
    result.changed = true;
  } else if (!region.ok()) {
    return region.status();
  }

  const std::string internal_host =
      o.internal_url_host.empty() ? o.public_url_host : o.internal_url_host;
  const std::string admin_host = o.admin_url_host.empty() ? internal_host : o.admin_url_host;
  auto wanted = [&](const std::string& type) {
    return o.catalog_types.empty() || type == "identity" ||
           std::find(o.catalog_types.begin(), o.catalog_types.end(), type) != o.catalog_types.end();
  };
  for (const std::string& type : o.catalog_types) {
    bool known = false;
    for (const CatalogSpec& spec : kCatalog) known = known || type == spec.type;
    if (!known) return InvalidFieldError("catalog_types", "unknown service type '" + type + "'");
  }
  for (const CatalogSpec& spec : kCatalog) {
    ListFilter by_type;
    by_type.type = spec.type;
    GUREUM_ASSIGN_OR_RETURN(std::vector<Service> services, store.ListServices(by_type));
    if (!wanted(spec.type)) {
      // Not run here (any more): its endpoints and its service go.
      for (const Service& gone : services) {
        ListFilter f;
        f.service_id = gone.id;
        GUREUM_ASSIGN_OR_RETURN(std::vector<Endpoint> endpoints, store.ListEndpoints(f));
        for (const Endpoint& e : endpoints) GUREUM_RETURN_IF_ERROR(catalog_.DeleteEndpoint(e.id));
        GUREUM_RETURN_IF_ERROR(catalog_.DeleteService(gone.id));
        result.changed = true;
      }
      continue;
    }
    Service service;
    if (services.empty()) {
      GUREUM_ASSIGN_OR_RETURN(service,
                              catalog_.CreateService(Service{"", spec.type, spec.name, "", true}));
      result.changed = true;
    } else {
      service = services.front();
    }
    for (const auto& [interface, host] :
         {std::pair<std::string, std::string>{"public", o.public_url_host},
          {"internal", internal_host},
          {"admin", admin_host}}) {
      std::string url = spec.type == std::string("identity") && !o.identity_url.empty()
                            ? o.identity_url
                            : absl::StrCat("http://", host, ":", spec.port_and_path);
      ListFilter f;
      f.service_id = service.id;
      f.interface = interface;
      f.region_id = o.region_id;
      GUREUM_ASSIGN_OR_RETURN(std::vector<Endpoint> found, store.ListEndpoints(f));
      if (found.empty()) {
        GUREUM_RETURN_IF_ERROR(
            catalog_.CreateEndpoint(Endpoint{"", service.id, o.region_id, interface, url, true})
                .status());
        result.changed = true;
      } else if (found.front().url != url) {
        // The host changed (reconfiguration): point the endpoint at the new one.
        EndpointUpdate update;
        update.url = url;
        GUREUM_RETURN_IF_ERROR(catalog_.UpdateEndpoint(found.front().id, update).status());
        result.changed = true;
      }
    }
  }
  return result;
}

}  // namespace gureum::identity
