// The checks of metadata definitions (metadef_manager.h): names, visibility, objects and
// property definitions, each InvalidArgument with a message naming what is wrong.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "image/model.h"

namespace gureum::image {

inline constexpr size_t kMaxNamespaceName = 80;
inline constexpr size_t kMaxMetadefName = 255;

// 1..max characters, no '/' (names are path segments of the API).
absl::Status CheckMetadefName(const std::string& what, const std::string& name, size_t max);
absl::Status CheckMetadefVisibility(const std::string& visibility);
// A JSON object with a string `title` and a JSON-schema `type`.
absl::Status CheckPropertyDefinition(const std::string& definition_json);
// Its name, and its properties: a JSON object of property definitions.
absl::Status CheckMetadefObject(const MetadefObject& object);

}  // namespace gureum::image
