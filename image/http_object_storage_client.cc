#include "image/http_object_storage_client.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gureum::image {
namespace {

// Object and container names go into the path percent-encoded (image ids are UUIDs, but a
// container name comes from the configuration).
std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

std::string ObjectPath(const std::string& container, const std::string& name) {
  return absl::StrCat("/", Escape(container), "/", Escape(name));
}

absl::Status Unexpected(const std::string& what, int status, const std::string& body) {
  return absl::UnavailableError(
      absl::StrCat("object storage: ", what, ": HTTP ", status, " ", body.substr(0, 200)));
}

}  // namespace

absl::StatusOr<std::string> HttpObjectStorageClient::Account(const std::string& token) {
  absl::MutexLock lock(&mu_);
  if (account_.empty()) {
    absl::StatusOr<std::string> project = project_of_(token);
    if (!project.ok()) return project.status();
    account_ = absl::StrCat("AUTH_", *project);
  }
  return account_;
}

absl::StatusOr<HttpObjectStorageClient::Answer> HttpObjectStorageClient::Call(
    const std::string& method, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::string> token = token_.Get();
    if (!token.ok()) return token.status();
    absl::StatusOr<std::string> account = Account(*token);
    if (!account.ok()) return account.status();
    httplib::Client client(options_.url);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(options_.timeout_seconds, 0);
    client.set_write_timeout(options_.timeout_seconds, 0);
    client.set_tcp_nodelay(true);
    httplib::Request req;
    req.method = method;
    req.path = absl::StrCat("/v1/", *account, path);
    req.headers = {{"X-Auth-Token", *token}};
    for (const auto& [k, v] : headers) req.headers.emplace(k, v);
    if (method == "PUT" || method == "POST") {
      req.body = body;
      req.headers.emplace("Content-Type", "application/octet-stream");
    }
    httplib::Result r = client.send(req);
    if (!r) {
      return absl::UnavailableError(
          absl::StrCat("object storage at ", options_.url, ": ", httplib::to_string(r.error())));
    }
    if (r->status == 401 && attempt == 0) {
      token_.Invalidate();
      continue;
    }
    return Answer{.status = r->status,
                  .body = std::move(r->body),
                  .etag = r->get_header_value("ETag"),
                  .content_range = r->get_header_value("Content-Range")};
  }
}

absl::Status HttpObjectStorageClient::EnsureContainer(const std::string& container) {
  absl::StatusOr<Answer> a = Call("PUT", absl::StrCat("/", Escape(container)), {}, "");
  if (!a.ok()) return a.status();
  if (a->status / 100 != 2) return Unexpected("PUT container " + container, a->status, a->body);
  return absl::OkStatus();
}

absl::StatusOr<std::string> HttpObjectStorageClient::PutObject(const std::string& container,
                                                               const std::string& name,
                                                               const std::string& data) {
  absl::StatusOr<Answer> a = Call("PUT", ObjectPath(container, name), {}, data);
  if (!a.ok()) return a.status();
  if (a->status != 201) return Unexpected("PUT " + name, a->status, a->body);
  return std::string(absl::StripSuffix(absl::StripPrefix(a->etag, "\""), "\""));
}

absl::Status HttpObjectStorageClient::PutManifest(const std::string& container,
                                                  const std::string& name,
                                                  const std::vector<ObjectSegment>& segments) {
  nlohmann::json manifest = nlohmann::json::array();
  for (const ObjectSegment& s : segments) {
    manifest.push_back({{"path", absl::StrCat("/", s.container, "/", s.name)},
                        {"etag", s.etag},
                        {"size_bytes", s.bytes}});
  }
  absl::StatusOr<Answer> a =
      Call("PUT", ObjectPath(container, name) + "?multipart-manifest=put", {}, manifest.dump());
  if (!a.ok()) return a.status();
  if (a->status != 201) return Unexpected("PUT manifest " + name, a->status, a->body);
  return absl::OkStatus();
}

absl::StatusOr<ObjectPiece> HttpObjectStorageClient::GetRange(const std::string& container,
                                                              const std::string& name,
                                                              long long offset, long long length) {
  absl::StatusOr<Answer> a =
      Call("GET", ObjectPath(container, name),
           {{"Range", absl::StrCat("bytes=", offset, "-", offset + length - 1)}}, "");
  if (!a.ok()) return a.status();
  if (a->status == 404) return absl::NotFoundError(absl::StrCat("no object ", name));
  if (a->status == 416) return ObjectPiece{};  // at or past the end (or an empty object)
  if (a->status == 200) {                      // the whole object
    if (offset > 0) return Unexpected("GET " + name + " ignored the range", 200, "");
    const long long total = static_cast<long long>(a->body.size());
    return ObjectPiece{.data = std::move(a->body), .total_bytes = total};
  }
  if (a->status != 206) return Unexpected("GET " + name, a->status, a->body);
  ObjectPiece piece{.data = std::move(a->body)};
  const size_t slash = a->content_range.rfind('/');
  if (slash == std::string::npos ||
      !absl::SimpleAtoi(a->content_range.substr(slash + 1), &piece.total_bytes)) {
    return Unexpected("GET " + name + " Content-Range '" + a->content_range + "'", 206, "");
  }
  return piece;
}

absl::Status HttpObjectStorageClient::DeleteObject(const std::string& container,
                                                   const std::string& name) {
  absl::StatusOr<Answer> a = Call("DELETE", ObjectPath(container, name), {}, "");
  if (!a.ok()) return a.status();
  if (a->status / 100 != 2 && a->status != 404) {
    return Unexpected("DELETE " + name, a->status, a->body);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> HttpObjectStorageClient::ListObjects(
    const std::string& container, const std::string& prefix) {
  absl::StatusOr<Answer> a = Call(
      "GET", absl::StrCat("/", Escape(container), "?format=json&prefix=", Escape(prefix)), {}, "");
  if (!a.ok()) return a.status();
  if (a->status == 404) return std::vector<std::string>{};
  if (a->status / 100 != 2) return Unexpected("GET container " + container, a->status, a->body);
  std::vector<std::string> names;
  if (a->status == 204 || a->body.empty()) return names;
  nlohmann::json listing = nlohmann::json::parse(a->body, nullptr, /*allow_exceptions=*/false);
  if (!listing.is_array()) return Unexpected("GET container " + container, a->status, a->body);
  for (const nlohmann::json& o : listing) names.push_back(o.value("name", ""));
  return names;
}

}  // namespace gureum::image
