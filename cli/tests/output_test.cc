#include "cli/output.h"

#include <sstream>

#include <catch2/catch.hpp>

namespace gureum::cli {
namespace {

using nlohmann::json;

TEST_CASE("lists print as an aligned table, as json and as values") {
  std::vector<json> rows = {{{"ID", "1"}, {"Name", "alpha"}, {"Enabled", true}},
                            {{"ID", "22"}, {"Name", "b"}, {"Enabled", false}}};
  std::ostringstream table;
  PrintList(table, Format::kTable, {"ID", "Name", "Enabled"}, rows, {});
  REQUIRE(table.str() ==
          "+----+-------+---------+\n"
          "| ID | Name  | Enabled |\n"
          "+----+-------+---------+\n"
          "| 1  | alpha | true    |\n"
          "| 22 | b     | false   |\n"
          "+----+-------+---------+\n");

  std::ostringstream value;
  PrintList(value, Format::kValue, {"ID", "Name", "Enabled"}, rows, {"Name", "ID"});
  REQUIRE(value.str() == "alpha 1\nb 22\n");

  std::ostringstream js;
  PrintList(js, Format::kJson, {"ID", "Name", "Enabled"}, rows, {"ID"});
  REQUIRE(json::parse(js.str()) == json::parse(R"([{"ID":"1"},{"ID":"22"}])"));
}

TEST_CASE("show prints Field/Value pairs") {
  json obj = {{"id", "p1"}, {"name", "demo"}, {"tags", {"a", "b"}}, {"parent_id", nullptr}};
  std::ostringstream table;
  PrintShow(table, Format::kTable, {"id", "name", "parent_id", "tags"}, obj, {});
  REQUIRE(table.str() ==
          "+-----------+-------+\n"
          "| Field     | Value |\n"
          "+-----------+-------+\n"
          "| id        | p1    |\n"
          "| name      | demo  |\n"
          "| parent_id |       |\n"
          "| tags      | a, b  |\n"
          "+-----------+-------+\n");
  std::ostringstream value;
  PrintShow(value, Format::kValue, {"id", "name"}, obj, {"id"});
  REQUIRE(value.str() == "p1\n");
}

TEST_CASE("multi-line cells keep the table aligned") {
  std::ostringstream out;
  PrintShow(out, Format::kTable, {"k"}, {{"k", "line one\nl2"}}, {});
  REQUIRE(out.str() ==
          "+-------+----------+\n"
          "| Field | Value    |\n"
          "+-------+----------+\n"
          "| k     | line one |\n"
          "|       | l2       |\n"
          "+-------+----------+\n");
}

TEST_CASE("unknown formats are refused with the choices") {
  Format f;
  REQUIRE(ParseFormat("json", &f).ok());
  REQUIRE(f == Format::kJson);
  absl::Status s = ParseFormat("yaml", &f);
  REQUIRE_FALSE(s.ok());
  REQUIRE_THAT(std::string(s.message()), Catch::Contains("use table, json or value"));
}

}  // namespace
}  // namespace gureum::cli
