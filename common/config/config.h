// Configuration in the style of oslo.config: INI files (/etc/gureum/gureum.conf by
// default, or every --config-file given, later files overriding earlier ones) with a
// [DEFAULT] section and one section per service, checked against a Schema.
//
//   config::Schema schema;
//   config::AddCommonOptions(schema);
//   schema.Int("identity", "rest_port", 5000, 1, 65535, "Keystone v3 REST port.");
//   absl::StatusOr<config::Config> cfg = config::Config::Load(schema, files);
//   if (!cfg.ok()) { std::cerr << cfg.status().message() << "\n"; return 1; }
//   int port = cfg->GetInt("identity", "rest_port");
//
// A bad value fails Load with one line: "/etc/gureum/gureum.conf: [identity] rest_port:
// 'abc' is not an integer". Options in the files that the schema does not know are
// ignored (other services' options share the file), but a known option with a bad value
// is always an error, whichever service reads it. Config is immutable and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/schema.h"

namespace gureum::config {

inline constexpr char kDefaultConfigFile[] = "/etc/gureum/gureum.conf";

class Config {
 public:
  // Reads and checks `files` in order. A missing or unreadable file is an error; so is an
  // INI syntax error (reported with its line number) and a required option left unset.
  static absl::StatusOr<Config> Load(const Schema& schema, const std::vector<std::string>& files);

  // The same, from text held in memory; `origin` names it in error messages.
  static absl::StatusOr<Config> LoadFromString(const Schema& schema, const std::string& text,
                                               const std::string& origin = "<string>");

  // Typed getters. Asking for an option the schema does not declare, or with the wrong
  // type, is a programming error and aborts.
  std::string GetString(const std::string& section, const std::string& name) const;
  long long GetInt(const std::string& section, const std::string& name) const;
  bool GetBool(const std::string& section, const std::string& name) const;
  double GetDouble(const std::string& section, const std::string& name) const;
  absl::Duration GetDuration(const std::string& section, const std::string& name) const;
  std::vector<std::string> GetList(const std::string& section, const std::string& name) const;

  // True if a file set the option (rather than the schema's default applying).
  bool IsSet(const std::string& section, const std::string& name) const;

  // Which file the value came from, or "default".
  std::string Origin(const std::string& section, const std::string& name) const;

 private:
  struct Value {
    std::string text;
    std::string origin;
  };
  Config(const Schema* schema) : schema_(schema) {}
  absl::Status Set(const std::string& section, const std::string& name, std::string text,
                   std::string origin);
  absl::Status CheckRequired() const;
  const std::string& Raw(const std::string& section, const std::string& name, Type type) const;
  static absl::Status ParseInto(Config& config, const std::string& origin, const char* path,
                                const std::string* text);

  const Schema* schema_;                            // not owned; must outlive the Config
  absl::flat_hash_map<std::string, Value> values_;  // "section.name" -> value
};

// The config files named by `--config-file` arguments, or the default file when none is
// given. Used by every main() through CLI11 (see cli/ and the service mains).
std::vector<std::string> ConfigFilesOrDefault(const std::vector<std::string>& given);

}  // namespace gureum::config
