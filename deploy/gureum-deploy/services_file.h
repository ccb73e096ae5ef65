// The list of services gureum-deploy supervises, as written by allinone.sh to
// /etc/gureum/services.conf. One service a line:
//
//   # comment
//   identity /usr/local/bin/gureum-identity --config-file /etc/gureum/gureum.conf
//
// The first word is the service name (it names the log file, so it is restricted to
// [A-Za-z0-9_.-]); the rest of the line is the command, run by /bin/sh. This is a line
// format rather than INI on purpose: commands carry ';', '#' and '=' that INI parsers
// take for comments or keys.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gureum::deploy {

struct ServiceSpec {
  std::string name;
  std::string command;

  bool operator==(const ServiceSpec& other) const {
    return name == other.name && command == other.command;
  }
};

// Parses the text of a services file. Blank lines and lines starting with '#' are
// skipped. InvalidArgument (naming the line) for a bad name, a name without a command,
// or a name given twice.
absl::StatusOr<std::vector<ServiceSpec>> ParseServices(absl::string_view text);

// Reads and parses the services file at `path`. A missing file is an empty list, so a
// supervisor can start before any service is configured.
absl::StatusOr<std::vector<ServiceSpec>> ReadServicesFile(const std::string& path);

}  // namespace gureum::deploy
