#include "common/db/row.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gureum::db {
namespace {

// PostgreSQL's text form of a timestamptz in a UTC session with DateStyle ISO:
// "2024-05-06 07:08:09.123456+00" (fraction present only when non-zero).
constexpr char kTimeFormat[] = "%Y-%m-%d %H:%M:%E*S";

[[noreturn]] void Die(const std::string& message) {
  // A disagreement between a query and the code that reads it: crash loudly (see row.h).
  std::fprintf(stderr, "gureum::db::Row: %s\n", message.c_str());
  std::abort();
}

[[noreturn]] void BadValue(const std::string& column, const char* type, const std::string& text) {
  // The text is not logged: the column may hold something secret.
  Die(absl::StrCat("column \"", column, "\" (", text.size(), " bytes) is not a valid ", type));
}

}  // namespace

Param::Param(int value) : text_(absl::StrCat(value)) {}
Param::Param(int64_t value) : text_(absl::StrCat(value)) {}
Param::Param(bool value) : text_(value ? "true" : "false") {}
Param::Param(double value) : text_(absl::StrFormat("%.17g", value)) {}
Param::Param(absl::Time value)
    : text_(absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%E6S", value, absl::UTCTimeZone()),
                         "+00")) {}

Row::Row(std::shared_ptr<const std::vector<std::string>> columns,
         std::vector<std::optional<std::string>> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const std::optional<std::string>& Row::Text(const std::string& column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return values_[i];
  }
  Die(absl::StrCat("no column \"", column, "\" in the result"));
}

void Row::NullColumn(const std::string& column) {
  Die(absl::StrCat("column \"", column, "\" is NULL; read it as std::optional"));
}

template <>
std::string Row::Parse<std::string>(const std::string& text, const std::string&) {
  return text;
}

template <>
int Row::Parse<int>(const std::string& text, const std::string& column) {
  int v = 0;
  if (!absl::SimpleAtoi(text, &v)) BadValue(column, "int", text);
  return v;
}

template <>
int64_t Row::Parse<int64_t>(const std::string& text, const std::string& column) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v)) BadValue(column, "int64", text);
  return v;
}

template <>
bool Row::Parse<bool>(const std::string& text, const std::string& column) {
  if (text == "t" || text == "true") return true;
  if (text == "f" || text == "false") return false;
  BadValue(column, "bool", text);
}

template <>
double Row::Parse<double>(const std::string& text, const std::string& column) {
  double v = 0;
  if (!absl::SimpleAtod(text, &v)) BadValue(column, "double", text);
  return v;
}

template <>
absl::Time Row::Parse<absl::Time>(const std::string& text, const std::string& column) {
  // Accept only UTC ("+00"): the pool pins every session's TimeZone to UTC, so any
  // other offset means the session was changed behind our back.
  std::string body = text;
  if (body.size() < 3 || body.compare(body.size() - 3, 3, "+00") != 0) {
    BadValue(column, "UTC timestamptz", text);
  }
  body.resize(body.size() - 3);
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(kTimeFormat, body, absl::UTCTimeZone(), &t, &err)) {
    BadValue(column, "timestamptz", text);
  }
  return t;
}

Rows::Rows(std::vector<std::string> columns,
           std::vector<std::vector<std::optional<std::string>>> values, int64_t affected)
    : affected_(affected) {
  auto shared = std::make_shared<const std::vector<std::string>>(std::move(columns));
  rows_.reserve(values.size());
  for (auto& v : values) rows_.emplace_back(shared, std::move(v));
}

}  // namespace gureum::db
