// Glance v2 REST handlers: decode, call ImageManager, encode.
#include "image/image_rest.h"

#include <future>
#include <memory>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/http/json_reader.h"
#include "common/http/query.h"
#include "common/http/rest.h"
#include "common/status/macros.h"
#include "common/status/status.h"

namespace gureum::image {
namespace {

using nlohmann::json;

constexpr size_t kUploadPiece = 4 << 20;

absl::StatusOr<json> ParseBody(const http::Request& req) {
  json body = json::parse(req.body(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return absl::InvalidArgumentError("The request body is not valid JSON.");
  return body;
}

void SetImageHeaders(http::Response& res, const Image& image) {
  res.SetHeader("Location", "/v2/images/" + image.id);
  res.SetHeader("OpenStack-image-import-methods", "");
}

}  // namespace

http::ServerOptions ImageRest::ServerOptions(metrics::Metrics* metrics) {
  http::ServerOptions o;
  o.max_body_bytes = 1 << 20;
  o.max_stream_bytes = 1ull << 42;
  o.error_style = ErrorStyle::kPlain;
  o.metrics = metrics;
  return o;
}

void ImageRest::Register(http::Server& s) {
  using http::Request;
  using http::Response;
  using http::RestCall;
  http::RestApi api(s, {.base_url = options_.public_url,
                        .verify = authenticate_,
                        .auth_required_message =
                            "This server could not verify that you are authorized to access the "
                            "document you requested."});
  auto route = [&](const char* method, const char* pattern,
                   absl::Status (ImageRest::*handler)(RestCall&), http::RouteOptions o = {}) {
    api.Authed(
        method, pattern, [this, handler](RestCall& call) { return (this->*handler)(call); }, o);
  };
  api.Public("GET", "/", [this](Request&, Response& r) { return Versions(r, 300); });
  api.Public("GET", "/versions", [this](Request&, Response& r) { return Versions(r, 200); });
  api.Public("GET", "/v2", [this](Request&, Response& r) { return Versions(r, 300); });
  route("POST", "/v2/images", &ImageRest::CreateImage);
  route("GET", "/v2/images", &ImageRest::ListImages);
  // DELETE /v2/images/ (an empty id): 404 as Glance, not 405.
  route("DELETE", "/v2/images", &ImageRest::DeleteImage);
  route("GET", "/v2/images/{id}", &ImageRest::ShowImage);
  route("PATCH", "/v2/images/{id}", &ImageRest::PatchImage);
  route("DELETE", "/v2/images/{id}", &ImageRest::DeleteImage);
  route("PUT", "/v2/images/{id}/file", &ImageRest::PutFile, {.stream_body = true});
  route("GET", "/v2/images/{id}/file", &ImageRest::GetFile);
  route("PUT", "/v2/images/{id}/tags/{tag}", &ImageRest::AddTag);
  route("DELETE", "/v2/images/{id}/tags/{tag}", &ImageRest::RemoveTag);
  route("POST", "/v2/images/{id}/actions/deactivate", &ImageRest::Deactivate);
  route("POST", "/v2/images/{id}/actions/reactivate", &ImageRest::Reactivate);
  route("GET", "/v2/images/{id}/members", &ImageRest::Members);
  route("POST", "/v2/images/{id}/members", &ImageRest::AddMember);
  route("GET", "/v2/images/{id}/members/{member_id}", &ImageRest::Member);
  route("PUT", "/v2/images/{id}/members/{member_id}", &ImageRest::UpdateMember);
  route("DELETE", "/v2/images/{id}/members/{member_id}", &ImageRest::RemoveMember);
  auto schema = [&api](const std::string& name, json doc) {
    api.Public("GET", "/v2/schemas/" + name, [doc](Request&, Response& r) {
      r.Json(200, doc);
      return absl::OkStatus();
    });
  };
  schema("image", ImageSchema());
  schema("images", ImagesSchema());
  schema("member", MemberSchema());
  schema("members", MembersSchema());
  api.Public("GET", "/v2/info/import", [](Request&, Response& r) {
    r.Json(200, {{"import-methods",
                  {{"description", "Import methods available."},
                   {"type", "array"},
                   {"value", json::array()}}}});
    return absl::OkStatus();
  });
}

absl::Status ImageRest::Versions(http::Response& res, int status) {
  const std::string& base = options_.public_url;
  json versions = json::array();
  const char* ids[] = {"v2.16", "v2.15", "v2.9", "v2.7", "v2.6", "v2.5",
                       "v2.4",  "v2.3",  "v2.2", "v2.1", "v2.0"};
  bool first = true;
  for (const char* id : ids) {
    versions.push_back({{"id", id},
                        {"status", first ? "CURRENT" : "SUPPORTED"},
                        {"links", json::array({{{"rel", "self"}, {"href", base + "/v2/"}}})}});
    first = false;
  }
  if (status == 300) res.SetHeader("Location", base + "/v2/");
  res.Json(status, {{"versions", versions}});
  return absl::OkStatus();
}

absl::Status ImageRest::CreateImage(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, ParseBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(ImageCreate create, ParseCreate(body));
  GUREUM_ASSIGN_OR_RETURN(Image image, manager_.CreateImage(call.caller, create));
  SetImageHeaders(call.res, image);
  call.res.Json(201, ImageJson(image));
  return absl::OkStatus();
}

absl::Status ImageRest::ListImages(http::RestCall& call) {
  const http::Request& req = call.req;
  // GET /v2/images/ is a show of the empty id to Glance: 404 (Tempest's
  // test_get_image_null_id); /v2/images is the list.
  if (absl::EndsWith(req.path, "/")) return absl::NotFoundError("No image found with ID ");
  ImageQuery q;
  GUREUM_ASSIGN_OR_RETURN(http::PageRequest page, http::ReadPage(req, {.max_limit = INT32_MAX}));
  q.limit = static_cast<int>(page.limit);
  q.marker = page.marker;
  if (auto v = req.Query("name")) q.name = *v;
  if (auto v = req.Query("status")) q.status = *v;
  if (auto v = req.Query("visibility")) q.visibility = *v;
  if (auto v = req.Query("owner")) q.owner = *v;
  if (auto v = req.Query("member_status")) q.member_status = *v;
  if (auto v = req.Query("os_hidden")) q.include_hidden = *v == "true" || *v == "True";
  q.tags = http::QueryAll(req, "tag");
  const int limit = q.limit == 0 ? 25 : q.limit;
  GUREUM_ASSIGN_OR_RETURN(std::vector<Image> images, manager_.ListImages(call.caller, q));
  json list = json::array();
  for (const Image& i : images) list.push_back(ImageJson(i));
  json out = {{"images", list}, {"first", "/v2/images"}, {"schema", "/v2/schemas/images"}};
  if (static_cast<int>(images.size()) >= std::min(limit, 1000) && !images.empty()) {
    out["next"] = http::NextLink("/v2/images", req, images.back().id);
  }
  call.res.Json(200, out);
  return absl::OkStatus();
}

absl::Status ImageRest::ShowImage(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(Image image, manager_.GetImage(call.caller, call.Param("id")));
  call.res.Json(200, ImageJson(image));
  return absl::OkStatus();
}

absl::Status ImageRest::PatchImage(http::RestCall& call) {
  const std::string type = call.req.Header("Content-Type");
  if (type.find("openstack-images-v2") == std::string::npos &&
      type.find("json-patch") == std::string::npos) {
    return WithHttpStatus(absl::InvalidArgumentError(
                              "Use Content-Type application/openstack-images-v2.1-json-patch."),
                          415);
  }
  GUREUM_ASSIGN_OR_RETURN(Image current, manager_.GetImage(call.caller, call.Param("id")));
  GUREUM_ASSIGN_OR_RETURN(json body, ParseBody(call.req));
  GUREUM_ASSIGN_OR_RETURN(ImageUpdate update, ParsePatch(body, current));
  GUREUM_ASSIGN_OR_RETURN(Image image, manager_.UpdateImage(call.caller, current.id, update));
  call.res.Json(200, ImageJson(image));
  return absl::OkStatus();
}

absl::Status ImageRest::DeleteImage(http::RestCall& call) {
  if (call.req.path_params.count("id") == 0) return absl::NotFoundError("No image found with ID ");
  GUREUM_RETURN_IF_ERROR(manager_.DeleteImage(call.caller, call.Param("id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// Streams the body through an Upload in pieces of 4 MiB, double-buffered: while one
// piece is hashed and written on a helper thread, the next is received, so the network
// and the hashing overlap. A body cut short (client gone) leaves the image killed; bad
// data and quotas answer 400/413 at once and stop reading.
absl::Status ImageRest::PutFile(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(std::unique_ptr<Upload> upload,
                          manager_.BeginUpload(call.caller, call.Param("id")));
  Upload& up = *upload;
  std::string piece, spare;
  piece.reserve(kUploadPiece);
  spare.reserve(kUploadPiece);
  std::future<absl::Status> pending;  // the write of `spare`, if any
  auto wait_pending = [&pending]() -> absl::Status {
    return pending.valid() ? pending.get() : absl::OkStatus();
  };
  struct Joiner {  // never leave with the helper thread still using our buffers
    std::future<absl::Status>& f;
    ~Joiner() {
      if (f.valid()) f.wait();
    }
  } joiner{pending};
  absl::Status write_error;
  absl::Status read = call.req.ReadBody([&](const char* data, size_t n) {
    piece.append(data, n);  // small network reads are gathered into 4 MiB writes
    if (piece.size() < kUploadPiece) return true;
    write_error = wait_pending();
    if (!write_error.ok()) return false;
    piece.swap(spare);
    piece.clear();
    pending = std::async(std::launch::async,
                         [&up, &spare] { return up.Write(spare.data(), spare.size()); });
    return true;
  });
  if (write_error.ok()) write_error = wait_pending();
  if (!write_error.ok()) {
    call.res.SetHeader("Connection", "close");
    return write_error;
  }
  if (!read.ok()) {
    up.Abort(read);
    call.res.SetHeader("Connection", "close");
    return absl::IsResourceExhausted(read)
               ? WithHttpStatus(read, 413)
               : absl::InvalidArgumentError("The upload was cut short: " +
                                            std::string(read.message()));
  }
  if (!piece.empty()) GUREUM_RETURN_IF_ERROR(up.Write(piece.data(), piece.size()));
  GUREUM_RETURN_IF_ERROR(up.Finish().status());
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ImageRest::GetFile(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(Download download, manager_.OpenDownload(call.caller, call.Param("id")));
  if (download.reader == nullptr) {  // no data yet, as Glance
    call.res.Empty(204);
    return absl::OkStatus();
  }
  const Image& image = download.image;
  call.res.SetHeader("Content-MD5", image.checksum);
  call.res.SetHeader("X-Openstack-Image-Os-Hash-Algo", image.os_hash_algo);
  std::shared_ptr<DataReader> reader(std::move(download.reader));
  call.res.Stream(image.size.value_or(0), "application/octet-stream",
                  [reader](char* buf, size_t cap) { return reader->Read(buf, cap); });
  return absl::OkStatus();
}

absl::Status ImageRest::AddTag(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.AddTag(call.caller, call.Param("id"), call.Param("tag")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ImageRest::RemoveTag(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.RemoveTag(call.caller, call.Param("id"), call.Param("tag")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ImageRest::Deactivate(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.SetDeactivated(call.caller, call.Param("id"), true).status());
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ImageRest::Reactivate(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(manager_.SetDeactivated(call.caller, call.Param("id"), false).status());
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ImageRest::Members(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<image::Member> members,
                          manager_.ListMembers(call.caller, call.Param("id")));
  json list = json::array();
  for (const image::Member& m : members) list.push_back(MemberJson(m));
  call.res.Json(200, {{"members", list}, {"schema", "/v2/schemas/members"}});
  return absl::OkStatus();
}

absl::Status ImageRest::AddMember(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, ParseBody(call.req));
  std::string member;
  http::JsonReader r(body, "body");
  r.String("member", &member, {.required = true, .allow_empty = false, .max_length = 255});
  if (!r.Finish().ok()) {
    return absl::InvalidArgumentError("Body must be {\"member\": \"<project id>\"}.");
  }
  GUREUM_ASSIGN_OR_RETURN(image::Member m,
                          manager_.AddMember(call.caller, call.Param("id"), member));
  call.res.Json(200, MemberJson(m));
  return absl::OkStatus();
}

absl::Status ImageRest::Member(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(
      image::Member m, manager_.GetMember(call.caller, call.Param("id"), call.Param("member_id")));
  call.res.Json(200, MemberJson(m));
  return absl::OkStatus();
}

absl::Status ImageRest::UpdateMember(http::RestCall& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, ParseBody(call.req));
  std::string status;
  http::JsonReader r(body, "body");
  r.String("status", &status, {.required = true});
  if (!r.Finish().ok()) {
    return absl::InvalidArgumentError(
        "Body must be {\"status\": \"accepted\"|\"rejected\"|\"pending\"}.");
  }
  GUREUM_ASSIGN_OR_RETURN(image::Member m, manager_.UpdateMember(call.caller, call.Param("id"),
                                                                 call.Param("member_id"), status));
  call.res.Json(200, MemberJson(m));
  return absl::OkStatus();
}

absl::Status ImageRest::RemoveMember(http::RestCall& call) {
  GUREUM_RETURN_IF_ERROR(
      manager_.RemoveMember(call.caller, call.Param("id"), call.Param("member_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace gureum::image
