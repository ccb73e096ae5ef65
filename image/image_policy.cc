#include "image/image_policy.h"

namespace gureum::image {

std::vector<policy::Rule> ImagePolicyDefaults() {
  std::vector<policy::Rule> rules = policy::BaseRules();
  auto add = [&rules](const char* name, const char* check, const char* description) {
    rules.push_back({name, check, description});
  };
  // A cloud admin (common/policy), not the admin role on any project.
  add("image_admin", "rule:cloud_admin", "Sees and manages every image");
  add("image_service", "rule:image_admin or role:service",
      "Gets and downloads any image (compute agents)");
  // Reads need a role on the caller's project, as in every other service: a token
  // scoped to a project with no role (or only unrelated ones) reads nothing, not even
  // public images (issue 16, hole 4).
  add("image_reader", "rule:image_service or role:reader or role:member",
      "Has a role on the token's project, or sees everything");
  add("image:get_image", "rule:image_reader", "Show an image, its tags and members");
  add("image:get_images", "rule:image_reader", "List images");
  add("image:download_image", "rule:image_reader", "Download an image's data");
  add("image_owner_member",
      "rule:image_admin or (role:member and project_id:%(target.project_id)s)",
      "An admin, or a member (not a reader) of the image's project");
  add("image:add_image", "rule:image_admin or role:member", "Create an image in one's project");
  add("image:modify_image", "rule:image_owner_member", "Update or tag an image");
  // The service role may upload into any project's image, and only into a queued one
  // (BeginUpload refuses every other status): the volume agents upload a volume into the
  // image its owner created (Cinder's os-volume_upload_image). It gives no other right.
  add("image:upload_image", "rule:image_owner_member or role:service",
      "Upload data into a queued image");
  add("image:delete_image", "rule:image_owner_member", "Delete an image");
  add("image:publicize_image", "rule:image_admin", "Make an image public");
  add("image:communitize_image", "rule:image_owner_member", "Make an image community");
  // Glance's default since Xena: the image's project members too (ADMIN_OR_PROJECT_MEMBER).
  add("image:deactivate", "rule:image_owner_member", "Deactivate or reactivate an image");
  add("image:add_member", "rule:image_owner_member", "Share an image with a project");
  add("image:delete_member", "rule:image_owner_member", "Stop sharing an image");
  add("image:modify_member",
      "rule:image_admin or (role:member and project_id:%(target.member_id)s)",
      "Accept or reject an image shared with one's project");
  // Metadata definitions (Glance's metadefs): anyone with a role reads the public ones
  // (and their project's), only admins change them.
  add("image:get_metadef", "rule:image_reader", "Read metadata definitions");
  add("image:modify_metadef", "rule:image_admin", "Create, change or delete metadata definitions");
  return rules;
}

}  // namespace gureum::image
