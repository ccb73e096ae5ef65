#include "common/http/response_head.h"

#include <boost/beast/http.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/status.h"

namespace gureum::http::server_internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string HeaderSafe(absl::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

std::string ResponseHead(const Response& res, const std::string& request_id, long long length,
                         bool has_content, bool keep_alive, bool http10) {
  // The status line says what clients expect (RFC 9110's phrases, "Payload Too Large",
  // as cpp-httplib did); the JSON body keeps the API's own title.
  beast::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  std::string out = reason == "<unknown-status>"
                        ? absl::StrCat("HTTP/1.1 ", res.status, " ", HttpReason(res.status), "\r\n")
                        : absl::StrCat("HTTP/1.1 ", res.status, " ",
                                       absl::string_view(reason.data(), reason.size()), "\r\n");
  bool type_set = false;
  for (const auto& [name, value] : res.headers) {
    if (absl::EqualsIgnoreCase(name, "Content-Length") ||
        absl::EqualsIgnoreCase(name, "Transfer-Encoding") ||
        absl::EqualsIgnoreCase(name, "Connection") ||
        absl::EqualsIgnoreCase(name, log::kRequestIdHeader)) {
      continue;
    }
    if (absl::EqualsIgnoreCase(name, "Content-Type")) type_set = true;
    absl::StrAppend(&out, name, ": ", HeaderSafe(value), "\r\n");
  }
  absl::StrAppend(&out, log::kRequestIdHeader, ": ", request_id, "\r\n");
  if (has_content && !type_set) absl::StrAppend(&out, "Content-Type: ", res.content_type, "\r\n");
  const bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
  if (!bodiless) {
    if (length >= 0) {
      absl::StrAppend(&out, "Content-Length: ", length, "\r\n");
    } else if (length != kUntilClose) {
      out += "Transfer-Encoding: chunked\r\n";
    }
  }
  // HTTP/1.0 clients keep a connection only when told so.
  out += !keep_alive ? "Connection: close\r\n\r\n"
                     : (http10 ? "Connection: keep-alive\r\n\r\n" : "\r\n");
  return out;
}

bool WantsClose(const Response& res) {
  for (const auto& [name, value] : res.headers) {
    if (absl::EqualsIgnoreCase(name, "Connection") && absl::EqualsIgnoreCase(value, "close")) {
      return true;
    }
  }
  return false;
}

}  // namespace gureum::http::server_internal
