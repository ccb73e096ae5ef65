#include "common/http/request.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::http {

std::string Request::Header(const std::string& name) const {
  return header_lookup ? header_lookup(name) : "";
}

bool Request::HasHeader(const std::string& name) const {
  return header_exists && header_exists(name);
}

std::vector<std::pair<std::string, std::string>> Request::HeadersWithPrefix(
    const std::string& prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!header_list) return out;
  for (auto& [name, value] : header_list()) {
    if (name.size() >= prefix.size() &&
        absl::EqualsIgnoreCase(absl::string_view(name).substr(0, prefix.size()), prefix)) {
      out.emplace_back(std::move(name), std::move(value));
    }
  }
  return out;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::PathParam(const std::string& name) const {
  static const std::string* empty = new std::string();
  auto it = path_params.find(name);
  return it == path_params.end() ? *empty : it->second;
}

absl::StatusOr<nlohmann::json> Request::JsonBody() const {
  if (body_.empty()) return absl::InvalidArgumentError("The request body is empty; JSON expected.");
  nlohmann::json parsed = nlohmann::json::parse(body_, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::InvalidArgumentError("The request body is not valid JSON.");
  }
  if (!parsed.is_object()) {
    return absl::InvalidArgumentError("The request body must be a JSON object.");
  }
  return parsed;
}

absl::Status Request::ReadBody(const BodyReader& reader) const {
  if (!body_stream) {
    return absl::FailedPreconditionError("this route does not stream its request body");
  }
  return body_stream(reader);
}

void Response::SetHeader(const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void Response::Json(int http_status, const nlohmann::json& value) {
  status = http_status;
  content_type = "application/json";
  // Text from clients (a path, a name) ends up in error messages; bytes that are not
  // UTF-8 become U+FFFD instead of an exception (json type_error 316) and a 500.
  body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Response::Empty(int http_status) {
  status = http_status;
  body.clear();
}

void Response::Error(const absl::Status& error) {
  Json(HttpStatusCode(error), ErrorBody(error, error_style));
}

void Response::Stream(long long length, const std::string& type, BodySource source) {
  content_type = type;
  stream_length = length;
  stream_source = std::move(source);
}

absl::StatusOr<std::string> RequireString(const nlohmann::json& object, const std::string& field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' is a required property"));
  }
  if (!it->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' must be a string"));
  }
  return it->get<std::string>();
}

absl::StatusOr<nlohmann::json> RequireObject(const nlohmann::json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is a required property and must be an object"));
  }
  return *it;
}

}  // namespace gureum::http
