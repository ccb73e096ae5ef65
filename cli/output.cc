#include "cli/output.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gureum::cli {
namespace {

std::vector<std::string> Select(const std::vector<std::string>& all,
                                const std::vector<std::string>& columns) {
  if (columns.empty()) return all;
  std::vector<std::string> out;
  for (const std::string& c : columns) {
    if (std::find(all.begin(), all.end(), c) != all.end()) out.push_back(c);
  }
  return out;
}

// Width of a cell's longest line (cells may hold newlines).
size_t Width(const std::string& cell) {
  size_t w = 0;
  for (absl::string_view line : absl::StrSplit(cell, '\n')) w = std::max(w, line.size());
  return w;
}

void PrintTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const std::string& h : headers) widths.push_back(h.size());
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Width(row[i]));
  }
  std::string rule = "+";
  for (size_t w : widths) rule += std::string(w + 2, '-') + "+";
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> lines;
    size_t height = 1;
    for (const std::string& c : cells) {
      lines.push_back(absl::StrSplit(c, '\n'));
      height = std::max(height, lines.back().size());
    }
    for (size_t l = 0; l < height; ++l) {
      out << "|";
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string text = l < lines[i].size() ? lines[i][l] : "";
        out << " " << text << std::string(widths[i] - text.size(), ' ') << " |";
      }
      out << "\n";
    }
  };
  out << rule << "\n";
  print_row(headers);
  out << rule << "\n";
  for (const auto& row : rows) print_row(row);
  out << rule << "\n";
}

}  // namespace

absl::Status ParseFormat(const std::string& text, Format* out) {
  if (text == "table") {
    *out = Format::kTable;
  } else if (text == "json") {
    *out = Format::kJson;
  } else if (text == "value") {
    *out = Format::kValue;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown output format '", text, "' (use table, json or value)"));
  }
  return absl::OkStatus();
}

std::string CellText(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::vector<std::string> parts;
    for (const auto& v : value) parts.push_back(CellText(v));
    return absl::StrJoin(parts, ", ");
  }
  return value.dump();
}

void PrintList(std::ostream& out, Format format, const std::vector<std::string>& headers,
               const std::vector<nlohmann::json>& rows, const std::vector<std::string>& columns) {
  std::vector<std::string> cols = Select(headers, columns);
  if (format == Format::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : rows) {
      nlohmann::json o = nlohmann::json::object();
      for (const std::string& c : cols) o[c] = row.contains(c) ? row[c] : nlohmann::json();
      list.push_back(std::move(o));
    }
    out << list.dump(2) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> r;
    for (const std::string& c : cols) r.push_back(row.contains(c) ? CellText(row[c]) : "");
    cells.push_back(std::move(r));
  }
  if (format == Format::kValue) {
    for (const auto& r : cells) out << absl::StrJoin(r, " ") << "\n";
    return;
  }
  PrintTable(out, cols, cells);
}

void PrintShow(std::ostream& out, Format format, const std::vector<std::string>& fields,
               const nlohmann::json& object, const std::vector<std::string>& columns) {
  std::vector<std::string> cols = Select(fields, columns);
  if (format == Format::kJson) {
    nlohmann::json o = nlohmann::json::object();
    for (const std::string& c : cols) o[c] = object.contains(c) ? object[c] : nlohmann::json();
    out << o.dump(2) << "\n";
    return;
  }
  if (format == Format::kValue) {
    for (const std::string& c : cols)
      out << (object.contains(c) ? CellText(object[c]) : "") << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const std::string& c : cols) {
    rows.push_back({c, object.contains(c) ? CellText(object[c]) : ""});
  }
  PrintTable(out, {"Field", "Value"}, rows);
}

}  // namespace gureum::cli
