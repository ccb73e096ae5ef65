// Glance's metadefs JSON: records to and from the API's shapes, and the schema documents.
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "image/metadef_rest.h"

namespace gureum::image {
namespace {

using nlohmann::json;

std::string MetadefTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<std::string> MetadefString(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::string();
  if (!body[key].is_string())
    return absl::InvalidArgumentError(absl::StrCat("'", key, "' must be a string."));
  return body[key].get<std::string>();
}

absl::StatusOr<std::vector<std::string>> StringList(const json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  if (!body[key].is_array())
    return absl::InvalidArgumentError(absl::StrCat("'", key, "' must be a list of strings."));
  for (const json& v : body[key]) {
    if (!v.is_string())
      return absl::InvalidArgumentError(absl::StrCat("'", key, "' must be a list of strings."));
    out.push_back(v.get<std::string>());
  }
  return out;
}

json Schema(const std::string& name, json properties, std::vector<std::string> required = {}) {
  json out = {
      {"name", name}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = required;
  return out;
}

json Str(const char* description) { return {{"type", "string"}, {"description", description}}; }
json When(const char* what) {
  return {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}, {"description", what}};
}

json PropertySchemaProperties() {
  return {{"name", Str("The property's name")},
          {"title", Str("A title for the property")},
          {"description", Str("What the property is for")},
          {"type",
           {{"type", "string"},
            {"enum", {"array", "boolean", "integer", "number", "object", "string", "null"}}}},
          {"enum", {{"type", "array"}}},
          {"default", json::object()},
          {"readonly", {{"type", "boolean"}}},
          {"minimum", {{"type", "number"}}},
          {"maximum", {{"type", "number"}}},
          {"minLength", {{"type", "integer"}, {"minimum", 0}}},
          {"maxLength", {{"type", "integer"}, {"minimum", 0}}},
          {"pattern", {{"type", "string"}, {"format", "regex"}}},
          {"items", {{"type", "object"}}},
          {"operators", {{"type", "array"}, {"items", {{"type", "string"}}}}}};
}

json AssociationSchemaProperties() {
  return {{"name", Str("Resource type names should be aligned with Heat resource types")},
          {"prefix", Str("Prefix for the namespace's properties on this resource type")},
          {"properties_target", Str("Where the properties go on this resource type")},
          {"created_at", When("Date and time of resource type association")},
          {"updated_at", When("Date and time of the last resource type association modification")}};
}

json NamespaceSchemaProperties() {
  return {{"namespace",
           {{"type", "string"}, {"maxLength", 80}, {"description", "The unique namespace text."}}},
          {"display_name", Str("The user friendly name for the namespace.")},
          {"description", Str("Provides a user friendly description of the namespace.")},
          {"visibility", {{"type", "string"}, {"enum", {"public", "private"}}}},
          {"protected",
           {{"type", "boolean"}, {"description", "If true, namespace will not be deletable."}}},
          {"owner", Str("Owner of the namespace.")},
          {"created_at", When("Date and time of namespace creation")},
          {"updated_at", When("Date and time of the last namespace modification")},
          {"schema", {{"type", "string"}, {"readOnly", true}}},
          {"self", {{"type", "string"}, {"readOnly", true}}},
          {"resource_type_associations",
           {{"type", "array"},
            {"items", {{"type", "object"}, {"properties", AssociationSchemaProperties()}}}}},
          {"properties", {{"type", "object"}}},
          {"objects", {{"type", "array"}}},
          {"tags", {{"type", "array"}}}};
}

json ObjectSchemaProperties() {
  return {{"name", {{"type", "string"}, {"maxLength", 255}}},
          {"description", Str("What the object is for")},
          {"required", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"properties", {{"type", "object"}}},
          {"schema", {{"type", "string"}, {"readOnly", true}}},
          {"self", {{"type", "string"}, {"readOnly", true}}},
          {"created_at", When("Date and time of object creation")},
          {"updated_at", When("Date and time of the last object modification")}};
}

json TagSchemaProperties() {
  return {{"name", {{"type", "string"}, {"maxLength", 255}}},
          {"created_at", When("Date and time of tag creation")},
          {"updated_at", When("Date and time of the last tag modification")}};
}

json Collection(const std::string& name, const std::string& key, json item) {
  return {{"name", name},
          {"properties",
           {{key, {{"type", "array"}, {"items", std::move(item)}}},
            {"first", {{"type", "string"}}},
            {"next", {{"type", "string"}}},
            {"schema", {{"type", "string"}}}}},
          {"links", json::array({{{"rel", "first"}, {"href", "{first}"}},
                                 {{"rel", "next"}, {"href", "{next}"}},
                                 {{"rel", "describedby"}, {"href", "{schema}"}}})}};
}

}  // namespace

json AssociationJson(const ResourceTypeAssociation& r) {
  json out = {{"name", r.name},
              {"created_at", MetadefTime(r.created_at)},
              {"updated_at", MetadefTime(r.updated_at)}};
  if (!r.prefix.empty()) out["prefix"] = r.prefix;
  if (!r.properties_target.empty()) out["properties_target"] = r.properties_target;
  return out;
}

json TagJson(const MetadefTag& t) {
  return {{"name", t.name},
          {"created_at", MetadefTime(t.created_at)},
          {"updated_at", MetadefTime(t.updated_at)}};
}

json PropertyJson(const std::string& name, const std::string& definition) {
  json out = json::parse(definition, nullptr, false);
  if (!out.is_object()) out = json::object();
  out["name"] = name;
  return out;
}

json ObjectJson(const std::string& ns, const MetadefObject& o) {
  json props = json::parse(o.properties_json, nullptr, false);
  json out = {{"name", o.name},
              {"required", o.required},
              {"properties", props.is_object() ? props : json::object()},
              {"schema", "/v2/schemas/metadefs/object"},
              {"self", "/v2/metadefs/namespaces/" + ns + "/objects/" + o.name},
              {"created_at", MetadefTime(o.created_at)},
              {"updated_at", MetadefTime(o.updated_at)}};
  if (!o.description.empty()) out["description"] = o.description;
  return out;
}

json NamespaceJson(const MetadefNamespace& ns, bool with_contents) {
  json out = {{"namespace", ns.name},
              {"visibility", ns.visibility},
              {"protected", ns.is_protected},
              {"owner", ns.owner},
              {"schema", "/v2/schemas/metadefs/namespace"},
              {"self", "/v2/metadefs/namespaces/" + ns.name},
              {"created_at", MetadefTime(ns.created_at)},
              {"updated_at", MetadefTime(ns.updated_at)}};
  if (!ns.display_name.empty()) out["display_name"] = ns.display_name;
  if (!ns.description.empty()) out["description"] = ns.description;
  if (!ns.resource_types.empty()) {
    json rts = json::array();
    for (const ResourceTypeAssociation& r : ns.resource_types) rts.push_back(AssociationJson(r));
    out["resource_type_associations"] = rts;
  }
  if (!with_contents) return out;
  if (!ns.properties.empty()) {
    json props = json::object();
    for (const auto& [name, def] : ns.properties) {
      props[name] = PropertyJson(name, def);
      props[name].erase("name");
    }
    out["properties"] = props;
  }
  if (!ns.objects.empty()) {
    json objects = json::array();
    for (const MetadefObject& o : ns.objects) objects.push_back(ObjectJson(ns.name, o));
    out["objects"] = objects;
  }
  if (!ns.tags.empty()) {
    json tags = json::array();
    for (const MetadefTag& t : ns.tags) tags.push_back({{"name", t.name}});
    out["tags"] = tags;
  }
  return out;
}

absl::StatusOr<std::string> PropertyDefinition(const json& body) {
  if (!body.is_object()) return absl::InvalidArgumentError("A property must be a JSON object.");
  json def = body;
  def.erase("name");
  return def.dump();
}

absl::StatusOr<MetadefObject> ParseObject(const json& body) {
  if (!body.is_object()) return absl::InvalidArgumentError("An object must be a JSON object.");
  MetadefObject o;
  GUREUM_ASSIGN_OR_RETURN(o.name, MetadefString(body, "name"));
  GUREUM_ASSIGN_OR_RETURN(o.description, MetadefString(body, "description"));
  GUREUM_ASSIGN_OR_RETURN(o.required, StringList(body, "required"));
  if (body.contains("properties") && !body["properties"].is_null()) {
    if (!body["properties"].is_object()) {
      return absl::InvalidArgumentError("An object's 'properties' must be a JSON object.");
    }
    o.properties_json = body["properties"].dump();
  }
  return o;
}

absl::StatusOr<MetadefNamespace> ParseNamespace(const json& body) {
  if (!body.is_object()) return absl::InvalidArgumentError("A namespace must be a JSON object.");
  MetadefNamespace ns;
  GUREUM_ASSIGN_OR_RETURN(ns.name, MetadefString(body, "namespace"));
  GUREUM_ASSIGN_OR_RETURN(ns.display_name, MetadefString(body, "display_name"));
  GUREUM_ASSIGN_OR_RETURN(ns.description, MetadefString(body, "description"));
  GUREUM_ASSIGN_OR_RETURN(std::string visibility, MetadefString(body, "visibility"));
  if (!visibility.empty()) ns.visibility = visibility;
  GUREUM_ASSIGN_OR_RETURN(ns.owner, MetadefString(body, "owner"));
  if (body.contains("protected") && !body["protected"].is_null()) {
    if (!body["protected"].is_boolean())
      return absl::InvalidArgumentError("'protected' must be true or false.");
    ns.is_protected = body["protected"].get<bool>();
  }
  for (const json& r : body.value("resource_type_associations", json::array())) {
    if (!r.is_object())
      return absl::InvalidArgumentError("A resource type association must be a JSON object.");
    ResourceTypeAssociation a;
    GUREUM_ASSIGN_OR_RETURN(a.name, MetadefString(r, "name"));
    GUREUM_ASSIGN_OR_RETURN(a.prefix, MetadefString(r, "prefix"));
    GUREUM_ASSIGN_OR_RETURN(a.properties_target, MetadefString(r, "properties_target"));
    ns.resource_types.push_back(a);
  }
  for (const auto& [name, def] : body.value("properties", json::object()).items()) {
    GUREUM_ASSIGN_OR_RETURN(ns.properties[name], PropertyDefinition(def));
  }
  for (const json& o : body.value("objects", json::array())) {
    GUREUM_ASSIGN_OR_RETURN(MetadefObject object, ParseObject(o));
    ns.objects.push_back(object);
  }
  for (const json& t : body.value("tags", json::array())) {
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
      return absl::InvalidArgumentError("A tag must be {\"name\": ...}.");
    ns.tags.push_back({t["name"].get<std::string>(), {}, {}});
  }
  return ns;
}

absl::StatusOr<json> MetadefSchema(const std::string& which) {
  json association = {{"type", "object"}, {"properties", AssociationSchemaProperties()}};
  static const std::map<std::string, int> kKnown = {
      {"namespace", 0}, {"namespaces", 1}, {"resource_type", 2}, {"resource_types", 3},
      {"object", 4},    {"objects", 5},    {"property", 6},      {"properties", 7},
      {"tag", 8},       {"tags", 9}};
  auto it = kKnown.find(which);
  if (it == kKnown.end()) return absl::NotFoundError("No schema " + which + ".");
  switch (it->second) {
    case 0:
      return Schema("namespace", NamespaceSchemaProperties(), {"namespace"});
    case 1:
      return Collection("namespaces", "namespaces",
                        {{"type", "object"}, {"properties", NamespaceSchemaProperties()}});
    case 2:
      return Schema("resource_type_association", AssociationSchemaProperties(), {"name"});
    case 3:
      return Collection("resource_type_associations", "resource_type_associations", association);
    case 4:
      return Schema("object", ObjectSchemaProperties(), {"name"});
    case 5:
      return Collection("objects", "objects",
                        {{"type", "object"}, {"properties", ObjectSchemaProperties()}});
    case 6:
      return Schema("property", PropertySchemaProperties(), {"name", "title", "type"});
    case 7:
      return json{{"name", "properties"},
                  {"properties",
                   {{"properties",
                     {{"type", "object"},
                      {"additionalProperties",
                       {{"type", "object"}, {"properties", PropertySchemaProperties()}}}}},
                    {"schema", {{"type", "string"}}}}}};
    case 8:
      return Schema("tag", TagSchemaProperties(), {"name"});
    default:
      return Collection("tags", "tags",
                        {{"type", "object"}, {"properties", TagSchemaProperties()}});
  }
}

}  // namespace gureum::image
