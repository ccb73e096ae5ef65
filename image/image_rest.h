// The Glance v2 REST API (port 9292) over ImageManager: version discovery, images CRUD,
// JSON-patch updates (application/openstack-images-v2.1-json-patch), streamed data
// upload and download (PUT/GET /v2/images/{id}/file, chunked or sized, constant memory),
// tags, members, deactivate/reactivate, and the schemas the clients read. Shapes follow
// Glance so that python3-openstackclient and openstacksdk work unchanged.
//
//   ImageRest rest(manager, authenticate, {});
//   http::Server server(ImageRest::ServerOptions(&metrics));  // + host and port
//   rest.Register(server);
//
// Every route but discovery needs X-Auth-Token. Register before the server starts;
// handlers run concurrently on the server's threads.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/rest.h"
#include "common/http/server.h"
#include "image/image_manager.h"

namespace gureum::image {

using Authenticate = http::TokenVerifier;

struct ImageRestOptions {
  std::string public_url;  // links start here: http::ApiBaseUrl(...)
};

class ImageRest {
 public:
  ImageRest(ImageManager& manager, Authenticate authenticate, ImageRestOptions options)
      : manager_(manager), authenticate_(std::move(authenticate)), options_(std::move(options)) {}

  void Register(http::Server& server);
  // The REST server's options for this API (limits, error style); host and port come from
  // configuration (service::StartRestServer).
  static http::ServerOptions ServerOptions(metrics::Metrics* metrics);

 private:
  absl::Status Versions(http::Response& res, int status);
  absl::Status CreateImage(http::RestCall& call);
  absl::Status ListImages(http::RestCall& call);
  absl::Status ShowImage(http::RestCall& call);
  absl::Status PatchImage(http::RestCall& call);
  absl::Status DeleteImage(http::RestCall& call);
  absl::Status PutFile(http::RestCall& call);
  absl::Status GetFile(http::RestCall& call);
  absl::Status AddTag(http::RestCall& call);
  absl::Status RemoveTag(http::RestCall& call);
  absl::Status Deactivate(http::RestCall& call);
  absl::Status Reactivate(http::RestCall& call);
  absl::Status Members(http::RestCall& call);
  absl::Status AddMember(http::RestCall& call);
  absl::Status Member(http::RestCall& call);
  absl::Status UpdateMember(http::RestCall& call);
  absl::Status RemoveMember(http::RestCall& call);

  ImageManager& manager_;
  Authenticate authenticate_;
  ImageRestOptions options_;
};

// JSON mapping (image_rest_json.cc), exposed for the adapters' tests.
nlohmann::json ImageJson(const Image& image);
nlohmann::json MemberJson(const Member& member);
absl::StatusOr<ImageCreate> ParseCreate(const nlohmann::json& body);
absl::StatusOr<ImageUpdate> ParsePatch(const nlohmann::json& ops, const Image& current);
nlohmann::json ImageSchema();
nlohmann::json ImagesSchema();
nlohmann::json MemberSchema();
nlohmann::json MembersSchema();

}  // namespace gureum::image
