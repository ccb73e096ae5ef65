#include "object-storage/proxy/bulk_delete.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/http/router.h"

namespace gureum::object::proxy {
namespace {

std::string StatusLine(int status) {
  switch (status) {
    case 200:
      return "200 OK";
    case 400:
      return "400 Bad Request";
    case 409:
      return "409 Conflict";
    default:
      return absl::StrCat(status, status / 100 == 5 ? " Internal Error" : " Error");
  }
}

}  // namespace

void BulkDelete(http::Request& req, http::Response& res, const Target& account,
                ContainerController& containers, ObjectController& objects) {
  int deleted = 0, not_found = 0, status = 200;
  nlohmann::json errors = nlohmann::json::array();
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(req.body(), '\n', absl::SkipWhitespace())) {
    lines.push_back(http::PercentDecode(absl::StripAsciiWhitespace(line), false));
  }
  if (lines.size() > kMaxBulkDeletes) {
    status = 413;
    lines.clear();
  }
  for (const std::string& line : lines) {
    Target t{account.account};
    absl::string_view p = line;
    absl::ConsumePrefix(&p, "/");
    const size_t slash = p.find('/');
    t.container = std::string(p.substr(0, slash));
    if (slash != absl::string_view::npos) t.object = std::string(p.substr(slash + 1));
    if (t.container.empty() || (slash != absl::string_view::npos && t.object.empty())) {
      errors.push_back({line, "400 Bad Request"});
      continue;
    }
    http::Response one;
    if (t.object.empty()) {
      http::Request none;
      containers.DeleteContainer(none, one, t);
    } else {
      objects.DeleteOne(one, t);
    }
    if (one.status / 100 == 2) {
      ++deleted;
    } else if (one.status == 404) {
      ++not_found;
    } else {
      errors.push_back({line, StatusLine(one.status)});
    }
  }
  if (!errors.empty() && status == 200) status = 400;
  nlohmann::json out = {{"Number Deleted", deleted},
                        {"Number Not Found", not_found},
                        {"Response Status", StatusLine(status)},
                        {"Response Body", ""},
                        {"Errors", errors}};
  res.status = 200;
  if (absl::StrContains(req.Header("Accept"), "application/json")) {
    res.content_type = "application/json";
    res.body = out.dump();
    return;
  }
  res.content_type = "text/plain";
  res.body =
      absl::StrCat("Number Deleted: ", deleted, "\nNumber Not Found: ", not_found,
                   "\nResponse Body: \nResponse Status: ", StatusLine(status), "\nErrors:\n");
  for (const auto& e : errors) {
    absl::StrAppend(&res.body, e[0].get<std::string>(), ", ", e[1].get<std::string>(), "\n");
  }
}

}  // namespace gureum::object::proxy
