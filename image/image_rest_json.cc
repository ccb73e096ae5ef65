// The JSON of the Glance v2 API: images and members out, create bodies and JSON-patch
// documents in, and the schemas.
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status/macros.h"
#include "image/image_rest.h"

namespace gureum::image {
namespace {

using nlohmann::json;

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// Attributes the server sets; a client may not (Glance answers 403).
const std::set<std::string> kReadOnly = {
    "status",       "size",          "virtual_size", "checksum",
    "os_hash_algo", "os_hash_value", "created_at",   "updated_at",
    "self",         "file",          "schema",       "direct_url",
    "locations",    "owner",         "stores",       "os_glance_import_task"};
// Base attributes with their own fields; the rest are free string properties.
const std::set<std::string> kBase = {"id",       "name",      "disk_format", "container_format",
                                     "min_disk", "min_ram",   "visibility",  "protected",
                                     "tags",     "os_hidden", "owner"};

absl::Status ReadOnly(const std::string& key) {
  return absl::PermissionDeniedError("Attribute '" + key + "' is read-only.");
}

absl::StatusOr<std::string> StringOrEmpty(const json& v, const std::string& key) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return absl::InvalidArgumentError("'" + key + "' must be a string.");
  return v.get<std::string>();
}

absl::StatusOr<int> NonNegativeInt(const json& v, const std::string& key) {
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > INT32_MAX) {
    return absl::InvalidArgumentError("'" + key + "' must be a non-negative integer.");
  }
  return v.get<int>();
}

absl::StatusOr<bool> Bool(const json& v, const std::string& key) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string() && (v == "true" || v == "True")) return true;
  if (v.is_string() && (v == "false" || v == "False")) return false;
  return absl::InvalidArgumentError("'" + key + "' must be true or false.");
}

absl::StatusOr<std::vector<std::string>> Tags(const json& v) {
  if (!v.is_array()) return absl::InvalidArgumentError("'tags' must be a list of strings.");
  std::vector<std::string> out;
  for (const json& t : v) {
    if (!t.is_string()) return absl::InvalidArgumentError("'tags' must be a list of strings.");
    out.push_back(t.get<std::string>());
  }
  return out;
}

json Nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

json ImageJson(const Image& i) {
  json j = {{"id", i.id},
            {"name", Nullable(i.name)},
            {"status", i.status},
            {"visibility", i.visibility},
            {"protected", i.is_protected},
            {"os_hidden", i.os_hidden},
            {"disk_format", Nullable(i.disk_format)},
            {"container_format", Nullable(i.container_format)},
            {"size", i.size ? json(*i.size) : json(nullptr)},
            {"virtual_size", i.virtual_size ? json(*i.virtual_size) : json(nullptr)},
            {"checksum", Nullable(i.checksum)},
            {"os_hash_algo", Nullable(i.os_hash_algo)},
            {"os_hash_value", Nullable(i.os_hash_value)},
            {"min_disk", i.min_disk},
            {"min_ram", i.min_ram},
            {"owner", i.owner},
            {"tags", i.tags},
            {"created_at", Iso(i.created_at)},
            {"updated_at", Iso(i.updated_at)},
            {"self", "/v2/images/" + i.id},
            {"file", "/v2/images/" + i.id + "/file"},
            {"schema", "/v2/schemas/image"}};
  for (const auto& [k, v] : i.properties) {
    if (!j.contains(k)) j[k] = v;
  }
  return j;
}

json MemberJson(const Member& m) {
  return {{"image_id", m.image_id},
          {"member_id", m.member_id},
          {"status", m.status},
          {"created_at", Iso(m.created_at)},
          {"updated_at", Iso(m.updated_at)},
          {"schema", "/v2/schemas/member"}};
}

absl::StatusOr<ImageCreate> ParseCreate(const json& body) {
  if (!body.is_object())
    return absl::InvalidArgumentError("The request body must be a JSON object.");
  ImageCreate c;
  for (const auto& [key, v] : body.items()) {
    if (kReadOnly.count(key) && key != "owner") return ReadOnly(key);
    absl::StatusOr<std::string> s;
    if (key == "id") {
      GUREUM_ASSIGN_OR_RETURN(c.id, StringOrEmpty(v, key));
    } else if (key == "owner") {
      GUREUM_ASSIGN_OR_RETURN(c.owner, StringOrEmpty(v, key));
    } else if (key == "name") {
      GUREUM_ASSIGN_OR_RETURN(c.name, StringOrEmpty(v, key));
    } else if (key == "disk_format") {
      GUREUM_ASSIGN_OR_RETURN(c.disk_format, StringOrEmpty(v, key));
    } else if (key == "container_format") {
      GUREUM_ASSIGN_OR_RETURN(c.container_format, StringOrEmpty(v, key));
    } else if (key == "visibility") {
      GUREUM_ASSIGN_OR_RETURN(c.visibility, StringOrEmpty(v, key));
    } else if (key == "min_disk") {
      GUREUM_ASSIGN_OR_RETURN(c.min_disk, NonNegativeInt(v, key));
    } else if (key == "min_ram") {
      GUREUM_ASSIGN_OR_RETURN(c.min_ram, NonNegativeInt(v, key));
    } else if (key == "protected") {
      GUREUM_ASSIGN_OR_RETURN(c.is_protected, Bool(v, key));
    } else if (key == "os_hidden") {
      GUREUM_ASSIGN_OR_RETURN(c.os_hidden, Bool(v, key));
    } else if (key == "tags") {
      GUREUM_ASSIGN_OR_RETURN(c.tags, Tags(v));
    } else if (v.is_string()) {
      c.properties[key] = v.get<std::string>();
    } else if (!v.is_null()) {
      return absl::InvalidArgumentError("Property '" + key + "' must be a string.");
    }
  }
  if (!c.id.empty()) {
    // Glance requires a UUID.
    bool uuid = c.id.size() == 36;
    for (size_t k = 0; uuid && k < c.id.size(); ++k) {
      char ch = c.id[k];
      uuid = (k == 8 || k == 13 || k == 18 || k == 23) ? ch == '-' : std::isxdigit(ch) != 0;
    }
    if (!uuid) return absl::InvalidArgumentError("'id' must be a UUID.");
  }
  return c;
}

// One operation in the v2.1 form {"op": "replace", "path": "/name", "value": ...}; the v2.0
// media type (application/openstack-images-v2.0-json-patch, which Tempest sends) writes it
// {"replace": "/name", "value": ...}.
absl::StatusOr<json> NormalizePatchOp(const json& op) {
  if (op.is_object() && op.contains("op") && op.contains("path") && op["path"].is_string()) {
    return op;
  }
  if (op.is_object() && !op.contains("op")) {
    for (const char* kind : {"add", "replace", "remove"}) {
      if (!op.contains(kind) || !op[kind].is_string()) continue;
      json out = {{"op", kind}, {"path", op[kind]}};
      if (op.contains("value")) out["value"] = op["value"];
      return out;
    }
  }
  return absl::InvalidArgumentError(
      "Each patch operation needs 'op' and 'path' (or the v2.0 form {\"replace\": path}).");
}

absl::StatusOr<ImageUpdate> ParsePatch(const json& ops, const Image& current) {
  if (!ops.is_array()) {
    return absl::InvalidArgumentError(
        "The body must be a JSON-patch list (application/openstack-images-v2.1-json-patch).");
  }
  ImageUpdate u;
  for (const json& given : ops) {
    GUREUM_ASSIGN_OR_RETURN(json op, NormalizePatchOp(given));
    std::string kind = op["op"].is_string() ? op["op"].get<std::string>() : "";
    std::string path = op["path"].get<std::string>();
    if (!absl::StartsWith(path, "/") || path.size() < 2) {
      return absl::InvalidArgumentError("Invalid patch path '" + path + "'.");
    }
    std::string key = path.substr(1);
    if (absl::StartsWith(key, "tags/")) {
      return absl::InvalidArgumentError("Patch tags as a whole: path /tags.");
    }
    if (kind != "add" && kind != "replace" && kind != "remove") {
      return absl::InvalidArgumentError("Unsupported patch operation '" + kind +
                                        "': use add, replace or remove.");
    }
    if ((kReadOnly.count(key) && key != "owner") || key == "id") return ReadOnly(key);
    if (kind == "remove") {
      if (kBase.count(key)) {
        return absl::PermissionDeniedError("Attribute '" + key + "' cannot be removed.");
      }
      u.set_properties.erase(key);
      u.remove_properties.push_back(key);
      continue;
    }
    if (!op.contains("value"))
      return absl::InvalidArgumentError("Patch " + kind + " needs a value.");
    const json& v = op["value"];
    if (key == "name") {
      GUREUM_ASSIGN_OR_RETURN(u.name, StringOrEmpty(v, key));
    } else if (key == "owner") {
      GUREUM_ASSIGN_OR_RETURN(u.owner, StringOrEmpty(v, key));
    } else if (key == "disk_format") {
      GUREUM_ASSIGN_OR_RETURN(u.disk_format, StringOrEmpty(v, key));
    } else if (key == "container_format") {
      GUREUM_ASSIGN_OR_RETURN(u.container_format, StringOrEmpty(v, key));
    } else if (key == "visibility") {
      GUREUM_ASSIGN_OR_RETURN(u.visibility, StringOrEmpty(v, key));
    } else if (key == "min_disk") {
      GUREUM_ASSIGN_OR_RETURN(u.min_disk, NonNegativeInt(v, key));
    } else if (key == "min_ram") {
      GUREUM_ASSIGN_OR_RETURN(u.min_ram, NonNegativeInt(v, key));
    } else if (key == "protected") {
      GUREUM_ASSIGN_OR_RETURN(u.is_protected, Bool(v, key));
    } else if (key == "os_hidden") {
      GUREUM_ASSIGN_OR_RETURN(u.os_hidden, Bool(v, key));
    } else if (key == "tags") {
      GUREUM_ASSIGN_OR_RETURN(u.tags, Tags(v));
    } else if (v.is_string()) {
      if (kind == "replace" && !current.properties.count(key) && !u.set_properties.count(key)) {
        return absl::FailedPreconditionError("Property " + key + " does not exist.");
      }
      u.set_properties[key] = v.get<std::string>();
    } else {
      return absl::InvalidArgumentError("Property '" + key + "' must be a string.");
    }
  }
  return u;
}

// Longer than 80 lines on purpose: it is Glance's image schema document, data written out
// as the clients read it, one property a line; split up it would only be harder to compare.
json ImageSchema() {
  auto str = [](const char* d) { return json{{"type", "string"}, {"description", d}}; };
  auto nstr = [](const char* d) {
    return json{{"type", json::array({"null", "string"})}, {"description", d}};
  };
  json props = {
      {"id",
       {{"type", "string"},
        {"description", "An identifier for the image"},
        {"pattern",
         "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}"
         "$"}}},
      {"name", nstr("Descriptive name for the image")},
      {"status",
       {{"type", "string"},
        {"readOnly", true},
        {"description", "Status of the image"},
        {"enum",
         {"queued", "saving", "active", "killed", "deleted", "uploading", "importing",
          "pending_delete", "deactivated"}}}},
      {"visibility",
       {{"type", "string"},
        {"enum", {"community", "public", "private", "shared"}},
        {"description", "Scope of image accessibility"}}},
      {"protected",
       {{"type", "boolean"}, {"description", "If true, image will not be deletable."}}},
      {"os_hidden",
       {{"type", "boolean"},
        {"description", "If true, image will not appear in default image list response."}}},
      {"checksum",
       {{"type", json::array({"null", "string"})},
        {"readOnly", true},
        {"maxLength", 32},
        {"description", "md5 hash of image contents."}}},
      {"os_hash_algo",
       {{"type", json::array({"null", "string"})},
        {"readOnly", true},
        {"maxLength", 64},
        {"description", "Algorithm to calculate the os_hash_value"}}},
      {"os_hash_value",
       {{"type", json::array({"null", "string"})},
        {"readOnly", true},
        {"maxLength", 128},
        {"description",
         "Hexdigest of the image contents using the algorithm specified by the os_hash_algo"}}},
      {"owner",
       {{"type", json::array({"null", "string"})},
        {"description", "Owner of the image"},
        {"maxLength", 255}}},
      {"size",
       {{"type", json::array({"null", "integer"})},
        {"readOnly", true},
        {"description", "Size of image file in bytes"}}},
      {"virtual_size",
       {{"type", json::array({"null", "integer"})},
        {"readOnly", true},
        {"description", "Virtual size of image in bytes"}}},
      {"container_format",
       {{"type", json::array({"null", "string"})},
        {"description", "Format of the container"},
        {"enum", {nullptr, "ami", "ari", "aki", "bare", "ovf"}}}},
      {"disk_format",
       {{"type", json::array({"null", "string"})},
        {"description", "Format of the disk"},
        {"enum", {nullptr, "ami", "ari", "aki", "vdi", "iso", "qcow2", "raw", "vmdk"}}}},
      {"created_at",
       {{"type", "string"},
        {"readOnly", true},
        {"description", "Date and time of image registration"}}},
      {"updated_at",
       {{"type", "string"},
        {"readOnly", true},
        {"description", "Date and time of the last image modification"}}},
      {"tags",
       {{"type", "array"},
        {"description", "List of strings related to the image"},
        {"items", {{"type", "string"}, {"maxLength", 255}}}}},
      {"direct_url",
       {{"type", "string"},
        {"readOnly", true},
        {"description", "URL to access the image file kept in external store"}}},
      {"min_ram",
       {{"type", "integer"}, {"description", "Amount of ram (in MB) required to boot image."}}},
      {"min_disk",
       {{"type", "integer"},
        {"description", "Amount of disk space (in GB) required to boot image."}}},
      {"self", {{"type", "string"}, {"readOnly", true}, {"description", "An image self url"}}},
      {"file", {{"type", "string"}, {"readOnly", true}, {"description", "An image file url"}}},
      {"schema", {{"type", "string"}, {"readOnly", true}, {"description", "An image schema url"}}},
      {"locations",
       {{"type", "array"},
        {"description", "A set of URLs to access the image file kept in external store"},
        {"items", {{"type", "object"}}}}},
      {"kernel_id",
       {{"type", json::array({"null", "string"})},
        {"description",
         "ID of image stored in Glance that should be used as the kernel when booting an AMI-style "
         "image."}}},
      {"ramdisk_id",
       {{"type", json::array({"null", "string"})},
        {"description",
         "ID of image stored in Glance that should be used as the ramdisk when booting an "
         "AMI-style image."}}},
      {"architecture",
       str("Operating system architecture as specified in "
           "https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html")},
      {"os_distro",
       str("Common name of operating system distribution as specified in "
           "https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html")},
      {"os_version", str("Operating system version as specified by the distributor.")},
      {"instance_uuid",
       str("Metadata which can be used to record which instance this image is associated with. "
           "(Informational only, does not create an instance snapshot.)")},
  };
  return {{"name", "image"},
          {"properties", props},
          {"additionalProperties", {{"type", "string"}}},
          {"links", json::array({{{"rel", "self"}, {"href", "{self}"}},
                                 {{"rel", "enclosure"}, {"href", "{file}"}},
                                 {{"rel", "describedby"}, {"href", "{schema}"}}})}};
}

json ImagesSchema() {
  return {{"name", "images"},
          {"properties",
           {{"images", {{"type", "array"}, {"items", ImageSchema()}}},
            {"schema", {{"type", "string"}}},
            {"first", {{"type", "string"}}},
            {"next", {{"type", "string"}}}}},
          {"links", json::array({{{"rel", "first"}, {"href", "{first}"}},
                                 {{"rel", "next"}, {"href", "{next}"}},
                                 {{"rel", "describedby"}, {"href", "{schema}"}}})}};
}

json MemberSchema() {
  return {
      {"name", "member"},
      {"properties",
       {{"created_at",
         {{"type", "string"}, {"description", "Date and time of image member creation"}}},
        {"image_id", {{"type", "string"}, {"description", "An identifier for the image"}}},
        {"member_id",
         {{"type", "string"}, {"description", "An identifier for the image member (tenantId)"}}},
        {"status",
         {{"type", "string"},
          {"enum", {"pending", "accepted", "rejected"}},
          {"description", "The status of this image member"}}},
        {"updated_at",
         {{"type", "string"},
          {"description", "Date and time of last modification of image member"}}},
        {"schema", {{"type", "string"}, {"readOnly", true}}}}}};
}

json MembersSchema() {
  return {{"name", "members"},
          {"properties",
           {{"members", {{"type", "array"}, {"items", MemberSchema()}}},
            {"schema", {{"type", "string"}}}}},
          {"links", json::array({{{"rel", "describedby"}, {"href", "{schema}"}}})}};
}

}  // namespace gureum::image
