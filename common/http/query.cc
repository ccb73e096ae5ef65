#include "common/http/query.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"

namespace gureum::http {
namespace {

// Percent-encodes a query component (RFC 3986 unreserved characters stay as they are).
std::string QueryEscape(absl::string_view in) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

absl::StatusOr<bool> ParseDirection(absl::string_view dir) {
  if (dir == "asc") return false;
  if (dir == "desc") return true;
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid sort direction '", dir.substr(0, 64), "': use asc or desc."));
}

absl::Status CheckSortKey(const std::string& key, const PageRules& rules) {
  if (std::find(rules.sort_keys.begin(), rules.sort_keys.end(), key) != rules.sort_keys.end()) {
    return absl::OkStatus();
  }
  if (rules.sort_keys.empty()) return absl::InvalidArgumentError("This list cannot be sorted.");
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid sort key '", key.substr(0, 64),
                   "': use one of: ", absl::StrJoin(rules.sort_keys, ", "), "."));
}

absl::StatusOr<std::vector<SortKey>> ReadSort(const Request& req, const PageRules& rules) {
  std::vector<SortKey> sort;
  if (auto compact = req.Query("sort")) {
    for (absl::string_view item : absl::StrSplit(*compact, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits(':', 1));
      GUREUM_RETURN_IF_ERROR(CheckSortKey(kv.first, rules));
      GUREUM_ASSIGN_OR_RETURN(
          bool desc, ParseDirection(kv.second.empty() ? rules.default_sort_dir : kv.second));
      sort.push_back({kv.first, desc});
    }
  }
  const std::vector<std::string> keys = QueryAll(req, "sort_key");
  const std::vector<std::string> dirs = QueryAll(req, "sort_dir");
  if (dirs.size() > std::max<size_t>(keys.size(), 1)) {
    return absl::InvalidArgumentError("More sort_dir than sort_key parameters.");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    GUREUM_RETURN_IF_ERROR(CheckSortKey(keys[i], rules));
    GUREUM_ASSIGN_OR_RETURN(bool desc,
                            ParseDirection(i < dirs.size() ? dirs[i] : rules.default_sort_dir));
    sort.push_back({keys[i], desc});
  }
  if (keys.empty() && dirs.size() == 1) {  // a direction for the default key
    GUREUM_RETURN_IF_ERROR(ParseDirection(dirs[0]).status());
  }
  return sort;
}

}  // namespace

absl::StatusOr<int64_t> ParseInteger(absl::string_view text, absl::string_view name, int64_t min,
                                     int64_t max) {
  // Digits only, with an optional minus: SimpleAtoi alone takes " 1" and "+1".
  absl::string_view digits = absl::StripPrefix(text, "-");
  const bool only_digits =
      !digits.empty() && std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit);
  int64_t n = 0;
  if (!only_digits || !absl::SimpleAtoi(text, &n) || n < min || n > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", name, "' must be an integer from ", min, " to ", max, "."));
  }
  return n;
}

absl::StatusOr<bool> ParseBool(absl::string_view text, absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (const char* word : {"true", "1", "yes", "on", "t", "y"}) {
    if (lower == word) return true;
  }
  for (const char* word : {"false", "0", "no", "off", "f", "n"}) {
    if (lower == word) return false;
  }
  return absl::InvalidArgumentError(absl::StrCat("'", name, "' must be true or false."));
}

absl::StatusOr<std::optional<int64_t>> QueryInteger(const Request& req, const std::string& name,
                                                    int64_t min, int64_t max) {
  std::optional<std::string> v = req.Query(name);
  if (!v) return std::optional<int64_t>();
  GUREUM_ASSIGN_OR_RETURN(int64_t n, ParseInteger(*v, name, min, max));
  return std::optional<int64_t>(n);
}

absl::StatusOr<std::optional<bool>> QueryBool(const Request& req, const std::string& name) {
  std::optional<std::string> v = req.Query(name);
  if (!v) return std::optional<bool>();
  GUREUM_ASSIGN_OR_RETURN(bool b, ParseBool(*v, name));
  return std::optional<bool>(b);
}

std::vector<std::string> QueryAll(const Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto [lo, hi] = req.query.equal_range(name);
  for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  return out;
}

absl::StatusOr<PageRequest> ReadPage(const Request& req, const PageRules& rules) {
  PageRequest page;
  GUREUM_ASSIGN_OR_RETURN(std::optional<int64_t> limit,
                          QueryInteger(req, "limit", 0, rules.max_limit));
  page.limit = limit.value_or(0);
  page.marker = req.Query("marker").value_or("");
  GUREUM_ASSIGN_OR_RETURN(page.sort, ReadSort(req, rules));
  return page;
}

std::string NextLink(absl::string_view path, const Request& req, absl::string_view marker) {
  std::string out(path);
  char sep = '?';
  for (const auto& [key, value] : req.query) {
    if (key == "marker") continue;
    absl::StrAppend(&out, std::string(1, sep), QueryEscape(key), "=", QueryEscape(value));
    sep = '&';
  }
  absl::StrAppend(&out, std::string(1, sep), "marker=", QueryEscape(marker));
  return out;
}

}  // namespace gureum::http
