// The Glance v2 REST API (port 9292) over ImageManager: version discovery, images CRUD,
// JSON-patch updates (application/openstack-images-v2.1-json-patch), streamed data
// upload and download (PUT/GET /v2/images/{id}/file, chunked or sized, constant memory),
// tags, members, deactivate/reactivate, and the schemas the clients read. Shapes follow
// Glance so that python3-openstackclient and openstacksdk work unchanged.
//
//   ImageRest rest(manager, authenticate, {});
//   http::Server server(ImageRest::ServerOptions("0.0.0.0", 9292, &metrics));
//   rest.Register(server);
//
// Every route but discovery needs X-Auth-Token. Register before the server starts;
// handlers run concurrently on the server's threads.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/http/server.h"
#include "image/image_manager.h"

namespace gureum::image {

using Authenticate = std::function<absl::StatusOr<Caller>(const std::string& token)>;

struct ImageRestOptions {
  std::string public_url;  // "" = from the Host header
};

class ImageRest {
 public:
  ImageRest(ImageManager& manager, Authenticate authenticate, ImageRestOptions options)
      : manager_(manager), authenticate_(std::move(authenticate)), options_(std::move(options)) {}

  void Register(http::Server& server);
  static http::ServerOptions ServerOptions(const std::string& host, int port,
                                           metrics::Metrics* metrics);

 private:
  absl::StatusOr<Caller> Auth(const http::Request& req) const;
  std::string BaseUrl(const http::Request& req) const;
  void Versions(http::Request& req, http::Response& res, int status);
  void CreateImage(http::Request& req, http::Response& res);
  void ListImages(http::Request& req, http::Response& res);
  void ShowImage(http::Request& req, http::Response& res);
  void PatchImage(http::Request& req, http::Response& res);
  void DeleteImage(http::Request& req, http::Response& res);
  void PutFile(http::Request& req, http::Response& res);
  void GetFile(http::Request& req, http::Response& res);
  void Tag(http::Request& req, http::Response& res, bool add);
  void Action(http::Request& req, http::Response& res, bool deactivate);
  void Members(http::Request& req, http::Response& res);
  void AddMember(http::Request& req, http::Response& res);
  void Member(http::Request& req, http::Response& res);
  void UpdateMember(http::Request& req, http::Response& res);
  void RemoveMember(http::Request& req, http::Response& res);

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
