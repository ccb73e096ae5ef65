#include "compute/api/image_manager.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

absl::Status ImageNotFound() { return absl::NotFoundError("Image not found."); }

// The image service's NotFound and PermissionDenied (an image the caller may not see) are
// Nova's "Image not found."; the rest as they come.
absl::Status AsImageNotFound(absl::Status s) {
  if (absl::IsNotFound(s) || absl::IsPermissionDenied(s)) return ImageNotFound();
  return s;
}

std::optional<absl::Time> ParseRfc3339(const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%S", text, &t, &err)) return t;
  return std::nullopt;
}

std::string PropertyOr(const ImageInfo& i, const std::string& key) {
  auto it = i.properties.find(key);
  return it == i.properties.end() ? "" : it->second;
}

bool Matches(const ImageInfo& i, const ImageFilter& f) {
  if (f.changes_since) {
    std::optional<absl::Time> updated = ParseRfc3339(i.updated_at);
    if (updated && *updated < *f.changes_since) return false;
  }
  if (!f.server.empty() && PropertyOr(i, "instance_uuid") != f.server) return false;
  if (!f.type.empty() && PropertyOr(i, "image_type") != f.type) return false;
  if (f.min_ram && i.min_ram_mb < *f.min_ram) return false;
  if (f.min_disk && i.min_disk_gb < *f.min_disk) return false;
  for (const auto& [k, v] : f.properties) {
    auto it = i.properties.find(k);
    if (it == i.properties.end() || it->second != v) return false;
  }
  return true;
}

// The image service's status for Nova's (ACTIVE → active); Nova passes it on lowercased.
std::string ImageServiceStatus(const std::string& status) { return absl::AsciiStrToLower(status); }

}  // namespace

std::string NovaImageStatus(const std::string& status) {
  if (status == "active") return "ACTIVE";
  if (status == "queued" || status == "saving" || status == "importing") return "SAVING";
  if (status == "deleted" || status == "pending_delete") return "DELETED";
  if (status == "killed") return "ERROR";
  return "UNKNOWN";
}

int NovaImageProgress(const std::string& status) {
  if (status == "queued") return 25;
  if (status == "saving" || status == "importing") return 50;
  if (status == "active") return 100;
  return 0;
}

ImageManager::ImageManager(ImageClient& images, ComputeStore& store, ComputeOptions options)
    : images_(images), store_(store), options_(std::move(options)) {}

absl::StatusOr<std::vector<ImageInfo>> ImageManager::ListImages(const RequestContext& ctx,
                                                                const ImageFilter& filter) {
  ImageFilter f = filter;
  // Nova keeps the last part of a server link ("http://.../servers/<id>").
  if (size_t slash = f.server.rfind('/'); slash != std::string::npos) {
    f.server = f.server.substr(slash + 1);
  }
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<ImageInfo> all,
      images_.ListImages(ctx.token, {.name = f.name, .status = ImageServiceStatus(f.status)}));
  std::vector<ImageInfo> matching;
  for (ImageInfo& i : all) {
    if (Matches(i, f)) matching.push_back(std::move(i));
  }
  auto begin = matching.begin();
  if (!f.marker.empty()) {
    auto at = std::find_if(matching.begin(), matching.end(),
                           [&](const ImageInfo& i) { return i.id == f.marker; });
    if (at == matching.end()) {
      return absl::InvalidArgumentError(absl::StrCat("marker [", f.marker, "] not found"));
    }
    begin = at + 1;
  }
  auto end = matching.end();
  if (f.limit > 0 && end - begin > f.limit) end = begin + f.limit;
  return std::vector<ImageInfo>(std::make_move_iterator(begin), std::make_move_iterator(end));
}

absl::StatusOr<ImageInfo> ImageManager::GetImage(const RequestContext& ctx, const std::string& id) {
  if (id.empty()) return ImageNotFound();
  absl::StatusOr<ImageInfo> image = images_.GetImage(ctx.token, id);
  if (!image.ok()) return AsImageNotFound(image.status());
  return image;
}

absl::Status ImageManager::DeleteImage(const RequestContext& ctx, const std::string& id) {
  if (id.empty()) return ImageNotFound();
  absl::Status s = images_.DeleteImage(ctx.token, id);
  if (absl::IsNotFound(s)) return ImageNotFound();
  if (absl::IsPermissionDenied(s)) {
    return absl::PermissionDeniedError("You are not allowed to delete the image.");
  }
  return s;
}

absl::StatusOr<StringMap> ImageManager::GetMetadata(const RequestContext& ctx,
                                                    const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image, GetImage(ctx, id));
  return StringMap(image.properties.begin(), image.properties.end());
}

absl::Status ImageManager::CheckQuota(const RequestContext& ctx, const StringMap& metadata) {
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(ctx.caller.project_id, options_.default_quotas));
  if (limits.metadata_items >= 0 && static_cast<int64_t>(metadata.size()) > limits.metadata_items) {
    return WithHttpStatus(absl::ResourceExhaustedError("Image metadata limit exceeded"), 403);
  }
  for (const auto& [k, v] : metadata) {
    if (k.empty() || k.size() > 255 || v.size() > 255) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute metadata: keys of 1 to 255 characters, values "
          "of at most 255");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<StringMap> ImageManager::Update(const RequestContext& ctx, const std::string& id,
                                               const StringMap& set,
                                               const std::vector<std::string>& remove) {
  absl::StatusOr<ImageInfo> image = images_.UpdateProperties(
      ctx.token, id, std::map<std::string, std::string>(set.begin(), set.end()), remove);
  if (absl::IsNotFound(image.status())) return ImageNotFound();
  if (!image.ok()) return image.status();
  return StringMap(image->properties.begin(), image->properties.end());
}

absl::StatusOr<StringMap> ImageManager::SetMetadata(const RequestContext& ctx,
                                                    const std::string& id,
                                                    const StringMap& metadata, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image, GetImage(ctx, id));
  StringMap after = metadata;
  std::vector<std::string> remove;
  for (const auto& [k, v] : image.properties) {
    if (after.count(k) != 0) continue;
    if (replace) {
      remove.push_back(k);
    } else {
      after[k] = v;
    }
  }
  GUREUM_RETURN_IF_ERROR(CheckQuota(ctx, after));
  GUREUM_ASSIGN_OR_RETURN(StringMap now, Update(ctx, id, metadata, remove));
  // PUT answers what it was given, POST the image's properties (Nova).
  return replace ? metadata : now;
}

absl::StatusOr<std::string> ImageManager::GetMetadataItem(const RequestContext& ctx,
                                                          const std::string& id,
                                                          const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image, GetImage(ctx, id));
  auto it = image.properties.find(key);
  if (it == image.properties.end()) {
    return absl::NotFoundError("Metadata item was not found");
  }
  return it->second;
}

absl::Status ImageManager::SetMetadataItem(const RequestContext& ctx, const std::string& id,
                                           const std::string& key, const std::string& value) {
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image, GetImage(ctx, id));
  StringMap after(image.properties.begin(), image.properties.end());
  after[key] = value;
  GUREUM_RETURN_IF_ERROR(CheckQuota(ctx, after));
  return Update(ctx, id, {{key, value}}, {}).status();
}

absl::Status ImageManager::DeleteMetadataItem(const RequestContext& ctx, const std::string& id,
                                              const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(ImageInfo image, GetImage(ctx, id));
  if (image.properties.count(key) == 0) return absl::NotFoundError("Invalid metadata key");
  return Update(ctx, id, {}, {key}).status();
}

}  // namespace gureum::compute
