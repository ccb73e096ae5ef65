#include "common/http/router.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gureum::http {
namespace {

// "/a/b/" and "/a/b" both give {"a", "b"}: clients add a trailing slash to versioned
// roots ("/v3/"). Empty segments inside the path are kept, so "/a//b" is not "/a/b".
std::vector<absl::string_view> SplitPath(absl::string_view path) {
  std::vector<absl::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  for (absl::string_view s : absl::StrSplit(path, '/')) out.push_back(s);
  return out;
}

bool SegmentsMatch(const RouteEntry& route, const std::vector<absl::string_view>& parts) {
  if (route.segments.size() != parts.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const RouteEntry::Segment& s = route.segments[i];
    if (s.is_param ? parts[i].empty() : parts[i] != s.text) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler handler,
                 RouteOptions options) {
  auto entry = std::make_unique<RouteEntry>();
  entry->method = method;
  entry->pattern = pattern;
  entry->handler = std::move(handler);
  entry->options = options;
  for (absl::string_view part : SplitPath(pattern)) {
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      entry->segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      entry->segments.push_back({std::string(part), false});
    }
  }
  routes_.push_back(std::move(entry));
}

Router::Match Router::Find(absl::string_view method, absl::string_view path,
                           absl::flat_hash_map<std::string, std::string>& params) const {
  Match match;
  const absl::string_view wanted = method == "HEAD" ? absl::string_view("GET") : method;
  std::vector<absl::string_view> parts = SplitPath(path);
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (!SegmentsMatch(*route, parts)) continue;
    match.path_known = true;
    if (route->method != wanted) {
      allowed.push_back(route->method);
      if (route->method == "GET") allowed.push_back("HEAD");
      continue;
    }
    match.route = route.get();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (route->segments[i].is_param) params[route->segments[i].text] = std::string(parts[i]);
    }
    return match;
  }
  match.allow = absl::StrJoin(allowed, ", ");
  return match;
}

std::string PercentDecode(absl::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size() + 0 && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void ParseQuery(absl::string_view query, std::multimap<std::string, std::string>& out) {
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    size_t eq = pair.find('=');
    absl::string_view key = pair.substr(0, eq);
    absl::string_view value = eq == absl::string_view::npos ? "" : pair.substr(eq + 1);
    out.emplace(PercentDecode(key, true), PercentDecode(value, true));
  }
}

}  // namespace gureum::http
