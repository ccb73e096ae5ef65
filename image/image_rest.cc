// Glance v2 REST handlers: decode, call ImageManager, encode.
#include "image/image_rest.h"

#include <future>
#include <memory>

#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/http/public_url.h"
#include "common/status/status.h"

namespace gureum::image {
namespace {

using nlohmann::json;

constexpr size_t kUploadPiece = 4 << 20;

// Runs `fn` with the authenticated caller, answering the auth failure otherwise.
template <typename Fn>
void WithCaller(const ImageRest* rest, absl::StatusOr<Caller> caller, http::Response& res, Fn fn) {
  if (!caller.ok()) {
    res.Error(caller.status());
    return;
  }
  fn(*caller);
}

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

http::ServerOptions ImageRest::ServerOptions(const std::string& host, int port,
                                             metrics::Metrics* metrics) {
  http::ServerOptions o;
  o.host = host;
  o.port = port;
  o.max_body_bytes = 1 << 20;
  o.max_stream_bytes = 1ull << 42;
  o.error_style = ErrorStyle::kPlain;
  o.metrics = metrics;
  return o;
}

absl::StatusOr<Caller> ImageRest::Auth(const http::Request& req) const {
  std::string token = req.Header("X-Auth-Token");
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "This server could not verify that you are authorized "
        "to access the document you requested (no X-Auth-Token).");
  }
  return authenticate_(token);
}

std::string ImageRest::BaseUrl(const http::Request& req) const {
  return http::PublicUrl(options_.public_url, "localhost", 9292);
}

void ImageRest::Register(http::Server& s) {
  using http::Request;
  using http::Response;
  s.Route("GET", "/", [this](Request& q, Response& r) { Versions(q, r, 300); });
  s.Route("GET", "/versions", [this](Request& q, Response& r) { Versions(q, r, 200); });
  s.Route("GET", "/v2", [this](Request& q, Response& r) { Versions(q, r, 300); });
  s.Route("POST", "/v2/images", [this](Request& q, Response& r) { CreateImage(q, r); });
  s.Route("GET", "/v2/images", [this](Request& q, Response& r) { ListImages(q, r); });
  s.Route("GET", "/v2/images/{id}", [this](Request& q, Response& r) { ShowImage(q, r); });
  s.Route("PATCH", "/v2/images/{id}", [this](Request& q, Response& r) { PatchImage(q, r); });
  s.Route("DELETE", "/v2/images/{id}", [this](Request& q, Response& r) { DeleteImage(q, r); });
  s.Route("PUT", "/v2/images/{id}/file", [this](Request& q, Response& r) { PutFile(q, r); },
          {.stream_body = true});
  s.Route("GET", "/v2/images/{id}/file", [this](Request& q, Response& r) { GetFile(q, r); });
  s.Route("PUT", "/v2/images/{id}/tags/{tag}",
          [this](Request& q, Response& r) { Tag(q, r, true); });
  s.Route("DELETE", "/v2/images/{id}/tags/{tag}",
          [this](Request& q, Response& r) { Tag(q, r, false); });
  s.Route("POST", "/v2/images/{id}/actions/deactivate",
          [this](Request& q, Response& r) { Action(q, r, true); });
  s.Route("POST", "/v2/images/{id}/actions/reactivate",
          [this](Request& q, Response& r) { Action(q, r, false); });
  s.Route("GET", "/v2/images/{id}/members", [this](Request& q, Response& r) { Members(q, r); });
  s.Route("POST", "/v2/images/{id}/members", [this](Request& q, Response& r) { AddMember(q, r); });
  s.Route("GET", "/v2/images/{id}/members/{member_id}",
          [this](Request& q, Response& r) { Member(q, r); });
  s.Route("PUT", "/v2/images/{id}/members/{member_id}",
          [this](Request& q, Response& r) { UpdateMember(q, r); });
  s.Route("DELETE", "/v2/images/{id}/members/{member_id}",
          [this](Request& q, Response& r) { RemoveMember(q, r); });
  auto schema = [&s](const std::string& name, json doc) {
    s.Route("GET", "/v2/schemas/" + name, [doc](Request&, Response& r) { r.Json(200, doc); });
  };
  schema("image", ImageSchema());
  schema("images", ImagesSchema());
  schema("member", MemberSchema());
  schema("members", MembersSchema());
  s.Route("GET", "/v2/info/import", [](Request&, Response& r) {
    r.Json(200, {{"import-methods",
                  {{"description", "Import methods available."},
                   {"type", "array"},
                   {"value", json::array()}}}});
  });
}

void ImageRest::Versions(http::Request& req, http::Response& res, int status) {
  std::string base = BaseUrl(req);
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
}

void ImageRest::CreateImage(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto body = ParseBody(req);
    if (!body.ok()) return res.Error(body.status());
    auto create = ParseCreate(*body);
    if (!create.ok()) return res.Error(create.status());
    auto image = manager_.CreateImage(caller, *create);
    if (!image.ok()) return res.Error(image.status());
    SetImageHeaders(res, *image);
    res.Json(201, ImageJson(*image));
  });
}

void ImageRest::ListImages(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    ImageQuery q;
    if (auto v = req.Query("limit")) {
      if (!absl::SimpleAtoi(*v, &q.limit) || q.limit < 0) {
        return res.Error(absl::InvalidArgumentError("limit must be a non-negative integer."));
      }
    }
    q.marker = req.Query("marker").value_or("");
    if (auto v = req.Query("name")) q.name = *v;
    if (auto v = req.Query("status")) q.status = *v;
    if (auto v = req.Query("visibility")) q.visibility = *v;
    if (auto v = req.Query("owner")) q.owner = *v;
    if (auto v = req.Query("member_status")) q.member_status = *v;
    if (auto v = req.Query("os_hidden")) q.include_hidden = *v == "true" || *v == "True";
    auto [lo, hi] = req.query.equal_range("tag");
    for (auto it = lo; it != hi; ++it) q.tags.push_back(it->second);
    int limit = q.limit == 0 ? 25 : q.limit;
    auto images = manager_.ListImages(caller, q);
    if (!images.ok()) return res.Error(images.status());
    json list = json::array();
    for (const Image& i : *images) list.push_back(ImageJson(i));
    json out = {{"images", list}, {"first", "/v2/images"}, {"schema", "/v2/schemas/images"}};
    if (static_cast<int>(images->size()) >= std::min(limit, 1000) && !images->empty()) {
      out["next"] = "/v2/images?marker=" + images->back().id +
                    (req.Query("limit") ? "&limit=" + *req.Query("limit") : "");
    }
    res.Json(200, out);
  });
}

void ImageRest::ShowImage(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto image = manager_.GetImage(caller, req.PathParam("id"));
    if (!image.ok()) return res.Error(image.status());
    res.Json(200, ImageJson(*image));
  });
}

void ImageRest::PatchImage(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    std::string type = req.Header("Content-Type");
    if (type.find("openstack-images-v2") == std::string::npos &&
        type.find("json-patch") == std::string::npos) {
      return res.Error(
          WithHttpStatus(absl::InvalidArgumentError(
                             "Use Content-Type application/openstack-images-v2.1-json-patch."),
                         415));
    }
    auto current = manager_.GetImage(caller, req.PathParam("id"));
    if (!current.ok()) return res.Error(current.status());
    auto body = ParseBody(req);
    if (!body.ok()) return res.Error(body.status());
    auto update = ParsePatch(*body, *current);
    if (!update.ok()) return res.Error(update.status());
    auto image = manager_.UpdateImage(caller, current->id, *update);
    if (!image.ok()) return res.Error(image.status());
    res.Json(200, ImageJson(*image));
  });
}

void ImageRest::DeleteImage(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    absl::Status s = manager_.DeleteImage(caller, req.PathParam("id"));
    if (!s.ok()) return res.Error(s);
    res.Empty(204);
  });
}

// Streams the body through an Upload in pieces of 4 MiB, double-buffered: while one
// piece is hashed and written on a helper thread, the next is received, so the network
// and the hashing overlap. A body cut short (client gone) leaves the image killed; bad
// data and quotas answer 400/413 at once and stop reading.
void ImageRest::PutFile(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto upload = manager_.BeginUpload(caller, req.PathParam("id"));
    if (!upload.ok()) return res.Error(upload.status());
    Upload& up = **upload;
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
    absl::Status read = req.ReadBody([&](const char* data, size_t n) {
      piece.append(data, n);  // small network reads are gathered into 1 MiB writes
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
      res.SetHeader("Connection", "close");
      return res.Error(write_error);
    }
    if (!read.ok()) {
      up.Abort(read);
      res.SetHeader("Connection", "close");
      return res.Error(absl::IsResourceExhausted(read)
                           ? WithHttpStatus(read, 413)
                           : absl::InvalidArgumentError("The upload was cut short: " +
                                                        std::string(read.message())));
    }
    if (!piece.empty()) {
      if (absl::Status s = up.Write(piece.data(), piece.size()); !s.ok()) return res.Error(s);
    }
    auto image = up.Finish();
    if (!image.ok()) return res.Error(image.status());
    res.Empty(204);
  });
}

void ImageRest::GetFile(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto download = manager_.OpenDownload(caller, req.PathParam("id"));
    if (!download.ok()) return res.Error(download.status());
    if (download->reader == nullptr) return res.Empty(204);  // no data yet, as Glance
    const Image& image = download->image;
    res.SetHeader("Content-MD5", image.checksum);
    res.SetHeader("X-Openstack-Image-Os-Hash-Algo", image.os_hash_algo);
    std::shared_ptr<DataReader> reader(std::move(download->reader));
    res.Stream(image.size.value_or(0), "application/octet-stream",
               [reader](char* buf, size_t cap) { return reader->Read(buf, cap); });
  });
}

void ImageRest::Tag(http::Request& req, http::Response& res, bool add) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    absl::Status s = add ? manager_.AddTag(caller, req.PathParam("id"), req.PathParam("tag"))
                         : manager_.RemoveTag(caller, req.PathParam("id"), req.PathParam("tag"));
    if (!s.ok()) return res.Error(s);
    res.Empty(204);
  });
}

void ImageRest::Action(http::Request& req, http::Response& res, bool deactivate) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto image = manager_.SetDeactivated(caller, req.PathParam("id"), deactivate);
    if (!image.ok()) return res.Error(image.status());
    res.Empty(204);
  });
}

void ImageRest::Members(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto members = manager_.ListMembers(caller, req.PathParam("id"));
    if (!members.ok()) return res.Error(members.status());
    json list = json::array();
    for (const image::Member& m : *members) list.push_back(MemberJson(m));
    res.Json(200, {{"members", list}, {"schema", "/v2/schemas/members"}});
  });
}

void ImageRest::AddMember(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto body = ParseBody(req);
    if (!body.ok()) return res.Error(body.status());
    if (!body->is_object() || !body->contains("member") || !(*body)["member"].is_string()) {
      return res.Error(absl::InvalidArgumentError("Body must be {\"member\": \"<project id>\"}."));
    }
    auto m = manager_.AddMember(caller, req.PathParam("id"), (*body)["member"].get<std::string>());
    if (!m.ok()) return res.Error(m.status());
    res.Json(200, MemberJson(*m));
  });
}

void ImageRest::Member(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto m = manager_.GetMember(caller, req.PathParam("id"), req.PathParam("member_id"));
    if (!m.ok()) return res.Error(m.status());
    res.Json(200, MemberJson(*m));
  });
}

void ImageRest::UpdateMember(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    auto body = ParseBody(req);
    if (!body.ok()) return res.Error(body.status());
    if (!body->is_object() || !body->contains("status") || !(*body)["status"].is_string()) {
      return res.Error(absl::InvalidArgumentError(
          "Body must be {\"status\": \"accepted\"|\"rejected\"|\"pending\"}."));
    }
    auto m = manager_.UpdateMember(caller, req.PathParam("id"), req.PathParam("member_id"),
                                   (*body)["status"].get<std::string>());
    if (!m.ok()) return res.Error(m.status());
    res.Json(200, MemberJson(*m));
  });
}

void ImageRest::RemoveMember(http::Request& req, http::Response& res) {
  WithCaller(this, Auth(req), res, [&](const Caller& caller) {
    absl::Status s = manager_.RemoveMember(caller, req.PathParam("id"), req.PathParam("member_id"));
    if (!s.ok()) return res.Error(s);
    res.Empty(204);
  });
}

}  // namespace gureum::image
