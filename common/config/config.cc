#include "common/config/config.h"

#include <ini.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"

namespace gureum::config {
namespace {

struct ParseState {
  const std::string* origin;
  absl::Status* first_error;
  std::function<absl::Status(const std::string&, const std::string&, std::string, std::string)> set;
};

// inih callback, called once per name = value. Debian builds inih without
// INI_HANDLER_LINENO, so value errors name the file and option but not the line.
int OnValue(void* user, const char* section, const char* name, const char* value) {
  auto* state = static_cast<ParseState*>(user);
  std::string sec = section[0] == '\0' ? "DEFAULT" : section;
  absl::Status s = state->set(sec, name, value, *state->origin);
  if (!s.ok() && state->first_error->ok()) *state->first_error = s;
  return 1;  // keep going; the first error is reported
}

}  // namespace

absl::Status Config::Set(const std::string& section, const std::string& name, std::string text,
                         std::string origin) {
  const Option* option = schema_->Find(section, name);
  if (option == nullptr) return absl::OkStatus();  // another service's option
  absl::Status valid = Schema::Validate(*option, text);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": [", section, "] ", name, ": ", valid.message()));
  }
  values_[OptionKey(section, name)] = Value{std::move(text), std::move(origin)};
  return absl::OkStatus();
}

absl::Status Config::ParseInto(Config& config, const std::string& origin, const char* path,
                               const std::string* text) {
  absl::Status first_error;
  ParseState state{
      &origin, &first_error,
      [&config](const std::string& s, const std::string& n, std::string v, std::string o) {
        return config.Set(s, n, std::move(v), std::move(o));
      }};
  int rc = path != nullptr ? ini_parse(path, &OnValue, &state)
                           : ini_parse_string(text->c_str(), &OnValue, &state);
  if (rc == -1) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": cannot open: ", std::strerror(errno)));
  }
  if (rc == -2) return absl::ResourceExhaustedError(absl::StrCat(origin, ": out of memory"));
  if (rc > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ":", rc, ": syntax error (expected [section] or name = value)"));
  }
  return first_error;
}

absl::Status Config::CheckRequired() const {
  for (const Option& o : schema_->options()) {
    if (o.required && !IsSet(o.section, o.name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "[", o.section, "] ", o.name, " is required but not set in any config file"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Config> Config::Load(const Schema& schema, const std::vector<std::string>& files) {
  Config config(&schema);
  for (const std::string& file : files) {
    GUREUM_RETURN_IF_ERROR(ParseInto(config, file, file.c_str(), nullptr));
  }
  GUREUM_RETURN_IF_ERROR(config.CheckRequired());
  return config;
}

absl::StatusOr<Config> Config::LoadFromString(const Schema& schema, const std::string& text,
                                              const std::string& origin) {
  Config config(&schema);
  GUREUM_RETURN_IF_ERROR(ParseInto(config, origin, nullptr, &text));
  GUREUM_RETURN_IF_ERROR(config.CheckRequired());
  return config;
}

const std::string& Config::Raw(const std::string& section, const std::string& name,
                               Type type) const {
  const Option* option = schema_->Find(section, name);
  if (option == nullptr || option->type != type) {
    std::fprintf(stderr, "config option [%s] %s read with the wrong type or not declared\n",
                 section.c_str(), name.c_str());
    std::abort();
  }
  auto it = values_.find(OptionKey(section, name));
  return it == values_.end() ? option->default_value : it->second.text;
}

std::string Config::GetString(const std::string& section, const std::string& name) const {
  const Option* option = schema_->Find(section, name);
  return Raw(section, name,
             option && option->type == Type::kSecret ? Type::kSecret : Type::kString);
}

long long Config::GetInt(const std::string& section, const std::string& name) const {
  long long v = 0;
  (void)absl::SimpleAtoi(Raw(section, name, Type::kInt), &v);  // validated at load
  return v;
}

bool Config::GetBool(const std::string& section, const std::string& name) const {
  bool v = false;
  (void)absl::SimpleAtob(Raw(section, name, Type::kBool), &v);
  return v;
}

double Config::GetDouble(const std::string& section, const std::string& name) const {
  double v = 0;
  (void)absl::SimpleAtod(Raw(section, name, Type::kDouble), &v);
  return v;
}

absl::Duration Config::GetDuration(const std::string& section, const std::string& name) const {
  const std::string& text = Raw(section, name, Type::kDuration);
  long long seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) return absl::Seconds(seconds);
  absl::Duration d;
  (void)absl::ParseDuration(text, &d);
  return d;
}

std::vector<std::string> Config::GetList(const std::string& section,
                                         const std::string& name) const {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(Raw(section, name, Type::kList), ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

bool Config::IsSet(const std::string& section, const std::string& name) const {
  return values_.contains(OptionKey(section, name));
}

std::string Config::Origin(const std::string& section, const std::string& name) const {
  auto it = values_.find(OptionKey(section, name));
  return it == values_.end() ? "default" : it->second.origin;
}

std::vector<std::string> ConfigFilesOrDefault(const std::vector<std::string>& given) {
  if (!given.empty()) return given;
  return {kDefaultConfigFile};
}

}  // namespace gureum::config
