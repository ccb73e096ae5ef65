// A REST request and response as Gureum's handlers see them, independent of the HTTP
// library underneath (Boost.Beast, confined to server.cc).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/status/status.h"

namespace gureum::http {

// Receives a streamed request body piece by piece; return false to stop reading.
using BodyReader = std::function<bool(const char* data, size_t size)>;

class Request {
 public:
  std::string method;
  std::string path;
  std::string route;  // the pattern that matched, e.g. "/v3/projects/{project_id}"
  std::string request_id;
  absl::flat_hash_map<std::string, std::string> path_params;
  std::multimap<std::string, std::string> query;
  Caller caller;  // filled by the service's own auth step, if any

  // A header, matched case-insensitively; empty if absent.
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const;
  // Every header whose name starts with `prefix` (case-insensitive; "" lists them all), as
  // (name as sent, value) pairs in the order they arrived.
  std::vector<std::pair<std::string, std::string>> HeadersWithPrefix(
      const std::string& prefix) const;
  // A query parameter, or nullopt.
  std::optional<std::string> Query(const std::string& name) const;
  const std::string& PathParam(const std::string& name) const;

  // The whole body (routes that do not stream it).
  const std::string& body() const { return body_; }
  // The body parsed as a JSON object; InvalidArgument naming the problem otherwise.
  absl::StatusOr<nlohmann::json> JsonBody() const;

  // Streaming routes only: reads the body as it arrives, in constant memory.
  absl::Status ReadBody(const BodyReader& reader) const;

  // Set by the server.
  std::function<std::string(const std::string&)> header_lookup;
  std::function<bool(const std::string&)> header_exists;
  std::function<std::vector<std::pair<std::string, std::string>>()> header_list;
  std::function<absl::Status(const BodyReader&)> body_stream;
  std::string body_;
};

// Produces the next piece of a streamed response into `buf` (at most `cap` bytes);
// returns the number of bytes written, 0 at the end, or an error to abort.
using BodySource = std::function<absl::StatusOr<size_t>(char* buf, size_t cap)>;

class Response {
 public:
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";

  void SetHeader(const std::string& name, const std::string& value);
  // Never throws: strings that are not valid UTF-8 are written with U+FFFD in their place.
  void Json(int http_status, const nlohmann::json& value);
  void Empty(int http_status);  // e.g. 204
  // An error in the service's OpenStack envelope (see ErrorStyle).
  void Error(const absl::Status& status);

  // Streams the body from `source`. `length` < 0 sends it chunked.
  void Stream(long long length, const std::string& content_type, BodySource source);

  // Set by the server.
  ErrorStyle error_style = ErrorStyle::kPlain;
  long long stream_length = -1;
  BodySource stream_source;
};

// Validation helpers for handlers: each returns InvalidArgument naming the field.
absl::StatusOr<std::string> RequireString(const nlohmann::json& object, const std::string& field);
absl::StatusOr<nlohmann::json> RequireObject(const nlohmann::json& body, const std::string& field);

}  // namespace gureum::http
