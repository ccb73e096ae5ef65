#include "dashboard/file_session_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"

namespace gureum::dashboard {
namespace {

using nlohmann::json;

constexpr char kMagic[] = "GUREUM-SESSIONS-1\n";
constexpr size_t kMagicLen = sizeof(kMagic) - 1;

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Times as microseconds since the epoch; the infinite future as null.
json TimeJson(absl::Time t) {
  if (t == absl::InfiniteFuture()) return nullptr;
  return absl::ToUnixMicros(t);
}

absl::Time TimeFrom(const json& j) {
  return j.is_number_integer() ? absl::FromUnixMicros(j.get<int64_t>()) : absl::InfiniteFuture();
}

json ProjectJson(const ProjectRef& p) {
  return {{"id", p.id}, {"name", p.name}, {"domain_id", p.domain_id}};
}

ProjectRef ProjectFrom(const json& j) {
  return {j.value("id", ""), j.value("name", ""), j.value("domain_id", "")};
}

json TokenJson(const Token& t) {
  return {{"value", t.value},
          {"user_id", t.user_id},
          {"user_name", t.user_name},
          {"domain_id", t.domain_id},
          {"project", ProjectJson(t.project)},
          {"roles", t.roles},
          {"endpoints", t.endpoints},
          {"expires_at", TimeJson(t.expires_at)}};
}

Token TokenFrom(const json& j) {
  Token t;
  t.value = j.value("value", "");
  t.user_id = j.value("user_id", "");
  t.user_name = j.value("user_name", "");
  t.domain_id = j.value("domain_id", "");
  t.project = ProjectFrom(j.at("project"));
  t.roles = j.at("roles").get<std::vector<std::string>>();
  t.endpoints = j.at("endpoints").get<std::map<std::string, std::string>>();
  t.expires_at = TimeFrom(j.at("expires_at"));
  return t;
}

json SessionJson(const Session& s) {
  json projects = json::array();
  for (const ProjectRef& p : s.projects) projects.push_back(ProjectJson(p));
  return {{"id", s.id},
          {"csrf_token", s.csrf_token},
          {"unscoped", TokenJson(s.unscoped)},
          {"projects", projects},
          {"scoped", TokenJson(s.scoped)},
          {"created_at", TimeJson(s.created_at)},
          {"last_seen", TimeJson(s.last_seen)}};
}

Session SessionFrom(const json& j) {
  Session s;
  s.id = j.at("id").get<std::string>();
  s.csrf_token = j.at("csrf_token").get<std::string>();
  s.unscoped = TokenFrom(j.at("unscoped"));
  for (const json& p : j.at("projects")) s.projects.push_back(ProjectFrom(p));
  s.scoped = TokenFrom(j.at("scoped"));
  s.created_at = TimeFrom(j.at("created_at"));
  s.last_seen = TimeFrom(j.at("last_seen"));
  return s;
}

// Only last_seen differs (a request's touch, not a new token or project).
bool OnlyTouched(const Session& a, const Session& b) {
  return a.csrf_token == b.csrf_token && a.scoped.value == b.scoped.value &&
         a.unscoped.value == b.unscoped.value;
}

absl::Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("cannot write", path);
    off += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Writes `data` to `path` (mode 0600) by a temporary file renamed over it.
absl::Status WriteFileAtomically(const std::string& path, const std::string& data) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", tmp);
  absl::Status s = WriteAll(fd, data, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Errno("cannot sync", tmp);
  ::close(fd);
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) s = Errno("cannot rename", tmp);
  if (!s.ok()) std::remove(tmp.c_str());
  return s;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The store's key: read from `path`, or made (random, mode 0600) when there is none.
absl::StatusOr<std::string> LoadOrMakeKey(const std::string& path) {
  if (absl::StatusOr<std::string> key = ReadFile(path); key.ok()) {
    if (key->size() != crypto_secretbox_KEYBYTES) {
      return absl::FailedPreconditionError(absl::StrCat("the session key ", path, " has ",
                                                        key->size(), " bytes, not ",
                                                        crypto_secretbox_KEYBYTES));
    }
    return key;
  }
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create the session key", path);
  absl::Status s = WriteAll(fd, key, path);
  if (s.ok() && ::fsync(fd) != 0) s = Errno("cannot sync", path);
  ::close(fd);
  if (!s.ok()) return s;
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileSessionStore>> FileSessionStore::Open(
    const std::string& path, absl::Duration touch_interval) {
  if (sodium_init() < 0) return absl::InternalError("libsodium did not initialise");
  absl::StatusOr<std::string> key = LoadOrMakeKey(path + ".key");
  if (!key.ok()) return key.status();
  std::unique_ptr<FileSessionStore> store(
      new FileSessionStore(path, *std::move(key), touch_interval));
  if (absl::Status s = store->Load(); !s.ok()) return s;
  return store;
}

absl::Status FileSessionStore::Load() {
  absl::StatusOr<std::string> sealed = ReadFile(path_);
  if (!sealed.ok()) {
    if (::access(path_.c_str(), F_OK) != 0) return absl::OkStatus();  // none yet
    return Errno("cannot read", path_);
  }
  const size_t head = kMagicLen + crypto_secretbox_NONCEBYTES;
  std::string plain;
  bool opened = sealed->size() >= head + crypto_secretbox_MACBYTES &&
                sealed->compare(0, kMagicLen, kMagic) == 0;
  if (opened) {
    plain.resize(sealed->size() - head - crypto_secretbox_MACBYTES);
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed->data() + kMagicLen);
    const auto* box = reinterpret_cast<const unsigned char*>(sealed->data() + head);
    opened = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box,
                                        sealed->size() - head, nonce,
                                        reinterpret_cast<const unsigned char*>(key_.data())) == 0;
  }
  json j = opened ? json::parse(plain, nullptr, false) : json();
  if (!opened || !j.is_object() || !j.contains("sessions") || !j["sessions"].is_array()) {
    spdlog::warn("the session file {} is not sealed with its key: starting without sessions",
                 path_);
    return absl::OkStatus();
  }
  absl::MutexLock lock(&mu_);
  for (const json& s : j["sessions"]) {
    try {
      Session session = SessionFrom(s);
      written_seen_[session.id] = session.last_seen;
      sessions_[session.id] = std::move(session);
    } catch (const json::exception& e) {
      spdlog::warn("a session in {} is unreadable: {}", path_, e.what());
    }
  }
  spdlog::info("{} session(s) read from {}", sessions_.size(), path_);
  return absl::OkStatus();
}

absl::Status FileSessionStore::Save() {
  json all = json::array();
  for (const auto& [id, s] : sessions_) all.push_back(SessionJson(s));
  std::string plain = json{{"sessions", all}}.dump();
  std::string sealed(kMagic, kMagicLen);
  sealed.resize(kMagicLen + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data() + kMagicLen);
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        reinterpret_cast<const unsigned char*>(key_.data()));
  sodium_memzero(plain.data(), plain.size());
  if (absl::Status s = WriteFileAtomically(path_, sealed); !s.ok()) return s;
  for (const auto& [id, s] : sessions_) written_seen_[id] = s.last_seen;
  return absl::OkStatus();
}

absl::Status FileSessionStore::Put(const Session& session) {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(session.id);
  auto seen = written_seen_.find(session.id);
  const bool touch_only = it != sessions_.end() && seen != written_seen_.end() &&
                          OnlyTouched(it->second, session) &&
                          session.last_seen - seen->second < touch_interval_;
  sessions_[session.id] = session;
  return touch_only ? absl::OkStatus() : Save();
}

absl::StatusOr<Session> FileSessionStore::Get(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return absl::NotFoundError("no such session");
  return it->second;
}

absl::Status FileSessionStore::Delete(const std::string& id) {
  absl::MutexLock lock(&mu_);
  if (sessions_.erase(id) == 0) return absl::OkStatus();
  written_seen_.erase(id);
  return Save();
}

std::vector<Session> FileSessionStore::TakeIdle(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  std::vector<Session> idle;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.last_seen < cutoff) {
      written_seen_.erase(it->first);
      idle.push_back(std::move(it->second));
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
  if (!idle.empty()) {
    if (absl::Status s = Save(); !s.ok()) spdlog::warn("sessions not saved: {}", s.ToString());
  }
  return idle;
}

}  // namespace gureum::dashboard
