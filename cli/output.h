// Output of the gureum CLI in the three formats the openstack CLI offers (-f table|json|
// value), so scripts written for one work with the other:
//   table  an ASCII table, as cliff prints it (Field/Value for one object)
//   json   pretty JSON (an object for show, a list of objects for list)
//   value  values only, space-separated, one row per line
// `columns` (-c) selects and orders columns; empty means all.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace gureum::cli {

enum class Format { kTable, kJson, kValue };

absl::Status ParseFormat(const std::string& text, Format* out);

// A list: each row an object with the same keys; `headers` gives the column order.
void PrintList(std::ostream& out, Format format, const std::vector<std::string>& headers,
               const std::vector<nlohmann::json>& rows, const std::vector<std::string>& columns);

// One object, shown as Field/Value pairs in the order of `fields`.
void PrintShow(std::ostream& out, Format format, const std::vector<std::string>& fields,
               const nlohmann::json& object, const std::vector<std::string>& columns);

// A JSON value as a table cell: strings bare, null empty, lists comma-separated,
// objects as compact JSON.
std::string CellText(const nlohmann::json& value);

}  // namespace gureum::cli
