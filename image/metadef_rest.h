// Glance's metadata definitions REST API (/v2/metadefs/..., on the image API's port) over
// MetadefManager: namespaces, their objects, properties, tags and resource type
// associations, the resource types, and the metadefs schemas (/v2/schemas/metadefs/...).
// Shapes follow Glance's API reference, so that Tempest and the clients work unchanged.
//
//   MetadefRest metadefs(manager, authenticate, {.public_url = ...});
//   metadefs.Register(server);  // beside ImageRest, before the server starts
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/http/rest.h"
#include "common/http/server.h"
#include "image/image_rest.h"
#include "image/metadef_manager.h"

namespace gureum::image {

class MetadefRest {
 public:
  MetadefRest(MetadefManager& manager, Authenticate authenticate, ImageRestOptions options)
      : manager_(manager), authenticate_(std::move(authenticate)), options_(std::move(options)) {}

  void Register(http::Server& server);

 private:
  absl::Status ListResourceTypes(http::RestCall& call);
  absl::Status CreateNamespace(http::RestCall& call);
  absl::Status ListNamespaces(http::RestCall& call);
  absl::Status ShowNamespace(http::RestCall& call);
  absl::Status UpdateNamespace(http::RestCall& call);
  absl::Status DeleteNamespace(http::RestCall& call);
  absl::Status Associate(http::RestCall& call);
  absl::Status ListAssociations(http::RestCall& call);
  absl::Status Dissociate(http::RestCall& call);
  absl::Status CreateObject(http::RestCall& call);
  absl::Status ListObjects(http::RestCall& call);
  absl::Status ShowObject(http::RestCall& call);
  absl::Status UpdateObject(http::RestCall& call);
  absl::Status DeleteObject(http::RestCall& call);
  absl::Status DeleteObjects(http::RestCall& call);
  absl::Status CreateProperty(http::RestCall& call);
  absl::Status ListProperties(http::RestCall& call);
  absl::Status ShowProperty(http::RestCall& call);
  absl::Status UpdateProperty(http::RestCall& call);
  absl::Status DeleteProperty(http::RestCall& call);
  absl::Status DeleteProperties(http::RestCall& call);
  absl::Status CreateTag(http::RestCall& call);
  absl::Status CreateTags(http::RestCall& call);
  absl::Status ListTags(http::RestCall& call);
  absl::Status ShowTag(http::RestCall& call);
  absl::Status UpdateTag(http::RestCall& call);
  absl::Status DeleteTag(http::RestCall& call);
  absl::Status DeleteTags(http::RestCall& call);

  MetadefManager& manager_;
  Authenticate authenticate_;
  ImageRestOptions options_;
};

// JSON mapping (metadef_rest_json.cc), exposed for the adapter's tests.
nlohmann::json NamespaceJson(const MetadefNamespace& ns, bool with_contents);
absl::StatusOr<MetadefNamespace> ParseNamespace(const nlohmann::json& body);
nlohmann::json ObjectJson(const std::string& ns, const MetadefObject& object);
absl::StatusOr<MetadefObject> ParseObject(const nlohmann::json& body);
nlohmann::json PropertyJson(const std::string& name, const std::string& definition);
// The definition of a property body ({"name": ..., "title": ..., "type": ...}) without
// its name, as JSON text.
absl::StatusOr<std::string> PropertyDefinition(const nlohmann::json& body);
nlohmann::json TagJson(const MetadefTag& tag);
nlohmann::json AssociationJson(const ResourceTypeAssociation& association);
// The schema document /v2/schemas/metadefs/<which>; NotFound for an unknown one.
absl::StatusOr<nlohmann::json> MetadefSchema(const std::string& which);

}  // namespace gureum::image
