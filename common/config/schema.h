// The options a service understands: name, section, type, default, limits and help.
// A service declares its schema once in code (as oslo.config's register_opts does) and
// Config::Load checks every value in the files against it, so a typo'd number or an
// out-of-range port stops the service at start with one line that names the file, the
// option and the problem, instead of failing later in some code path.
#pragma once

#include <climits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace gureum::config {

enum class Type { kString, kSecret, kInt, kBool, kDouble, kDuration, kList };

struct Option {
  std::string section;
  std::string name;
  Type type = Type::kString;
  std::string default_value;  // in the same text form as the file ("" for none)
  std::string help;
  long long min = LLONG_MIN;  // kInt only
  long long max = LLONG_MAX;
  std::vector<std::string> choices;  // kString only; empty allows anything
  bool required = false;             // must be set in some file (no default)
};

// "section.name": how Schema and Config index an option.
std::string OptionKey(const std::string& section, const std::string& name);

// A set of options. Registering the same section/name twice with different types is a
// programming error and aborts.
class Schema {
 public:
  Schema& Add(Option option);

  // Shorthands for the common cases.
  Schema& String(const std::string& section, const std::string& name, const std::string& def,
                 const std::string& help);
  Schema& Secret(const std::string& section, const std::string& name, const std::string& help);
  Schema& Int(const std::string& section, const std::string& name, long long def, long long min,
              long long max, const std::string& help);
  Schema& Bool(const std::string& section, const std::string& name, bool def,
               const std::string& help);
  Schema& Double(const std::string& section, const std::string& name, double def,
                 const std::string& help);
  // Durations are written as Abseil durations ("30s", "5m", "1h30m") or plain seconds.
  Schema& Duration(const std::string& section, const std::string& name, const std::string& def,
                   const std::string& help);
  // Lists are comma-separated: "a, b,c".
  Schema& List(const std::string& section, const std::string& name, const std::string& def,
               const std::string& help);

  const Option* Find(const std::string& section, const std::string& name) const;
  const std::vector<Option>& options() const { return options_; }

  // Checks one value against its option; the error message says what is wrong with it
  // ("'abc' is not an integer", "70000 is above the maximum 65535").
  static absl::Status Validate(const Option& option, const std::string& value);

 private:
  std::vector<Option> options_;
  absl::flat_hash_map<std::string, size_t> index_;  // "section.name" -> options_ index
};

// The options every Gureum process reads ([DEFAULT] host, debug, log_dir, transport_url;
// [database] connection), added to `schema`.
void AddCommonOptions(Schema& schema);

}  // namespace gureum::config
