#include "object-storage/server/partition_hashes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

bool IsHashDir(const std::string& name) {
  return name.size() == 32 &&
         std::all_of(name.begin(), name.end(), [](char c) { return std::isxdigit(c) != 0; });
}

// The partition's hash directories, sorted, optionally only those of one suffix.
std::vector<std::string> HashDirs(const std::string& part_dir, const std::string& suffix = "") {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(part_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!IsHashDir(name) || !entry.is_directory(ec)) continue;
    if (!suffix.empty() && SuffixOf(name) != suffix) continue;
    out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status WriteAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.good()) return absl::InternalError("cannot write " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return absl::InternalError("cannot rename " + tmp);
  return absl::OkStatus();
}

}  // namespace

std::string SuffixOf(const std::string& hash_dir) {
  return hash_dir.size() < 3 ? hash_dir : hash_dir.substr(hash_dir.size() - 3);
}

std::string HashSuffix(const std::string& part_dir, const std::string& suffix) {
  std::string text;
  for (const std::string& dir : HashDirs(part_dir, suffix)) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(part_dir + "/" + dir, ec)) {
      files.push_back(entry.path().filename().string());
    }
    if (files.empty()) continue;  // an empty directory: as good as none
    std::sort(files.begin(), files.end());
    absl::StrAppend(&text, dir, ":", absl::StrJoin(files, ","), ";");
  }
  return text.empty() ? "" : Md5Hex(text);
}

std::string PartitionHashes::PartitionDir(const std::string& device, uint32_t part) const {
  return absl::StrCat(root_, "/", device, "/objects/", part);
}

absl::Mutex& PartitionHashes::MutexOf(const std::string& device, uint32_t part) {
  return stripes_[std::hash<std::string>()(device + "/" + std::to_string(part)) % kStripes];
}

void PartitionHashes::Invalidate(const std::string& device, uint32_t part,
                                 const std::string& hash_dir) {
  const std::string line = SuffixOf(hash_dir) + "\n";
  const std::string path = PartitionDir(device, part) + "/hashes.invalid";
  absl::MutexLock lock(&MutexOf(device, part));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;  // no partition directory: nothing cached either
  (void)!::write(fd, line.data(), line.size());
  ::close(fd);
}

absl::StatusOr<SuffixHashes> PartitionHashes::Get(const std::string& device, uint32_t part) {
  const std::string dir = PartitionDir(device, part);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return SuffixHashes();
  absl::MutexLock lock(&MutexOf(device, part));
  SuffixHashes hashes;
  std::set<std::string> stale;
  json cached = json::parse(ReadFile(dir + "/hashes.json"), nullptr, false);
  if (cached.is_object()) {
    for (const auto& [suffix, hash] : cached.items()) {
      if (hash.is_string()) hashes[suffix] = hash.get<std::string>();
    }
    for (absl::string_view s : absl::StrSplit(ReadFile(dir + "/hashes.invalid"), '\n')) {
      if (!s.empty()) stale.insert(std::string(s));
    }
  } else {
    for (const std::string& hash_dir : HashDirs(dir)) stale.insert(SuffixOf(hash_dir));
  }
  if (stale.empty() && cached.is_object()) return hashes;
  for (const std::string& suffix : stale) {
    std::string hash = HashSuffix(dir, suffix);
    if (hash.empty()) {
      hashes.erase(suffix);
    } else {
      hashes[suffix] = std::move(hash);
    }
  }
  if (absl::Status s = WriteAtomically(dir + "/hashes.json", json(hashes).dump()); !s.ok()) {
    return s;
  }
  ::truncate((dir + "/hashes.invalid").c_str(), 0);
  return hashes;
}

}  // namespace gureum::object
