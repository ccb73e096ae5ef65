#include "identity/key_repository.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/ids.h"

namespace gureum::identity {
namespace {

namespace fs = std::filesystem;

// Key files: "<n>.key"; returns their numbers, ascending.
absl::StatusOr<std::vector<long long>> KeyNumbers(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat("key repository ", dir, " does not exist"));
  }
  std::vector<long long> numbers;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    absl::string_view stem = name;
    long long n = 0;
    if (absl::ConsumeSuffix(&stem, ".key") && absl::SimpleAtoi(stem, &n) && n >= 0) {
      numbers.push_back(n);
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("reading ", dir, ": ", ec.message()));
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

std::string KeyPath(const std::string& dir, long long n) {
  return absl::StrCat(dir, "/", n, ".key");
}

// Writes the new key to a temporary 0600 file and renames it into place, so a reader
// never sees a half-written key.
absl::Status WriteKey(const std::string& dir, long long n) {
  // A random suffix keeps ids unique if a repository is ever re-created from scratch.
  auth::KeyPair pair = auth::GenerateKeyPair(absl::StrCat("k", n, "-", NewUuid().substr(0, 8)));
  std::string tmp = absl::StrCat(dir, "/.", n, ".key.tmp");
  mode_t old_mask = umask(077);
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << auth::SerializeKeyPair(pair) << "\n";
    out.close();
    if (!out) {
      umask(old_mask);
      return absl::InternalError(absl::StrCat("cannot write ", tmp));
    }
  }
  umask(old_mask);
  if (chmod(tmp.c_str(), 0600) != 0 || rename(tmp.c_str(), KeyPath(dir, n).c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot install key ", n, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status InitializeKeys(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  }
  if (chmod(dir.c_str(), 0700) != 0) {
    return absl::InternalError(absl::StrCat("cannot chmod ", dir, ": ", strerror(errno)));
  }
  auto numbers = KeyNumbers(dir);
  if (!numbers.ok()) return numbers.status();
  if (!numbers->empty()) return absl::OkStatus();
  return WriteKey(dir, 0);
}

absl::Status RotateKeys(const std::string& dir, int max_active_keys) {
  if (max_active_keys < 2) {
    return absl::InvalidArgumentError("max_active_keys must be at least 2");
  }
  auto numbers = KeyNumbers(dir);
  if (!numbers.ok()) return numbers.status();
  if (numbers->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("key repository ", dir, " is empty; initialise it first"));
  }
  long long next = numbers->back() + 1;
  if (absl::Status s = WriteKey(dir, next); !s.ok()) return s;
  numbers->push_back(next);
  // Oldest first: remove until max_active_keys remain.
  size_t excess = numbers->size() > static_cast<size_t>(max_active_keys)
                      ? numbers->size() - static_cast<size_t>(max_active_keys)
                      : 0;
  for (size_t i = 0; i < excess; ++i) {
    std::error_code ec;
    fs::remove(KeyPath(dir, (*numbers)[i]), ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot remove old key: ", ec.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<auth::KeyPair>> LoadKeys(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("key repository ", dir, " must not be accessible by group or others"));
  }
  auto numbers = KeyNumbers(dir);
  if (!numbers.ok()) return numbers.status();
  if (numbers->empty()) {
    return absl::FailedPreconditionError(absl::StrCat("key repository ", dir, " holds no key"));
  }
  std::vector<auth::KeyPair> keys;
  for (auto it = numbers->rbegin(); it != numbers->rend(); ++it) {
    std::string path = KeyPath(dir, *it);
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    auto pair = auth::ParseKeyPair(line);
    if (!pair.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", pair.status().message()));
    }
    keys.push_back(*std::move(pair));
  }
  return keys;
}

absl::StatusOr<std::string> LoadOrCreateCredentialKey(const std::string& dir) {
  const std::string path = dir + "/credential-key";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    std::string hex(sizeof(raw) * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    hex.pop_back();  // the NUL
    std::string tmp = absl::StrCat(dir, "/.credential-key.", NewUuid().substr(0, 8));
    mode_t old_mask = umask(077);
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << hex << "\n";
    }
    umask(old_mask);
    // link() fails if another writer got there first: theirs is kept.
    if (link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
      unlink(tmp.c_str());
      return absl::InternalError(absl::StrCat("cannot write ", path, ": ", strerror(errno)));
    }
    unlink(tmp.c_str());
  }
  std::ifstream in(path);
  std::string hex;
  std::getline(in, hex);
  std::string key(32, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size()) {
    return absl::InvalidArgumentError(path + ": not a 32-byte hex key");
  }
  return key;
}

absl::StatusOr<std::vector<auth::KeyPair>> StaticKeySource::Load() {
  if (keys_.empty()) return absl::FailedPreconditionError("no signing key");
  return keys_;
}

}  // namespace gureum::identity
