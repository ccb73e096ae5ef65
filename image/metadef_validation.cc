#include "image/metadef_validation.h"

#include <set>

#include <nlohmann/json.hpp>

#include "common/status/macros.h"

namespace gureum::image {

absl::Status CheckMetadefName(const std::string& what, const std::string& name, size_t max) {
  if (name.empty() || name.size() > max) {
    return absl::InvalidArgumentError("The " + what + " name must be 1 to " + std::to_string(max) +
                                      " characters.");
  }
  if (name.find('/') != std::string::npos) {
    return absl::InvalidArgumentError("The " + what + " name must not contain '/'.");
  }
  return absl::OkStatus();
}

absl::Status CheckMetadefVisibility(const std::string& visibility) {
  if (visibility != kPublic && visibility != kPrivate) {
    return absl::InvalidArgumentError("Invalid visibility '" + visibility +
                                      "': use public or private.");
  }
  return absl::OkStatus();
}

absl::Status CheckPropertyDefinition(const std::string& definition_json) {
  static const std::set<std::string> kTypes = {"array",  "boolean", "integer", "number",
                                               "object", "string",  "null"};
  nlohmann::json def = nlohmann::json::parse(definition_json, nullptr, false);
  if (!def.is_object()) return absl::InvalidArgumentError("A property must be a JSON object.");
  if (!def.contains("title") || !def["title"].is_string()) {
    return absl::InvalidArgumentError("A property needs a 'title' (a string).");
  }
  if (!def.contains("type") || !def["type"].is_string() ||
      kTypes.count(def["type"].get<std::string>()) == 0) {
    return absl::InvalidArgumentError(
        "A property needs a 'type': array, boolean, integer, number, object, string or null.");
  }
  if (def.contains("enum") && !def["enum"].is_array()) {
    return absl::InvalidArgumentError("A property's 'enum' must be a list.");
  }
  return absl::OkStatus();
}

absl::Status CheckMetadefObject(const MetadefObject& object) {
  GUREUM_RETURN_IF_ERROR(CheckMetadefName("object", object.name, kMaxMetadefName));
  nlohmann::json props = nlohmann::json::parse(object.properties_json, nullptr, false);
  if (!props.is_object()) {
    return absl::InvalidArgumentError("An object's 'properties' must be a JSON object.");
  }
  for (const auto& [name, def] : props.items()) {
    GUREUM_RETURN_IF_ERROR(CheckMetadefName("property", name, kMaxMetadefName));
    GUREUM_RETURN_IF_ERROR(CheckPropertyDefinition(def.dump()));
  }
  return absl::OkStatus();
}

}  // namespace gureum::image
