#include "object-storage/ring/ring_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace gureum::object::ring {
namespace {

using json = nlohmann::json;

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", path);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

absl::Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Errno("cannot open", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : Errno("cannot fsync", dir);
}

}  // namespace

std::string RingToJson(const RingData& ring) {
  json devices = json::array();
  for (const Device& d : ring.devices) {
    devices.push_back({{"id", d.id},
                       {"region", d.region},
                       {"zone", d.zone},
                       {"ip", d.ip},
                       {"port", d.port},
                       {"device", d.device},
                       {"weight", d.weight}});
  }
  json doc = {{"format", "gureum-ring"},   {"format_version", kRingFormatVersion},
              {"version", ring.version},   {"part_power", ring.part_power},
              {"replicas", ring.replicas}, {"hash_prefix", ring.hash_prefix},
              {"devices", devices},        {"assignment", ring.assignment}};
  return doc.dump() + "\n";
}

absl::StatusOr<RingData> RingFromJson(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format", "") != "gureum-ring") {
    return absl::InvalidArgumentError("not a Gureum ring file");
  }
  if (doc.value("format_version", 0) != kRingFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("ring format version ", doc.value("format_version", 0),
                     " is not one this binary reads (", kRingFormatVersion, ")"));
  }
  try {
    RingData ring;
    ring.version = doc.at("version").get<uint64_t>();
    ring.part_power = doc.at("part_power").get<int>();
    ring.replicas = doc.at("replicas").get<int>();
    ring.hash_prefix = doc.at("hash_prefix").get<std::string>();
    for (const json& d : doc.at("devices")) {
      ring.devices.push_back({d.at("id").get<int>(), d.at("region").get<int>(),
                              d.at("zone").get<int>(), d.at("ip").get<std::string>(),
                              d.at("port").get<int>(), d.at("device").get<std::string>(),
                              d.at("weight").get<double>()});
    }
    ring.assignment = doc.at("assignment").get<std::vector<std::vector<int32_t>>>();
    absl::StatusOr<Ring> checked = Ring::Create(ring);
    if (!checked.ok()) return checked.status();
    return ring;
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("malformed ring file: ", e.what()));
  }
}

absl::StatusOr<RingData> ReadRingFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no ring file ", path));
    return Errno("cannot open", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<RingData> ring = RingFromJson(text.str());
  if (!ring.ok())
    return absl::Status(ring.status().code(), absl::StrCat(path, ": ", ring.status().message()));
  return ring;
}

absl::Status WriteRingFile(const std::string& path, const RingData& ring) {
  const std::string tmp = absl::StrCat(path, ".tmp.", ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  absl::Status written = WriteAll(fd, RingToJson(ring), tmp);
  if (written.ok() && ::fsync(fd) != 0) written = Errno("cannot fsync", tmp);
  ::close(fd);
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = Errno("cannot rename to", path);
  }
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  return SyncDir(DirOf(path));
}

}  // namespace gureum::object::ring
