// Query strings, read strictly and the same way in every API: integers that are integers
// ("12abc", "1.5", "" and out-of-range values are 400, naming the parameter), booleans,
// and the pagination every list shares (limit, marker, sort_key/sort_dir, the "next" link).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/http/request.h"

namespace gureum::http {

// `text` as a base-10 integer in [min, max]; InvalidArgument naming `name` otherwise.
absl::StatusOr<int64_t> ParseInteger(absl::string_view text, absl::string_view name, int64_t min,
                                     int64_t max);
// The words OpenStack's services take (oslo strutils): true/false, 1/0, yes/no, on/off, t/f,
// y/n, in any case; InvalidArgument naming `name` otherwise.
absl::StatusOr<bool> ParseBool(absl::string_view text, absl::string_view name);

// The query parameter `name` read with ParseInteger / ParseBool; nullopt when absent.
absl::StatusOr<std::optional<int64_t>> QueryInteger(const Request& req, const std::string& name,
                                                    int64_t min, int64_t max);
absl::StatusOr<std::optional<bool>> QueryBool(const Request& req, const std::string& name);
// Every value of a repeated parameter (?tag=a&tag=b), in order.
std::vector<std::string> QueryAll(const Request& req, const std::string& name);

struct SortKey {
  std::string key;
  bool descending = false;
};

// A list request's page: at most `limit` items (0: the API's default) after `marker`.
struct PageRequest {
  int64_t limit = 0;
  std::string marker;
  std::vector<SortKey> sort;  // in order of precedence; empty: the API's default order
};

struct PageRules {
  int64_t max_limit = 1000000;
  // Allowed sort keys; empty: sorting is not offered and sort_key is 400.
  std::vector<std::string> sort_keys;
  std::string default_sort_dir = "asc";
};

// Reads limit, marker and the sort parameters: repeated sort_key/sort_dir pairs (Nova,
// Neutron, Cinder; a missing sort_dir takes default_sort_dir) or the comma form
// sort=name:asc,created_at:desc (Glance, Keystone). Unknown keys and directions are 400.
absl::StatusOr<PageRequest> ReadPage(const Request& req, const PageRules& rules = {});

// The "next" link of a page: `path` (e.g. base + "/v2.1/servers/detail") with the request's
// query, its marker replaced by `marker`.
std::string NextLink(absl::string_view path, const Request& req, absl::string_view marker);

}  // namespace gureum::http
