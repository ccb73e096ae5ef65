// The records of gureum-identity (Keystone v3): domains, projects, users, groups, roles,
// role assignments, the catalog (regions, services, endpoints), application credentials
// and revocation events. Plain values shared by the store, the manager and the adapters;
// no behaviour here. Secrets (password and credential hashes) live only in the *Record
// structs the store uses and never leave the manager.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace gureum::identity {

inline constexpr char kDefaultDomainId[] = "default";
inline constexpr char kDefaultDomainName[] = "Default";

struct Domain {
  std::string id;
  std::string name;  // unique
  std::string description;
  bool enabled = true;
};

struct Project {
  std::string id;
  std::string name;  // unique within domain_id
  std::string domain_id;
  // Empty for a project directly under its domain. (Keystone shows the domain id as the
  // parent of a top-level project; the REST adapter does that, the store keeps NULL.)
  std::string parent_id;
  std::string description;
  bool enabled = true;
  std::vector<std::string> tags;
};

struct UserOptions {
  // Exempts the user from lockout (service accounts), as Keystone's option of that name.
  bool ignore_lockout_failure_attempts = false;
};

struct User {
  std::string id;
  std::string name;  // unique within domain_id
  std::string domain_id;
  std::string default_project_id;  // empty: none
  std::string description;
  std::string email;
  bool enabled = true;
  UserOptions options;
  std::optional<absl::Time> password_expires_at;  // always nullopt for now (no expiry)
  // The attributes a client set beyond these (Keystone keeps them as "extra" and returns
  // them, e.g. a legacy project_id): a JSON object's text, "" for none.
  std::string extra;
};

// What the store keeps about a user beyond User: never returned by the manager.
struct UserRecord {
  User user;
  std::string password_hash;  // argon2id string from crypto_pwhash_str; empty: no password
  int failed_auth_count = 0;
  std::optional<absl::Time> last_failed_auth_at;
};

struct Group {
  std::string id;
  std::string name;  // unique within domain_id
  std::string domain_id;
  std::string description;
};

struct Role {
  std::string id;
  std::string name;       // unique within domain_id (empty domain_id = global roles)
  std::string domain_id;  // empty: a global role (admin, member, reader ...)
  std::string description;
};

// "prior implies implied": holding prior grants implied too (admin -> member -> reader).
struct ImpliedRole {
  std::string prior_role_id;
  std::string implied_role_id;
};

// One grant: exactly one actor (user_id or group_id) and exactly one target (project_id,
// domain_id or system). `inherited` grants apply to the target's sub-projects (a domain's
// projects, a project's descendants) and not to the target itself.
struct RoleAssignment {
  std::string role_id;
  std::string user_id;
  std::string group_id;
  std::string project_id;
  std::string domain_id;
  bool system = false;  // system scope ("all")
  bool inherited = false;

  bool operator==(const RoleAssignment& o) const {
    return role_id == o.role_id && user_id == o.user_id && group_id == o.group_id &&
           project_id == o.project_id && domain_id == o.domain_id && system == o.system &&
           inherited == o.inherited;
  }
};

// A role assignment as listed: the grant plus, with include_names, the names the REST
// adapter shows; with `effective`, the grant it was derived from.
struct RoleAssignmentView {
  RoleAssignment assignment;
  std::string role_name, role_domain_id;
  std::string user_name, user_domain_id;
  std::string group_name, group_domain_id;
  std::string project_name, project_domain_id;
  std::string domain_name;
  // Effective listings: set when this row comes from a group grant or an inherited grant.
  std::string via_group_id;
  std::string inherited_from_project_id;  // or the domain id for inherited domain grants
  std::string implied_from_role_id;       // set when the role was implied by another
};

struct Region {
  std::string id;  // chosen by the caller, e.g. "RegionOne"
  std::string description;
  std::string parent_region_id;
};

struct Service {
  std::string id;
  std::string type;  // "identity", "compute", ...
  std::string name;  // "keystone", "nova", ...
  std::string description;
  bool enabled = true;
};

struct Endpoint {
  std::string id;
  std::string service_id;
  std::string region_id;  // may be empty
  std::string interface;  // public, internal or admin
  std::string url;        // may hold $(project_id)s, substituted in token catalogs
  bool enabled = true;
};

struct RoleRef {
  std::string id;
  std::string name;
};

struct ApplicationCredential {
  std::string id;
  std::string name;  // unique per user
  std::string user_id;
  std::string project_id;
  std::string description;
  std::optional<absl::Time> expires_at;
  bool unrestricted = false;  // may create app credentials / trusts (we refuse both anyway)
  std::vector<RoleRef> roles;
};

struct ApplicationCredentialRecord {
  ApplicationCredential credential;
  std::string secret_hash;  // argon2id
};

// A credential of /v3/credentials: an opaque blob of a type ("ec2", "totp", "cert", ...)
// for a user, optionally bound to a project (ec2 ones always are). For "ec2" the blob is a
// JSON object with "access" and "secret", and the id is the SHA-256 (hex) of the access key,
// as Keystone makes it, so that a signature check finds the secret by access key.
struct Credential {
  std::string id;
  std::string user_id;
  std::string project_id;  // may be empty
  std::string type;
  std::string blob;  // plain text here; the store only ever sees it encrypted
};

// What the store keeps: the credential with its blob encrypted (CredentialManager).
struct CredentialRecord {
  std::string id;
  std::string user_id;
  std::string project_id;
  std::string type;
  std::string encrypted_blob;  // nonce + XSalsa20-Poly1305 box, base64
};

// ---- what Gureum keeps for Keystone's API without acting on it (extension_manager.h) ----

// A policy blob of /v3/policies (Keystone's centralized policies; the services' own
// policy files decide).
struct PolicyBlob {
  std::string id;
  std::string type;  // a MIME type, e.g. application/json
  std::string blob;
};

// An OAuth1 consumer (OS-OAUTH1); Gureum offers no OAuth1 flow, only their CRUD.
struct OAuthConsumer {
  std::string id;
  std::string description;
};

// An endpoint group (OS-EP-FILTER): endpoints selected by filters on service_id,
// region_id and interface. Kept and returned; the token catalog does not apply them.
struct EndpointGroup {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> filters;  // sorted by key
};

// A trust (OS-TRUST): the trustor delegates some of their roles on a project to the
// trustee. Kept and shown; Gureum issues no token by trust (trust_manager.h).
struct Trust {
  std::string id;
  std::string trustor_user_id;
  std::string trustee_user_id;
  std::string project_id;
  bool impersonation = false;
  std::optional<absl::Time> expires_at;
  std::vector<RoleRef> roles;
};

// How the store keeps these (and trusts): `kind` names the family ("policy", "oauth_consumer",
// "endpoint_group", "domain_config", "trust"), `body` is a JSON object's text the manager
// writes.
// A domain's configuration has the domain's id.
struct StoredDocument {
  std::string kind;
  std::string id;
  std::string body;
};

// A persisted revocation event (see common/auth/revocation.h for the matching rules).
struct StoredRevocationEvent {
  std::string audit_id;
  std::string user_id;
  std::string project_id;
  absl::Time issued_before;
  absl::Time revoked_at;
};

// ---- listing ----

// Paging is by id: results are sorted by id; `marker` is the last id of the previous page
// (exclusive) and `limit` caps the page (0 = no limit).
struct Page {
  std::string marker;
  int limit = 0;
};

struct ListFilter {
  std::optional<std::string> name;
  std::optional<std::string> domain_id;   // projects, users, groups, roles ("" = global roles)
  std::optional<bool> enabled;            // domains, projects, users, services, endpoints
  std::optional<std::string> parent_id;   // projects ("" = top-level)
  std::optional<std::string> type;        // services
  std::optional<std::string> service_id;  // endpoints
  std::optional<std::string> interface;   // endpoints
  std::optional<std::string> region_id;   // endpoints
  std::optional<std::string> user_id;     // credentials
  Page page;
};

struct AssignmentFilter {
  std::optional<std::string> user_id;
  std::optional<std::string> group_id;
  std::optional<std::string> role_id;
  std::optional<std::string> project_id;
  std::optional<std::string> domain_id;
  std::optional<bool> system;  // true: system grants only
  std::optional<bool> inherited;
};

}  // namespace gureum::identity
