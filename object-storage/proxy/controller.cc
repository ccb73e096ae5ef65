#include "object-storage/proxy/controller.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/server/object_server_rest.h"
#include "object-storage/server/timestamp.h"

namespace gureum::object::proxy {

void Answer(http::Response& res, int status, const std::string& text) {
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = status == 204 || status == 304 ? std::string() : text;
}

void CopyMetadata(const NodeResponse& from, http::Response& res, bool keep_empty) {
  nlohmann::json headers = nlohmann::json::parse(from.Header(kHeadersHeader), nullptr, false);
  if (!headers.is_object()) return;
  for (const auto& [name, value] : headers.items()) {
    if (value.is_string() && (keep_empty || !value.get<std::string>().empty())) {
      res.SetHeader(name, value.get<std::string>());
    }
  }
}

std::string LastModifiedOf(const NodeResponse& from) {
  std::optional<Timestamp> ts = Timestamp::Parse(from.Header("X-Timestamp"));
  if (!ts) return "";
  return HttpDate(ts->seconds() + (ts->ticks() % 100000 ? 1 : 0));
}

Headers StoredHeaders(const NodeResponse& from) {
  nlohmann::json headers = nlohmann::json::parse(from.Header(kHeadersHeader), nullptr, false);
  Headers out;
  if (headers.is_object()) {
    for (const auto& [k, v] : headers.items()) {
      if (v.is_string()) out[k] = v.get<std::string>();
    }
  }
  return out;
}

std::string UrlEncode(const std::string& in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace gureum::object::proxy
