// Records of gureum-image (the Glance v2 equivalent): images, their members, and what a
// listing asks for. Plain structs; the manager (image_manager.h) keeps them consistent.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gureum::image {

// Glance's image statuses. queued: record only; saving: an upload is running; active:
// data stored and verified; killed: an upload failed half-way (nothing stored);
// deactivated: data kept but not downloadable by non-admins; deleted: gone (never
// returned, rows are removed).
inline constexpr char kQueued[] = "queued";
inline constexpr char kSaving[] = "saving";
inline constexpr char kActive[] = "active";
inline constexpr char kKilled[] = "killed";
inline constexpr char kDeactivated[] = "deactivated";
inline constexpr char kDeleted[] = "deleted";

inline constexpr char kPublic[] = "public";
inline constexpr char kPrivate[] = "private";
inline constexpr char kShared[] = "shared";
inline constexpr char kCommunity[] = "community";

struct Image {
  std::string id;
  std::string name;
  std::string status = kQueued;
  std::string disk_format;       // "" until set
  std::string container_format;  // "" until set
  std::optional<int64_t> size;
  std::optional<int64_t> virtual_size;
  std::string checksum;       // md5 hex, "" until uploaded
  std::string os_hash_algo;   // "sha512" once uploaded
  std::string os_hash_value;  // hex
  int min_disk = 0;           // GiB
  int min_ram = 0;            // MiB
  std::string visibility = kShared;
  bool is_protected = false;
  bool os_hidden = false;
  std::string owner;                              // project id
  std::vector<std::string> tags;                  // sorted, unique
  std::map<std::string, std::string> properties;  // free-form key/value pairs
  std::string location;  // where the data store keeps the bytes ("" = none)
  absl::Time created_at;
  absl::Time updated_at;
};

inline constexpr char kMemberPending[] = "pending";
inline constexpr char kMemberAccepted[] = "accepted";
inline constexpr char kMemberRejected[] = "rejected";

struct Member {
  std::string image_id;
  std::string member_id;  // project id
  std::string status = kMemberPending;
  absl::Time created_at;
  absl::Time updated_at;
};

// What a caller may see, resolved by the manager into store terms: images owned by
// `project_id`, public ones, community ones (only when `include_community`), and shared
// ones where `project_id` is a member (accepted, or any status when asked by
// `member_status`). `all_projects` (admins) lifts every restriction.
struct ImageQuery {
  bool all_projects = false;
  std::string project_id;
  std::optional<std::string> visibility;  // filter
  std::optional<std::string> name;
  std::optional<std::string> status;
  std::optional<std::string> owner;
  std::vector<std::string> tags;                // all of these
  std::string member_status = kMemberAccepted;  // for shared images; "all" = any
  bool include_hidden = false;
  std::string marker;  // last id of the previous page
  int limit = 25;
};

// A project's use of the image quotas: images it owns and the bytes stored for them.
struct Usage {
  int64_t image_count = 0;
  int64_t total_bytes = 0;
};

// Metadata definitions (Glance's metadefs): a catalog of the properties images, volumes,
// flavors and servers may carry, grouped in namespaces, for consoles and tools to offer.
struct MetadefObject {
  std::string name;
  std::string description;
  std::vector<std::string> required;
  std::string properties_json = "{}";  // {name: JSON-schema property definition}
  absl::Time created_at;
  absl::Time updated_at;
};

struct MetadefTag {
  std::string name;
  absl::Time created_at;
  absl::Time updated_at;
};

// The namespace applies to `name` (e.g. OS::Glance::Image); `prefix` goes before its
// property names there, `properties_target` says where they go (e.g. "image").
struct ResourceTypeAssociation {
  std::string name;
  std::string prefix;
  std::string properties_target;
  absl::Time created_at;
  absl::Time updated_at;
};

struct MetadefNamespace {
  std::string name;  // Glance's "namespace": unique, the key
  std::string display_name;
  std::string description;
  std::string visibility = kPrivate;  // public or private
  bool is_protected = false;          // cannot be deleted while set
  std::string owner;                  // project id
  absl::Time created_at;
  absl::Time updated_at;
  std::vector<ResourceTypeAssociation> resource_types;  // in the order added
  std::map<std::string, std::string> properties;        // name -> JSON definition
  std::vector<MetadefObject> objects;                   // in the order added
  std::vector<MetadefTag> tags;                         // in the order added
};

}  // namespace gureum::image
