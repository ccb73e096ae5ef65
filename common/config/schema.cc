#include "common/config/schema.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace gureum::config {

std::string OptionKey(const std::string& section, const std::string& name) {
  return absl::StrCat(section, ".", name);
}

Schema& Schema::Add(Option option) {
  std::string key = OptionKey(option.section, option.name);
  auto it = index_.find(key);
  if (it != index_.end()) {
    if (options_[it->second].type != option.type) std::abort();  // two meanings for one name
    options_[it->second] = std::move(option);
    return *this;
  }
  index_[key] = options_.size();
  options_.push_back(std::move(option));
  return *this;
}

Schema& Schema::String(const std::string& section, const std::string& name, const std::string& def,
                       const std::string& help) {
  return Add({.section = section,
              .name = name,
              .type = Type::kString,
              .default_value = def,
              .help = help});
}

Schema& Schema::Secret(const std::string& section, const std::string& name,
                       const std::string& help) {
  return Add({.section = section, .name = name, .type = Type::kSecret, .help = help});
}

Schema& Schema::Int(const std::string& section, const std::string& name, long long def,
                    long long min, long long max, const std::string& help) {
  return Add({.section = section,
              .name = name,
              .type = Type::kInt,
              .default_value = std::to_string(def),
              .help = help,
              .min = min,
              .max = max});
}

Schema& Schema::Bool(const std::string& section, const std::string& name, bool def,
                     const std::string& help) {
  return Add({.section = section,
              .name = name,
              .type = Type::kBool,
              .default_value = def ? "true" : "false",
              .help = help});
}

Schema& Schema::Double(const std::string& section, const std::string& name, double def,
                       const std::string& help) {
  return Add({.section = section,
              .name = name,
              .type = Type::kDouble,
              .default_value = absl::StrCat(def),
              .help = help});
}

Schema& Schema::Duration(const std::string& section, const std::string& name,
                         const std::string& def, const std::string& help) {
  return Add({.section = section,
              .name = name,
              .type = Type::kDuration,
              .default_value = def,
              .help = help});
}

Schema& Schema::List(const std::string& section, const std::string& name, const std::string& def,
                     const std::string& help) {
  return Add(
      {.section = section, .name = name, .type = Type::kList, .default_value = def, .help = help});
}

const Option* Schema::Find(const std::string& section, const std::string& name) const {
  auto it = index_.find(OptionKey(section, name));
  return it == index_.end() ? nullptr : &options_[it->second];
}

absl::Status Schema::Validate(const Option& option, const std::string& value) {
  switch (option.type) {
    case Type::kString:
      if (!option.choices.empty()) {
        for (const std::string& c : option.choices) {
          if (c == value) return absl::OkStatus();
        }
        return absl::InvalidArgumentError(
            absl::StrCat("'", value, "' is not one of ", absl::StrJoin(option.choices, ", ")));
      }
      return absl::OkStatus();
    case Type::kSecret:
    case Type::kList:
      return absl::OkStatus();
    case Type::kInt: {
      long long v = 0;
      if (!absl::SimpleAtoi(value, &v)) {
        return absl::InvalidArgumentError(absl::StrCat("'", value, "' is not an integer"));
      }
      if (v < option.min) {
        return absl::InvalidArgumentError(absl::StrCat(v, " is below the minimum ", option.min));
      }
      if (v > option.max) {
        return absl::InvalidArgumentError(absl::StrCat(v, " is above the maximum ", option.max));
      }
      return absl::OkStatus();
    }
    case Type::kBool: {
      bool b = false;
      if (!absl::SimpleAtob(value, &b)) {
        return absl::InvalidArgumentError(
            absl::StrCat("'", value, "' is not a boolean (use true or false)"));
      }
      return absl::OkStatus();
    }
    case Type::kDouble: {
      double d = 0;
      if (!absl::SimpleAtod(value, &d)) {
        return absl::InvalidArgumentError(absl::StrCat("'", value, "' is not a number"));
      }
      return absl::OkStatus();
    }
    case Type::kDuration: {
      absl::Duration d;
      long long seconds = 0;
      if (absl::SimpleAtoi(value, &seconds) || absl::ParseDuration(value, &d)) {
        return absl::OkStatus();
      }
      return absl::InvalidArgumentError(
          absl::StrCat("'", value, "' is not a duration (use seconds, or units like 30s, 5m, 1h)"));
    }
  }
  return absl::OkStatus();
}

void AddCommonOptions(Schema& schema) {
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  schema.String("DEFAULT", "host", host, "Name of this host, as services and agents report it.")
      .String("DEFAULT", "my_ip", "127.0.0.1", "This host's address for other hosts to reach.")
      .Bool("DEFAULT", "debug", false, "Log at debug level.")
      .String("DEFAULT", "log_dir", "", "Directory for log files; empty logs to standard error.")
      .Secret("DEFAULT", "transport_url", "RabbitMQ URL: amqp://user:password@host:port/vhost.")
      .Secret("database", "connection",
              "PostgreSQL server URI without a database name; each service uses its own "
              "database gureum_<service> on it.");
}

}  // namespace gureum::config
