// Reads the fields of one JSON object from a request body, with the checks every API makes,
// in one idiom for every adapter:
//
//   http::JsonReader r(body["server"], "server");
//   r.String("name", &spec.name, {.required = true, .max_length = 255});
//   r.Int("min_count", &spec.min_count, 1, 1000);
//   r.Bool("enabled", &spec.enabled);
//   GUREUM_RETURN_IF_ERROR(r.Finish());
//
// Each accessor reads one field if it is present (absent leaves the output as it was and
// returns false), checks its JSON type and rule, and remembers the first problem. Finish()
// returns that problem as InvalidArgument (HTTP 400) naming the field, else, unless the
// object was declared open, 400 for fields no accessor read ("Unrecognized attribute(s)").
// Strings must be valid UTF-8 without NUL characters. Not thread-safe; borrows `object`.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace gureum::http {

struct StringRule {
  bool required = false;
  bool allow_empty = true;
  bool nullable = false;      // null reads as "" (String) or nullopt (OptionalString)
  size_t max_length = 65535;  // in characters (UTF-8 code points)
};

class JsonReader {
 public:
  // `what` names the object in messages ("server"); an object that is not a JSON object is
  // an error too. `open`: unknown fields are allowed (Finish does not reject them).
  JsonReader(const nlohmann::json& object, std::string what, bool open = false);

  bool Has(const char* field);
  bool String(const char* field, std::string* out, StringRule rule = {});
  bool OptionalString(const char* field, std::optional<std::string>* out, StringRule rule = {});
  bool StringList(const char* field, std::vector<std::string>* out, StringRule rule = {});
  // A JSON integer in [min, max]; `allow_string` also takes "12" (never "12abc" or "1.5").
  bool Int(const char* field, int64_t* out, int64_t min, int64_t max, bool allow_string = false);
  bool Int(const char* field, int* out, int min, int max, bool allow_string = false);
  // A JSON boolean; `allow_string` also takes the strings ParseBool (query.h) takes.
  bool Bool(const char* field, bool* out, bool allow_string = false);
  // Optional values: absent leaves *out as it was, null sets nullopt, anything else is read
  // and checked as by Int / Bool / StringList.
  bool OptionalInt(const char* field, std::optional<int64_t>* out, int64_t min, int64_t max,
                   bool allow_string = false);
  bool OptionalBool(const char* field, std::optional<bool>* out, bool allow_string = false);
  bool OptionalStringList(const char* field, std::optional<std::vector<std::string>>* out,
                          StringRule rule = {});
  // A nested object (or, `nullable`, null -> *out = nullptr).
  bool Object(const char* field, const nlohmann::json** out, bool nullable = false);
  bool Array(const char* field, const nlohmann::json** out);
  // Fields read by hand or accepted and ignored.
  void Known(std::initializer_list<const char*> fields);
  // Records a problem found by the caller (the first one wins).
  void Fail(const std::string& field, const std::string& expected);

  absl::Status Finish() const;

 private:
  const nlohmann::json* Get(const char* field, bool required);
  bool CheckString(const char* field, const std::string& s, const StringRule& rule);

  const nlohmann::json& object_;
  std::string what_;
  bool open_;
  std::set<std::string> seen_;
  absl::Status status_;
};

}  // namespace gureum::http
