#include "image/fake_image_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "image/image_errors.h"

namespace gureum::image {

#define FAKE_FAIL_FIRST()     \
  absl::MutexLock lock(&mu_); \
  if (absl::Status f = TakeFailure(); !f.ok()) return f

void FakeImageStore::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_next_ = std::move(status);
}

absl::Status FakeImageStore::TakeFailure() {
  absl::Status s = std::move(fail_next_);
  fail_next_ = absl::OkStatus();
  return s;
}

Usage FakeImageStore::UsageLocked(const std::string& project_id, const std::string& except) {
  Usage u;
  for (const auto& [id, i] : images_) {
    if (i.owner != project_id || id == except) continue;
    ++u.image_count;
    u.total_bytes += i.size.value_or(0);
  }
  return u;
}

absl::Status FakeImageStore::CreateImage(const Image& image, int64_t max_images) {
  FAKE_FAIL_FIRST();
  if (images_.count(image.id)) return absl::AlreadyExistsError("duplicate image id");
  if (max_images >= 0) {
    int64_t n = UsageLocked(image.owner).image_count;
    if (n >= max_images) {
      return absl::ResourceExhaustedError(
          absl::StrCat("Maximum number of images exceeded: project ", image.owner, " has ", n,
                       " images and the limit (image_count_quota) is ", max_images, "."));
    }
  }
  images_[image.id] = image;
  return absl::OkStatus();
}

absl::StatusOr<Image> FakeImageStore::GetImage(const std::string& id) {
  FAKE_FAIL_FIRST();
  auto it = images_.find(id);
  if (it == images_.end()) return ImageNotFound(id);
  return it->second;
}

absl::StatusOr<std::vector<Image>> FakeImageStore::ListImages(const ImageQuery& q) {
  FAKE_FAIL_FIRST();
  std::vector<Image> all;
  for (const auto& [id, i] : images_) all.push_back(i);
  std::sort(all.begin(), all.end(), [](const Image& a, const Image& b) {
    return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
  });
  std::vector<Image> out;
  bool past_marker = q.marker.empty();
  for (const Image& i : all) {
    if (!past_marker) {
      past_marker = i.id == q.marker;
      continue;
    }
    if (!q.all_projects) {
      auto m = members_.find({i.id, q.project_id});
      bool member =
          m != members_.end() && (q.member_status == "all" || m->second.status == q.member_status);
      bool seen = i.owner == q.project_id || i.visibility == kPublic ||
                  (i.visibility == kCommunity && q.visibility.value_or("") == kCommunity) ||
                  (i.visibility == kShared && member);
      if (!seen) continue;
    }
    if (q.visibility && i.visibility != *q.visibility) continue;
    if (q.name && i.name != *q.name) continue;
    if (q.status && i.status != *q.status) continue;
    if (q.owner && i.owner != *q.owner) continue;
    if (!q.include_hidden && i.os_hidden) continue;
    bool tags_ok = std::all_of(q.tags.begin(), q.tags.end(), [&](const std::string& t) {
      return std::find(i.tags.begin(), i.tags.end(), t) != i.tags.end();
    });
    if (!tags_ok) continue;
    out.push_back(i);
    if (static_cast<int>(out.size()) >= q.limit) break;
  }
  return out;
}

absl::Status FakeImageStore::UpdateImage(const Image& image) {
  FAKE_FAIL_FIRST();
  auto it = images_.find(image.id);
  if (it == images_.end()) return ImageNotFound(image.id);
  Image& i = it->second;
  i.name = image.name;
  i.owner = image.owner;
  i.disk_format = image.disk_format;
  i.container_format = image.container_format;
  i.min_disk = image.min_disk;
  i.min_ram = image.min_ram;
  i.visibility = image.visibility;
  i.is_protected = image.is_protected;
  i.os_hidden = image.os_hidden;
  i.tags = image.tags;
  i.properties = image.properties;
  i.updated_at = image.updated_at;
  return absl::OkStatus();
}

absl::Status FakeImageStore::SetStatus(const std::string& id, const std::vector<std::string>& from,
                                       const std::string& to, absl::Time now) {
  FAKE_FAIL_FIRST();
  auto it = images_.find(id);
  if (it == images_.end()) return ImageNotFound(id);
  if (std::find(from.begin(), from.end(), it->second.status) == from.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Image ", id, " is ", it->second.status, "; expected ", absl::StrJoin(from, " or "), "."));
  }
  it->second.status = to;
  it->second.updated_at = now;
  return absl::OkStatus();
}

absl::Status FakeImageStore::CompleteUpload(const Image& image, int64_t max_bytes) {
  FAKE_FAIL_FIRST();
  auto it = images_.find(image.id);
  if (it == images_.end()) return ImageNotFound(image.id);
  Image& i = it->second;
  if (i.status != kSaving) {
    return absl::FailedPreconditionError(
        absl::StrCat("Image ", image.id, " is ", i.status, ", not saving."));
  }
  if (max_bytes >= 0) {
    int64_t used = UsageLocked(i.owner, i.id).total_bytes;
    if (used + image.size.value_or(0) > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "Storage quota exceeded: project ", i.owner, " uses ", used, " bytes; this image (",
          image.size.value_or(0), " bytes) would exceed the limit (image_size_total_quota) of ",
          max_bytes, " bytes."));
    }
  }
  i.status = kActive;
  i.size = image.size;
  i.virtual_size = image.virtual_size;
  i.checksum = image.checksum;
  i.os_hash_algo = image.os_hash_algo;
  i.os_hash_value = image.os_hash_value;
  i.location = image.location;
  i.updated_at = image.updated_at;
  return absl::OkStatus();
}

absl::StatusOr<Image> FakeImageStore::DeleteImage(const std::string& id) {
  FAKE_FAIL_FIRST();
  auto it = images_.find(id);
  if (it == images_.end()) return ImageNotFound(id);
  Image out = it->second;
  images_.erase(it);
  for (auto m = members_.begin(); m != members_.end();) {
    m = m->first.first == id ? members_.erase(m) : std::next(m);
  }
  return out;
}

absl::Status FakeImageStore::AddMember(const Member& member) {
  FAKE_FAIL_FIRST();
  if (!images_.count(member.image_id)) return ImageNotFound(member.image_id);
  auto key = std::make_pair(member.image_id, member.member_id);
  if (members_.count(key)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "Member ", member.member_id, " already exists for image ", member.image_id, "."));
  }
  members_[key] = member;
  return absl::OkStatus();
}

absl::StatusOr<Member> FakeImageStore::GetMember(const std::string& image_id,
                                                 const std::string& member_id) {
  FAKE_FAIL_FIRST();
  auto it = members_.find({image_id, member_id});
  if (it == members_.end()) return MemberNotFound(image_id, member_id);
  return it->second;
}

absl::Status FakeImageStore::UpdateMember(const Member& member) {
  FAKE_FAIL_FIRST();
  auto it = members_.find({member.image_id, member.member_id});
  if (it == members_.end()) return MemberNotFound(member.image_id, member.member_id);
  it->second.status = member.status;
  it->second.updated_at = member.updated_at;
  return absl::OkStatus();
}

absl::Status FakeImageStore::DeleteMember(const std::string& image_id,
                                          const std::string& member_id) {
  FAKE_FAIL_FIRST();
  if (members_.erase({image_id, member_id}) == 0) return MemberNotFound(image_id, member_id);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Member>> FakeImageStore::ListMembers(const std::string& image_id) {
  FAKE_FAIL_FIRST();
  std::vector<Member> out;
  for (const auto& [key, m] : members_) {
    if (key.first == image_id) out.push_back(m);
  }
  return out;
}

absl::StatusOr<int64_t> FakeImageStore::KillInterruptedUploads(absl::Time now) {
  FAKE_FAIL_FIRST();
  int64_t n = 0;
  for (auto& [id, i] : images_) {
    if (i.status != kSaving) continue;
    i.status = kKilled;
    i.updated_at = now;
    ++n;
  }
  return n;
}

absl::StatusOr<Usage> FakeImageStore::GetUsage(const std::string& project_id) {
  FAKE_FAIL_FIRST();
  return UsageLocked(project_id);
}

}  // namespace gureum::image
