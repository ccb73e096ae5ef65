// Glance's metadefs REST handlers: decode, call MetadefManager, encode.
#include "image/metadef_rest.h"

#include "absl/strings/str_split.h"
#include "common/status/macros.h"

namespace gureum::image {
namespace {

using nlohmann::json;

absl::StatusOr<json> MetadefBody(const http::Request& req) {
  json body = json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return absl::InvalidArgumentError("The request body is not valid JSON.");
  return body;
}

absl::StatusOr<std::string> RequiredName(const json& body, const char* key) {
  if (!body.is_object() || !body.contains(key) || !body[key].is_string()) {
    return absl::InvalidArgumentError(std::string("'") + key + "' is required (a string).");
  }
  return body[key].get<std::string>();
}

}  // namespace

void MetadefRest::Register(http::Server& s) {
  http::RestApi api(s, {.base_url = options_.public_url,
                        .verify = authenticate_,
                        .auth_required_message =
                            "This server could not verify that you are authorized to access the "
                            "document you requested."});
  auto route = [&](const char* method, const std::string& pattern,
                   absl::Status (MetadefRest::*handler)(http::RestCall&)) {
    api.Authed(method, pattern,
               [this, handler](http::RestCall& call) { return (this->*handler)(call); });
  };
  const std::string ns = "/v2/metadefs/namespaces/{namespace}";
  route("GET", "/v2/metadefs/resource_types", &MetadefRest::ListResourceTypes);
  route("POST", "/v2/metadefs/namespaces", &MetadefRest::CreateNamespace);
  route("GET", "/v2/metadefs/namespaces", &MetadefRest::ListNamespaces);
  route("GET", ns, &MetadefRest::ShowNamespace);
  route("PUT", ns, &MetadefRest::UpdateNamespace);
  route("DELETE", ns, &MetadefRest::DeleteNamespace);
  route("POST", ns + "/resource_types", &MetadefRest::Associate);
  route("GET", ns + "/resource_types", &MetadefRest::ListAssociations);
  route("DELETE", ns + "/resource_types/{resource_type}", &MetadefRest::Dissociate);
  route("POST", ns + "/objects", &MetadefRest::CreateObject);
  route("GET", ns + "/objects", &MetadefRest::ListObjects);
  route("DELETE", ns + "/objects", &MetadefRest::DeleteObjects);
  route("GET", ns + "/objects/{object}", &MetadefRest::ShowObject);
  route("PUT", ns + "/objects/{object}", &MetadefRest::UpdateObject);
  route("DELETE", ns + "/objects/{object}", &MetadefRest::DeleteObject);
  route("POST", ns + "/properties", &MetadefRest::CreateProperty);
  route("GET", ns + "/properties", &MetadefRest::ListProperties);
  route("DELETE", ns + "/properties", &MetadefRest::DeleteProperties);
  route("GET", ns + "/properties/{property}", &MetadefRest::ShowProperty);
  route("PUT", ns + "/properties/{property}", &MetadefRest::UpdateProperty);
  route("DELETE", ns + "/properties/{property}", &MetadefRest::DeleteProperty);
  route("POST", ns + "/tags", &MetadefRest::CreateTags);
  route("GET", ns + "/tags", &MetadefRest::ListTags);
  route("DELETE", ns + "/tags", &MetadefRest::DeleteTags);
  route("POST", ns + "/tags/{tag}", &MetadefRest::CreateTag);
  route("GET", ns + "/tags/{tag}", &MetadefRest::ShowTag);
  route("PUT", ns + "/tags/{tag}", &MetadefRest::UpdateTag);
  route("DELETE", ns + "/tags/{tag}", &MetadefRest::DeleteTag);
  api.Public("GET", "/v2/schemas/metadefs/{which}", [](http::Request& req, http::Response& r) {
    GUREUM_ASSIGN_OR_RETURN(json doc, MetadefSchema(req.PathParam("which")));
    r.Json(200, doc);
    return absl::OkStatus();
  });
}

absl::Status MetadefRest::ListResourceTypes(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<ResourceType> types, manager_.ListResourceTypes(call.caller));
  json list = json::array();
  for (const ResourceType& t : types) {
    list.push_back(
        {{"name", t.name},
         {"created_at", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t.created_at, absl::UTCTimeZone())},
         {"updated_at",
          absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t.updated_at, absl::UTCTimeZone())}});
  }
  call.res.Json(200, {{"resource_types", list}});
  return absl::OkStatus();
}

absl::Status MetadefRest::CreateNamespace(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns, ParseNamespace(body));
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace made, manager_.CreateNamespace(call.caller, ns));
  call.res.Json(201, NamespaceJson(made, /*with_contents=*/true));
  return absl::OkStatus();
}

absl::Status MetadefRest::ListNamespaces(http::RestCall& call) {
  MetadefNamespaceFilter f;
  if (auto v = call.req.Query("visibility")) f.visibility = *v;
  if (auto v = call.req.Query("resource_types")) {
    f.resource_types = absl::StrSplit(*v, ',', absl::SkipEmpty());
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<MetadefNamespace> all,
                          manager_.ListNamespaces(call.caller, f));
  json list = json::array();
  for (const MetadefNamespace& ns : all) list.push_back(NamespaceJson(ns, /*with_contents=*/false));
  call.res.Json(200, {{"namespaces", list},
                      {"first", "/v2/metadefs/namespaces"},
                      {"schema", "/v2/schemas/metadefs/namespaces"}});
  return absl::OkStatus();
}

absl::Status MetadefRest::ShowNamespace(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.GetNamespace(call.caller, call.Param("namespace")));
  call.res.Json(200, NamespaceJson(ns, /*with_contents=*/true));
  return absl::OkStatus();
}

absl::Status MetadefRest::UpdateNamespace(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace parsed, ParseNamespace(body));
  MetadefNamespaceUpdate u{.name = parsed.name.empty() ? call.Param("namespace") : parsed.name,
                           .display_name = parsed.display_name,
                           .description = parsed.description,
                           .visibility = body.contains("visibility") ? parsed.visibility : "",
                           .is_protected = std::nullopt};
  if (body.contains("protected")) u.is_protected = parsed.is_protected;
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.UpdateNamespace(call.caller, call.Param("namespace"), u));
  call.res.Json(200, NamespaceJson(ns, /*with_contents=*/false));
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteNamespace(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.DeleteNamespace(call.caller, call.Param("namespace")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::Associate(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace parsed,
                          ParseNamespace({{"resource_type_associations", json::array({body})}}));
  GUREUM_ASSIGN_OR_RETURN(
      ResourceTypeAssociation made,
      manager_.Associate(call.caller, call.Param("namespace"), parsed.resource_types.at(0)));
  call.res.Json(201, AssociationJson(made));
  return absl::OkStatus();
}

absl::Status MetadefRest::ListAssociations(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.GetNamespace(call.caller, call.Param("namespace")));
  json list = json::array();
  for (const ResourceTypeAssociation& r : ns.resource_types) list.push_back(AssociationJson(r));
  call.res.Json(200, {{"resource_type_associations", list}});
  return absl::OkStatus();
}

absl::Status MetadefRest::Dissociate(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(
      manager_.Dissociate(call.caller, call.Param("namespace"), call.Param("resource_type")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::CreateObject(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(MetadefObject o, ParseObject(body));
  GUREUM_ASSIGN_OR_RETURN(MetadefObject made,
                          manager_.CreateObject(call.caller, call.Param("namespace"), o));
  call.res.Json(201, ObjectJson(call.Param("namespace"), made));
  return absl::OkStatus();
}

absl::Status MetadefRest::ListObjects(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.GetNamespace(call.caller, call.Param("namespace")));
  json list = json::array();
  for (const MetadefObject& o : ns.objects) list.push_back(ObjectJson(ns.name, o));
  call.res.Json(200, {{"objects", list}, {"schema", "/v2/schemas/metadefs/objects"}});
  return absl::OkStatus();
}

absl::Status MetadefRest::ShowObject(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefObject o, manager_.GetObject(call.caller, call.Param("namespace"),
                                                              call.Param("object")));
  call.res.Json(200, ObjectJson(call.Param("namespace"), o));
  return absl::OkStatus();
}

absl::Status MetadefRest::UpdateObject(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(MetadefObject o, ParseObject(body));
  if (o.name.empty()) o.name = call.Param("object");
  GUREUM_ASSIGN_OR_RETURN(
      MetadefObject made,
      manager_.UpdateObject(call.caller, call.Param("namespace"), call.Param("object"), o));
  call.res.Json(200, ObjectJson(call.Param("namespace"), made));
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteObject(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(
      manager_.DeleteObject(call.caller, call.Param("namespace"), call.Param("object")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteObjects(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.DeleteAllObjects(call.caller, call.Param("namespace")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::CreateProperty(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(std::string name, RequiredName(body, "name"));
  GUREUM_ASSIGN_OR_RETURN(std::string def, PropertyDefinition(body));
  GUREUM_ASSIGN_OR_RETURN(std::string made,
                          manager_.CreateProperty(call.caller, call.Param("namespace"), name, def));
  call.res.Json(201, PropertyJson(name, made));
  return absl::OkStatus();
}

absl::Status MetadefRest::ListProperties(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.GetNamespace(call.caller, call.Param("namespace")));
  json props = json::object();
  for (const auto& [name, def] : ns.properties) props[name] = PropertyJson(name, def);
  call.res.Json(200, {{"properties", props}});
  return absl::OkStatus();
}

absl::Status MetadefRest::ShowProperty(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(
      std::string def,
      manager_.GetProperty(call.caller, call.Param("namespace"), call.Param("property")));
  call.res.Json(200, PropertyJson(call.Param("property"), def));
  return absl::OkStatus();
}

absl::Status MetadefRest::UpdateProperty(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  std::string name = call.Param("property");
  if (body.is_object() && body.contains("name")) {
    GUREUM_ASSIGN_OR_RETURN(name, RequiredName(body, "name"));
  }
  GUREUM_ASSIGN_OR_RETURN(std::string def, PropertyDefinition(body));
  GUREUM_ASSIGN_OR_RETURN(std::string made,
                          manager_.UpdateProperty(call.caller, call.Param("namespace"),
                                                  call.Param("property"), name, def));
  call.res.Json(200, PropertyJson(name, made));
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteProperty(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(
      manager_.DeleteProperty(call.caller, call.Param("namespace"), call.Param("property")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteProperties(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.DeleteAllProperties(call.caller, call.Param("namespace")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::CreateTag(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(
      MetadefTag t, manager_.CreateTag(call.caller, call.Param("namespace"), call.Param("tag")));
  call.res.Json(201, TagJson(t));
  return absl::OkStatus();
}

absl::Status MetadefRest::CreateTags(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  if (!body.is_object() || !body.contains("tags") || !body["tags"].is_array()) {
    return absl::InvalidArgumentError("The body must be {\"tags\": [{\"name\": ...}, ...]}.");
  }
  std::vector<std::string> names;
  for (const json& t : body["tags"]) {
    GUREUM_ASSIGN_OR_RETURN(std::string name, RequiredName(t, "name"));
    names.push_back(name);
  }
  // Glance: X-Openstack-Append: true adds to the tags instead of replacing them.
  const bool append = call.req.Header("X-Openstack-Append") == "true" ||
                      call.req.Header("X-Openstack-Append") == "True";
  GUREUM_ASSIGN_OR_RETURN(std::vector<MetadefTag> made,
                          manager_.CreateTags(call.caller, call.Param("namespace"), names, append));
  json list = json::array();
  for (const MetadefTag& t : made) list.push_back({{"name", t.name}});
  call.res.Json(201, {{"tags", list}});
  return absl::OkStatus();
}

absl::Status MetadefRest::ListTags(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefNamespace ns,
                          manager_.GetNamespace(call.caller, call.Param("namespace")));
  json list = json::array();
  for (const MetadefTag& t : ns.tags) list.push_back(TagJson(t));
  call.res.Json(200, {{"tags", list}});
  return absl::OkStatus();
}

absl::Status MetadefRest::ShowTag(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(MetadefTag t,
                          manager_.GetTag(call.caller, call.Param("namespace"), call.Param("tag")));
  call.res.Json(200, TagJson(t));
  return absl::OkStatus();
}

absl::Status MetadefRest::UpdateTag(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, MetadefBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(std::string name, RequiredName(body, "name"));
  GUREUM_ASSIGN_OR_RETURN(MetadefTag t, manager_.UpdateTag(call.caller, call.Param("namespace"),
                                                           call.Param("tag"), name));
  call.res.Json(200, TagJson(t));
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteTag(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(
      manager_.DeleteTag(call.caller, call.Param("namespace"), call.Param("tag")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status MetadefRest::DeleteTags(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.DeleteAllTags(call.caller, call.Param("namespace")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace gureum::image
