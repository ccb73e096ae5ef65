// The values that go into and come out of SQL statements, in our own types, so stores
// never see libpqxx. Everything travels in PostgreSQL's text format: a Param holds the
// text of one $n parameter (or NULL), a Row holds the text of each column.
//
//   GUREUM_ASSIGN_OR_RETURN(Rows rows, tx.Exec("SELECT id, name, deleted_at FROM t "
//                                              "WHERE project_id = $1", {project_id}));
//   for (const Row& row : rows) {
//     std::string id = row.Get<std::string>("id");
//     std::optional<absl::Time> deleted = row.Get<std::optional<absl::Time>>("deleted_at");
//   }
//
// Get<T> supports std::string, int, int64_t, bool, double, absl::Time (timestamptz; the
// pool sets every session's time zone to UTC) and std::optional of each (NULL ->
// nullopt). A missing column, a NULL read as a non-optional or text that does not parse
// as T means the query and the code disagree: that is a bug, so Get aborts the process
// with the column's name rather than returning an error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/status/macros.h"

namespace gureum::db {

// One statement parameter. The constructors are implicit on purpose, so that a
// parameter list reads `{id, name, 42, std::nullopt}`.
class Param {
 public:
  Param(std::string text) : text_(std::move(text)) {}    // NOLINT(google-explicit-constructor)
  Param(const char* text) : text_(std::string(text)) {}  // NOLINT
  Param(int value);                                      // NOLINT
  Param(int64_t value);                                  // NOLINT
  Param(bool value);                                     // NOLINT
  Param(double value);                                   // NOLINT
  Param(absl::Time value);                               // NOLINT
  Param(std::nullopt_t) {}                               // NOLINT
  template <typename T>
  Param(const std::optional<T>& value) {  // NOLINT
    if (value.has_value()) *this = Param(*value);
  }

  // The text sent to the server; nullopt is SQL NULL.
  const std::optional<std::string>& text() const { return text_; }

 private:
  std::optional<std::string> text_;
};

using Params = std::vector<Param>;

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns,
      std::vector<std::optional<std::string>> values);

  template <typename T>
  T Get(const std::string& column) const {
    if constexpr (IsOptional<T>::value) {
      const std::optional<std::string>& text = Text(column);
      if (!text.has_value()) return std::nullopt;
      return Parse<typename T::value_type>(*text, column);
    } else {
      const std::optional<std::string>& text = Text(column);
      if (!text.has_value()) NullColumn(column);
      return Parse<T>(*text, column);
    }
  }

  bool IsNull(const std::string& column) const { return !Text(column).has_value(); }

  // The raw text of `column` (nullopt for NULL). Aborts if there is no such column.
  const std::optional<std::string>& Text(const std::string& column) const;

 private:
  template <typename T>
  struct IsOptional : std::false_type {};
  template <typename T>
  struct IsOptional<std::optional<T>> : std::true_type {};

  template <typename T>
  static T Parse(const std::string& text, const std::string& column);
  [[noreturn]] static void NullColumn(const std::string& column);

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<std::optional<std::string>> values_;
};

template <>
std::string Row::Parse<std::string>(const std::string& text, const std::string& column);
template <>
int Row::Parse<int>(const std::string& text, const std::string& column);
template <>
int64_t Row::Parse<int64_t>(const std::string& text, const std::string& column);
template <>
bool Row::Parse<bool>(const std::string& text, const std::string& column);
template <>
double Row::Parse<double>(const std::string& text, const std::string& column);
template <>
absl::Time Row::Parse<absl::Time>(const std::string& text, const std::string& column);

// The result of one statement: its rows and, for INSERT/UPDATE/DELETE, how many rows it
// touched.
class Rows {
 public:
  Rows() = default;
  // Public so that tests and fakes can build results without a server.
  Rows(std::vector<std::string> columns,
       std::vector<std::vector<std::optional<std::string>>> values, int64_t affected);

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }
  int64_t affected() const { return affected_; }

 private:
  std::vector<Row> rows_;
  int64_t affected_ = 0;
};

}  // namespace gureum::db
