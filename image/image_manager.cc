// ImageManager: records, visibility, updates, members and tags. Uploads and downloads
// are in image_data.cc.
#include "image/image_manager.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "common/validate/validate.h"
#include "image/image_errors.h"

namespace gureum::image {
namespace {

// Glance's defaults ([image_format] disk_formats, container_formats).
const std::vector<std::string> kDiskFormats = {"ami", "ari",   "aki", "vhd", "vhdx", "vmdk",
                                               "raw", "qcow2", "vdi", "iso", "ploop"};
const std::vector<std::string> kContainerFormats = {"ami", "ari", "aki",    "bare",
                                                    "ovf", "ova", "docker", "compressed"};

bool In(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

absl::Status CheckFormats(const std::string& disk, const std::string& container) {
  if (!disk.empty() && !ValidDiskFormat(disk)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid disk format '", disk,
                     "'. Valid formats: ", absl::StrJoin(kDiskFormats, ", "), "."));
  }
  if (!container.empty() && !ValidContainerFormat(container)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid container format '", container,
                     "'. Valid formats: ", absl::StrJoin(kContainerFormats, ", "), "."));
  }
  return absl::OkStatus();
}

absl::Status CheckTag(const std::string& tag) {
  if (tag.empty()) return absl::InvalidArgumentError("Tags must be 1 to 255 characters long.");
  return ValidateName("tag", tag);
}

absl::Status CheckName(const std::string& name) { return ValidateName("name", name); }

absl::Status CheckProperty(const std::string& key, const std::string& value) {
  if (key.empty()) {
    return absl::InvalidArgumentError("Property names must be 1 to 255 characters long.");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("property name", key));
  return ValidateText(absl::StrCat("property ", key), value);
}

void SortTags(std::vector<std::string>& tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
}

}  // namespace

bool ValidDiskFormat(const std::string& f) { return In(kDiskFormats, f); }
bool ValidContainerFormat(const std::string& f) { return In(kContainerFormats, f); }
bool ValidVisibility(const std::string& v) {
  return v == kPublic || v == kPrivate || v == kShared || v == kCommunity;
}

std::string QuotaMessage(const Usage& usage, const ImageManagerOptions& o) {
  return absl::StrCat(
      "usage: ", usage.image_count, " images of ",
      o.image_count_quota < 0 ? std::string("unlimited") : std::to_string(o.image_count_quota),
      ", ", usage.total_bytes, " bytes of ",
      o.image_size_total_quota < 0 ? std::string("unlimited")
                                   : std::to_string(o.image_size_total_quota));
}

ImageManager::ImageManager(ImageStore& store, DataStore& data, const policy::Enforcer& enforcer,
                           const Clock& clock, IdGenerator& ids, ImageManagerOptions options)
    : store_(store),
      data_(data),
      enforcer_(enforcer),
      clock_(clock),
      ids_(ids),
      options_(options) {}

bool ImageManager::SeesEverything(const Caller& caller) const {
  return enforcer_.Allowed("image_service", caller);
}

absl::Status ImageManager::Enforce(const std::string& rule, const Caller& caller,
                                   const Image& image) const {
  return enforcer_.Enforce(rule, caller, {{"target.project_id", image.owner}});
}

absl::StatusOr<Image> ImageManager::Visible(const Caller& caller, const std::string& id) {
  // Every path to an image (show, download, tags, members, changes) reads it first, so a
  // caller without a role on its project is stopped here, before visibility is weighed.
  GUREUM_RETURN_IF_ERROR(
      enforcer_.Enforce("image:get_image", caller, {{"target.project_id", caller.project_id}}));
  GUREUM_ASSIGN_OR_RETURN(Image image, store_.GetImage(id));
  if (SeesEverything(caller) || image.owner == caller.project_id || image.visibility == kPublic ||
      image.visibility == kCommunity) {
    return image;
  }
  if (image.visibility == kShared && !caller.project_id.empty()) {
    if (store_.GetMember(id, caller.project_id).ok()) return image;
  }
  return ImageNotFound(id);
}

absl::Status ImageManager::CheckVisibilityChange(const Caller& caller, const Image& image,
                                                 const std::string& visibility) const {
  if (!ValidVisibility(visibility)) {
    return absl::InvalidArgumentError("Invalid visibility '" + visibility +
                                      "': use public, private, shared or community.");
  }
  if (visibility == kPublic && image.visibility != kPublic) {
    return Enforce("image:publicize_image", caller, image);
  }
  if (visibility == kCommunity && image.visibility != kCommunity) {
    return Enforce("image:communitize_image", caller, image);
  }
  return absl::OkStatus();
}

absl::StatusOr<Image> ImageManager::CreateImage(const Caller& caller, const ImageCreate& r) {
  if (caller.project_id.empty()) {
    return absl::PermissionDeniedError("Images belong to projects: use a project-scoped token.");
  }
  Image image;
  image.id = r.id.empty() ? ids_.NewUuid() : r.id;
  image.owner = caller.project_id;
  GUREUM_RETURN_IF_ERROR(
      enforcer_.Enforce("image:add_image", caller, {{"target.project_id", image.owner}}));
  if (!r.owner.empty() && r.owner != caller.project_id) {
    // Glance lets admins create images for another project (openstack image create --project).
    GUREUM_RETURN_IF_ERROR(enforcer_.Enforce("image_admin", caller, {}));
    image.owner = r.owner;
  }
  GUREUM_RETURN_IF_ERROR(CheckName(r.name));
  GUREUM_RETURN_IF_ERROR(CheckFormats(r.disk_format, r.container_format));
  if (r.min_disk < 0 || r.min_ram < 0) {
    return absl::InvalidArgumentError("min_disk and min_ram must not be negative.");
  }
  for (const std::string& t : r.tags) GUREUM_RETURN_IF_ERROR(CheckTag(t));
  for (const auto& [k, v] : r.properties) GUREUM_RETURN_IF_ERROR(CheckProperty(k, v));
  image.name = r.name;
  image.disk_format = r.disk_format;
  image.container_format = r.container_format;
  image.min_disk = r.min_disk;
  image.min_ram = r.min_ram;
  image.is_protected = r.is_protected;
  image.os_hidden = r.os_hidden;
  image.tags = r.tags;
  SortTags(image.tags);
  image.properties = r.properties;
  image.visibility = kShared;
  std::string visibility = r.visibility.empty() ? std::string(kShared) : r.visibility;
  GUREUM_RETURN_IF_ERROR(CheckVisibilityChange(caller, image, visibility));
  image.visibility = visibility;
  image.created_at = image.updated_at = clock_.Now();
  absl::Status s = store_.CreateImage(image, options_.image_count_quota);
  if (absl::IsResourceExhausted(s)) {
    auto usage = store_.GetUsage(image.owner);
    if (usage.ok()) {
      s = absl::ResourceExhaustedError(
          absl::StrCat(s.message(), " (", QuotaMessage(*usage, options_), ")"));
    }
  }
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("Image with identifier " + image.id + " already exists!");
  }
  GUREUM_RETURN_IF_ERROR(s);
  return image;
}

absl::StatusOr<Image> ImageManager::GetImage(const Caller& caller, const std::string& id) {
  return Visible(caller, id);
}

absl::StatusOr<std::vector<Image>> ImageManager::ListImages(const Caller& caller, ImageQuery q) {
  GUREUM_RETURN_IF_ERROR(
      enforcer_.Enforce("image:get_images", caller, {{"target.project_id", caller.project_id}}));
  q.all_projects = enforcer_.Allowed("image_admin", caller);
  q.project_id = caller.project_id;
  if (q.limit <= 0 || q.limit > 1000) q.limit = q.limit <= 0 ? 25 : 1000;
  if (q.visibility && !ValidVisibility(*q.visibility) && *q.visibility != "all") {
    return absl::InvalidArgumentError("Invalid visibility filter '" + *q.visibility + "'.");
  }
  if (q.visibility && *q.visibility == "all") q.visibility.reset();
  if (!q.marker.empty()) GUREUM_RETURN_IF_ERROR(Visible(caller, q.marker).status());
  return store_.ListImages(q);
}

absl::StatusOr<Image> ImageManager::UpdateImage(const Caller& caller, const std::string& id,
                                                const ImageUpdate& u) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:modify_image", caller, image));
  if (u.name) {
    GUREUM_RETURN_IF_ERROR(CheckName(*u.name));
    image.name = *u.name;
  }
  if (u.owner && *u.owner != image.owner) {
    GUREUM_RETURN_IF_ERROR(enforcer_.Enforce("image_admin", caller, {}));
    if (u.owner->empty() || u.owner->size() > 255) {
      return absl::InvalidArgumentError("owner must be a project id of 1 to 255 characters.");
    }
    image.owner = *u.owner;
  }
  bool formats_change = (u.disk_format && *u.disk_format != image.disk_format) ||
                        (u.container_format && *u.container_format != image.container_format);
  if (formats_change && image.status != kQueued) {
    return absl::PermissionDeniedError(
        "disk_format and container_format can only be changed while the image is queued.");
  }
  GUREUM_RETURN_IF_ERROR(CheckFormats(u.disk_format.value_or(""), u.container_format.value_or("")));
  if (u.disk_format) image.disk_format = *u.disk_format;
  if (u.container_format) image.container_format = *u.container_format;
  if (u.visibility) {
    GUREUM_RETURN_IF_ERROR(CheckVisibilityChange(caller, image, *u.visibility));
    image.visibility = *u.visibility;
  }
  if ((u.min_disk && *u.min_disk < 0) || (u.min_ram && *u.min_ram < 0)) {
    return absl::InvalidArgumentError("min_disk and min_ram must not be negative.");
  }
  if (u.min_disk) image.min_disk = *u.min_disk;
  if (u.min_ram) image.min_ram = *u.min_ram;
  if (u.is_protected) image.is_protected = *u.is_protected;
  if (u.os_hidden) image.os_hidden = *u.os_hidden;
  if (u.tags) {
    for (const std::string& t : *u.tags) GUREUM_RETURN_IF_ERROR(CheckTag(t));
    image.tags = *u.tags;
    SortTags(image.tags);
  }
  for (const auto& [k, v] : u.set_properties) {
    GUREUM_RETURN_IF_ERROR(CheckProperty(k, v));
    image.properties[k] = v;
  }
  for (const std::string& k : u.remove_properties) {
    if (image.properties.erase(k) == 0) {
      return absl::FailedPreconditionError("Property " + k + " does not exist.");
    }
  }
  image.updated_at = clock_.Now();
  GUREUM_RETURN_IF_ERROR(store_.UpdateImage(image));
  return store_.GetImage(id);
}

absl::Status ImageManager::DeleteImage(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:delete_image", caller, image));
  if (image.is_protected) {
    return absl::PermissionDeniedError("Image " + id +
                                       " is protected and cannot be deleted. Unset protected "
                                       "first.");
  }
  GUREUM_ASSIGN_OR_RETURN(Image deleted, store_.DeleteImage(id));
  if (!deleted.location.empty()) return data_.Delete(deleted.location);
  return absl::OkStatus();
}

absl::StatusOr<Image> ImageManager::SetDeactivated(const Caller& caller, const std::string& id,
                                                   bool deactivated) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:deactivate", caller, image));
  if (image.status == (deactivated ? kDeactivated : kActive)) return image;
  GUREUM_RETURN_IF_ERROR(store_.SetStatus(id, {deactivated ? kActive : kDeactivated},
                                          deactivated ? kDeactivated : kActive, clock_.Now()));
  return store_.GetImage(id);
}

absl::Status ImageManager::AddTag(const Caller& caller, const std::string& id,
                                  const std::string& tag) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(CheckTag(tag));
  ImageUpdate u;
  u.tags = image.tags;
  u.tags->push_back(tag);
  return UpdateImage(caller, id, u).status();
}

absl::Status ImageManager::RemoveTag(const Caller& caller, const std::string& id,
                                     const std::string& tag) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  auto it = std::find(image.tags.begin(), image.tags.end(), tag);
  if (it == image.tags.end()) return absl::NotFoundError("Tag " + tag + " not found.");
  ImageUpdate u;
  u.tags = image.tags;
  u.tags->erase(u.tags->begin() + (it - image.tags.begin()));
  return UpdateImage(caller, id, u).status();
}

absl::StatusOr<Member> ImageManager::AddMember(const Caller& caller, const std::string& image_id,
                                               const std::string& member_id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, image_id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:add_member", caller, image));
  if (image.visibility != kShared) {
    return absl::PermissionDeniedError("Only shared images have members; image " + image_id +
                                       " is " + image.visibility + ".");
  }
  if (member_id.empty() || member_id.size() > 255) {
    return absl::InvalidArgumentError("member must be a project id.");
  }
  Member m{image_id, member_id, kMemberPending, clock_.Now(), clock_.Now()};
  GUREUM_RETURN_IF_ERROR(store_.AddMember(m));
  return m;
}

absl::StatusOr<Member> ImageManager::UpdateMember(const Caller& caller, const std::string& image_id,
                                                  const std::string& member_id,
                                                  const std::string& status) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, image_id));
  if (status != kMemberAccepted && status != kMemberRejected && status != kMemberPending) {
    return absl::InvalidArgumentError("Member status must be accepted, rejected or pending.");
  }
  GUREUM_RETURN_IF_ERROR(
      enforcer_.Enforce("image:modify_member", caller,
                        {{"target.project_id", image.owner}, {"target.member_id", member_id}}));
  GUREUM_ASSIGN_OR_RETURN(Member m, store_.GetMember(image_id, member_id));
  m.status = status;
  m.updated_at = clock_.Now();
  GUREUM_RETURN_IF_ERROR(store_.UpdateMember(m));
  return m;
}

absl::Status ImageManager::RemoveMember(const Caller& caller, const std::string& image_id,
                                        const std::string& member_id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, image_id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:delete_member", caller, image));
  return store_.DeleteMember(image_id, member_id);
}

absl::StatusOr<Member> ImageManager::GetMember(const Caller& caller, const std::string& image_id,
                                               const std::string& member_id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, image_id));
  bool owner_side = SeesEverything(caller) || image.owner == caller.project_id;
  if (!owner_side && member_id != caller.project_id) return MemberNotFound(image_id, member_id);
  return store_.GetMember(image_id, member_id);
}

absl::StatusOr<std::vector<Member>> ImageManager::ListMembers(const Caller& caller,
                                                              const std::string& image_id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, image_id));
  if (image.visibility != kShared) {
    return absl::PermissionDeniedError("Only shared images have members.");
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<Member> members, store_.ListMembers(image_id));
  if (SeesEverything(caller) || image.owner == caller.project_id) return members;
  std::vector<Member> own;
  for (Member& m : members) {
    if (m.member_id == caller.project_id) own.push_back(std::move(m));
  }
  return own;
}

absl::StatusOr<Usage> ImageManager::GetUsage(const Caller& caller) {
  if (caller.project_id.empty()) {
    return absl::InvalidArgumentError("Usage is per project: use a project-scoped token.");
  }
  return store_.GetUsage(caller.project_id);
}

}  // namespace gureum::image
