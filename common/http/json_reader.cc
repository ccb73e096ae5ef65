#include "common/http/json_reader.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/http/query.h"
#include "common/validate/validate.h"

namespace gureum::http {
namespace {

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

JsonReader::JsonReader(const nlohmann::json& object, std::string what, bool open)
    : object_(object), what_(std::move(what)), open_(open) {
  if (!object_.is_object()) {
    status_ = absl::InvalidArgumentError(absl::StrCat("'", what_, "' must be a JSON object."));
  }
}

void JsonReader::Fail(const std::string& field, const std::string& expected) {
  if (!status_.ok()) return;
  status_ = absl::InvalidArgumentError(absl::StrCat(
      "Invalid input for field '", field.substr(0, 64), "' of '", what_, "': ", expected, "."));
}

const nlohmann::json* JsonReader::Get(const char* field, bool required) {
  seen_.insert(field);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) Fail(field, "it is required");
    return nullptr;
  }
  return &*it;
}

bool JsonReader::Has(const char* field) { return Get(field, false) != nullptr; }

bool JsonReader::CheckString(const char* field, const std::string& s, const StringRule& rule) {
  if (!IsValidUtf8(s)) return Fail(field, "must be valid UTF-8"), false;
  if (s.find('\0') != std::string::npos) return Fail(field, "must not contain NUL"), false;
  if (!rule.allow_empty && s.empty()) return Fail(field, "must not be empty"), false;
  if (CodePoints(s) > rule.max_length) {
    return Fail(field, absl::StrCat("must be at most ", rule.max_length, " characters")), false;
  }
  return true;
}

bool JsonReader::String(const char* field, std::string* out, StringRule rule) {
  const nlohmann::json* v = Get(field, rule.required);
  if (v == nullptr) return false;
  if (v->is_null() && rule.nullable) {
    out->clear();
    return true;
  }
  if (!v->is_string()) return Fail(field, "must be a string"), false;
  const std::string& s = v->get_ref<const std::string&>();
  if (!CheckString(field, s, rule)) return false;
  *out = s;
  return true;
}

bool JsonReader::OptionalString(const char* field, std::optional<std::string>* out,
                                StringRule rule) {
  const nlohmann::json* v = Get(field, rule.required);
  if (v == nullptr) return false;
  if (v->is_null() && rule.nullable) {
    out->reset();
    return true;
  }
  std::string s;
  rule.required = false;
  if (!String(field, &s, rule)) return false;
  *out = std::move(s);
  return true;
}

bool JsonReader::StringList(const char* field, std::vector<std::string>* out, StringRule rule) {
  const nlohmann::json* v = Get(field, rule.required);
  if (v == nullptr) return false;
  if (!v->is_array()) return Fail(field, "must be a list of strings"), false;
  std::vector<std::string> list;
  for (const nlohmann::json& item : *v) {
    if (!item.is_string()) return Fail(field, "must be a list of strings"), false;
    if (!CheckString(field, item.get_ref<const std::string&>(), rule)) return false;
    list.push_back(item.get<std::string>());
  }
  *out = std::move(list);
  return true;
}

bool JsonReader::Int(const char* field, int64_t* out, int64_t min, int64_t max, bool allow_string) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  int64_t n = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return Fail(field, absl::StrCat("must be an integer from ", min, " to ", max)), false;
    }
    n = v->get<int64_t>();
  } else if (allow_string && v->is_string()) {
    absl::StatusOr<int64_t> parsed =
        ParseInteger(v->get_ref<const std::string&>(), field, min, max);
    if (!parsed.ok()) {
      return Fail(field, absl::StrCat("must be an integer from ", min, " to ", max)), false;
    }
    n = *parsed;
  } else {
    return Fail(field, absl::StrCat("must be an integer from ", min, " to ", max)), false;
  }
  if (n < min || n > max) {
    return Fail(field, absl::StrCat("must be an integer from ", min, " to ", max)), false;
  }
  *out = n;
  return true;
}

bool JsonReader::Int(const char* field, int* out, int min, int max, bool allow_string) {
  int64_t n = 0;
  if (!Int(field, &n, min, max, allow_string)) return false;
  *out = static_cast<int>(n);
  return true;
}

bool JsonReader::Bool(const char* field, bool* out, bool allow_string) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (v->is_boolean()) {
    *out = v->get<bool>();
    return true;
  }
  if (allow_string && v->is_string()) {
    absl::StatusOr<bool> parsed = ParseBool(v->get_ref<const std::string&>(), field);
    if (parsed.ok()) {
      *out = *parsed;
      return true;
    }
  }
  return Fail(field, "must be a boolean"), false;
}

bool JsonReader::OptionalInt(const char* field, std::optional<int64_t>* out, int64_t min,
                             int64_t max, bool allow_string) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (v->is_null()) {
    out->reset();
    return true;
  }
  int64_t n = 0;
  if (!Int(field, &n, min, max, allow_string)) return false;
  *out = n;
  return true;
}

bool JsonReader::OptionalBool(const char* field, std::optional<bool>* out, bool allow_string) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (v->is_null()) {
    out->reset();
    return true;
  }
  bool b = false;
  if (!Bool(field, &b, allow_string)) return false;
  *out = b;
  return true;
}

bool JsonReader::OptionalStringList(const char* field, std::optional<std::vector<std::string>>* out,
                                    StringRule rule) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (v->is_null()) {
    out->reset();
    return true;
  }
  std::vector<std::string> list;
  rule.required = false;
  if (!StringList(field, &list, rule)) return false;
  *out = std::move(list);
  return true;
}

bool JsonReader::Object(const char* field, const nlohmann::json** out, bool nullable) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (v->is_null() && nullable) {
    *out = nullptr;
    return true;
  }
  if (!v->is_object()) return Fail(field, "must be an object"), false;
  *out = v;
  return true;
}

bool JsonReader::Array(const char* field, const nlohmann::json** out) {
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return false;
  if (!v->is_array()) return Fail(field, "must be a list"), false;
  *out = v;
  return true;
}

void JsonReader::Known(std::initializer_list<const char*> fields) {
  for (const char* f : fields) seen_.insert(f);
}

absl::Status JsonReader::Finish() const {
  if (!status_.ok() || open_) return status_;
  std::string unknown;
  int n = 0;
  for (const auto& [key, value] : object_.items()) {
    if (seen_.count(key)) continue;
    if (n++ < 5) absl::StrAppend(&unknown, unknown.empty() ? "" : ", ", key.substr(0, 64));
  }
  if (n > 5) absl::StrAppend(&unknown, " and ", n - 5, " more");
  if (n > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Unrecognized attribute(s) '", unknown, "' in '", what_, "'."));
  }
  return absl::OkStatus();
}

}  // namespace gureum::http
