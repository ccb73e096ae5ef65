// Route table and request-target parsing for common/http's server: patterns with named
// parameters ("/v3/projects/{project_id}") matched segment by segment (no regex), a
// trailing slash tolerated, percent-decoding of the path and the query, and the UTF-8
// check every decoded path passes before routing. Independent of the HTTP library.
// Not thread-safe to modify; Match is safe to call from many threads once built.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/http/request.h"

namespace gureum::http {

using Handler = std::function<void(Request&, Response&)>;

struct RouteOptions {
  bool stream_body = false;  // the handler reads the body with Request::ReadBody
};

struct RouteEntry {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  // One per segment: the literal text, or the parameter name when is_param.
  struct Segment {
    std::string text;
    bool is_param = false;
  };
  std::vector<Segment> segments;
};

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler,
           RouteOptions options);

  struct Match {
    const RouteEntry* route = nullptr;  // null: no route for this path and method
    bool path_known = false;            // some route has this path (then 405, not 404)
    std::string allow;                  // methods of that path, for the Allow header
  };
  // `path` is percent-decoded. HEAD matches GET routes. On a match, fills `params`.
  Match Find(absl::string_view method, absl::string_view path,
             absl::flat_hash_map<std::string, std::string>& params) const;

 private:
  std::vector<std::unique_ptr<RouteEntry>> routes_;
};

// Decodes %XX escapes (an invalid escape stays as it is); `plus_is_space` for queries.
std::string PercentDecode(absl::string_view in, bool plus_is_space);
// Splits "a=1&b=x%20y" into decoded pairs.
void ParseQuery(absl::string_view query, std::multimap<std::string, std::string>& out);

}  // namespace gureum::http
