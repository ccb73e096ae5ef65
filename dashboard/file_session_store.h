// SessionStore on disk, so that sessions survive a dashboard restart (session_store.h has
// the contract). The sessions are kept in memory and written, whole, to one file sealed
// with libsodium's crypto_secretbox (XSalsa20-Poly1305) under a random key kept beside it
// (`<path>.key`, mode 0600, made on first use): the identity tokens in the file are
// unreadable without the key, and a file that was changed or sealed under another key is
// refused (the store then starts empty: users log in again). The file (0600) is replaced
// atomically (a temporary file renamed over it) on every change, except that a session's
// mere last_seen update is written only once it moved `touch_interval` past the written one
// (a restart gives a session back at most that much idle time). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "dashboard/session_store.h"

namespace gureum::dashboard {

class FileSessionStore final : public SessionStore {
 public:
  // Opens the store at `path` (its folder must exist), reading the sessions it holds.
  // Errors when the key can be neither read nor made, or the file cannot be read.
  static absl::StatusOr<std::unique_ptr<FileSessionStore>> Open(const std::string& path,
                                                                absl::Duration touch_interval);

  absl::Status Put(const Session& session) override;
  absl::StatusOr<Session> Get(const std::string& id) const override;
  absl::Status Delete(const std::string& id) override;
  std::vector<Session> TakeIdle(absl::Time cutoff) override;

 private:
  FileSessionStore(std::string path, std::string key, absl::Duration touch_interval)
      : path_(std::move(path)), key_(std::move(key)), touch_interval_(touch_interval) {}
  absl::Status Load();
  absl::Status Save() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::string key_;  // crypto_secretbox_KEYBYTES
  const absl::Duration touch_interval_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
  // Each session's last_seen as last written to the file.
  absl::flat_hash_map<std::string, absl::Time> written_seen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::dashboard
