#include "deploy/gureum-deploy/services_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::deploy {
namespace {

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<ServiceSpec>> ParseServices(absl::string_view text) {
  std::vector<ServiceSpec> specs;
  std::set<std::string> seen;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find_first_of(" \t");
    absl::string_view name = line.substr(0, space);
    absl::string_view command = space == absl::string_view::npos
                                    ? absl::string_view()
                                    : absl::StripLeadingAsciiWhitespace(line.substr(space));
    if (!ValidName(name)) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": bad service name '",
                                                     name, "' (use [A-Za-z0-9_.-])"));
    }
    if (command.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": service '", name, "' has no command"));
    }
    if (!seen.insert(std::string(name)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": service '", name, "' given twice"));
    }
    specs.push_back({std::string(name), std::string(command)});
  }
  return specs;
}

absl::StatusOr<std::vector<ServiceSpec>> ReadServicesFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return std::vector<ServiceSpec>();
    return absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", strerror(errno)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto specs = ParseServices(buffer.str());
  if (!specs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", specs.status().message()));
  }
  return specs;
}

}  // namespace gureum::deploy
