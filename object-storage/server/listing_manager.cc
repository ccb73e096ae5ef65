#include "object-storage/server/listing_manager.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "object-storage/ring/ring.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

bool IsDir(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string ListingManager::DbPath(const ListingKey& key) const {
  const bool account = key.container.empty();
  const std::string hash = Md5Hex(ring::RingPath(key.account, key.container, ""));
  return absl::StrCat(root_, "/", key.device, account ? "/accounts/" : "/containers/",
                      key.partition, "/", hash, "/", hash, ".db");
}

absl::StatusOr<ListingDb> ListingManager::Open(const ListingKey& key) const {
  ListingDb db(DbPath(key), &connections_);
  absl::StatusOr<ListingInfo> info = db.Info();
  if (!info.ok()) return info.status();
  if (info->deleted()) return absl::NotFoundError("deleted");
  return db;
}

absl::Status ListingManager::Create(const ListingKey& key, Timestamp ts,
                                    const std::map<std::string, std::string>& headers,
                                    const std::optional<ListingTarget>& parent) {
  if (!IsDir(root_ + "/" + key.device)) {
    return absl::NotFoundError(absl::StrCat("no device ", key.device));
  }
  ListingInfo where;
  if (parent) {
    where.parent_host = parent->host;
    where.parent_device = parent->device;
    where.parent_partition = parent->partition;
  }
  ListingDb db(DbPath(key), &connections_);
  if (absl::Status s = db.Initialize(ts, headers, where); !s.ok()) return s;
  if (!key.container.empty()) {
    absl::StatusOr<ListingInfo> info = db.Info();
    if (info.ok()) TellAccount(key, *info);
  }
  return absl::OkStatus();
}

absl::StatusOr<ListingInfo> ListingManager::Head(const ListingKey& key) const {
  absl::StatusOr<ListingInfo> info = ListingDb(DbPath(key), &connections_).Info();
  if (info.ok() && info->deleted()) return absl::NotFoundError("deleted");
  return info;
}

absl::StatusOr<std::vector<ListingEntry>> ListingManager::List(const ListingKey& key,
                                                               const ListingQuery& query) const {
  absl::StatusOr<ListingDb> db = Open(key);
  if (!db.ok()) return db.status();
  return db->List(query);
}

absl::Status ListingManager::UpdateHeaders(const ListingKey& key, Timestamp ts,
                                           const std::map<std::string, std::string>& headers) {
  absl::StatusOr<ListingDb> db = Open(key);
  if (!db.ok()) return db.status();
  return db->UpdateHeaders(ts, headers);
}

absl::Status ListingManager::Delete(const ListingKey& key, Timestamp ts) {
  absl::StatusOr<ListingDb> db = Open(key);
  if (!db.ok()) return db.status();
  if (absl::Status s = db->MarkDeleted(ts); !s.ok()) return s;
  if (!key.container.empty()) {
    absl::StatusOr<ListingInfo> info = db->Info();
    if (info.ok()) TellAccount(key, *info);
  }
  return absl::OkStatus();
}

absl::Status ListingManager::PutRow(const ListingKey& key, const ListingEntry& entry) {
  ListingDb db(DbPath(key), &connections_);
  absl::Status put = rows_.Put(db.path(), entry);
  if (absl::IsNotFound(put) && key.container.empty() && IsDir(root_ + "/" + key.device)) {
    // Accounts come into being with their first container (Swift's account_autocreate).
    if (absl::Status s = db.Initialize(entry.timestamp, {}, {}); !s.ok()) return s;
    put = db.Put(entry);
  }
  if (put.ok() && !key.container.empty()) {
    absl::MutexLock lock(&mu_);
    dirty_[db.path()] = key;
  }
  return put;
}

void ListingManager::TellAccount(const ListingKey& key, const ListingInfo& info) {
  if (info.parent_host.empty()) return;
  ListingUpdate update;
  update.host = info.parent_host;
  update.device = info.parent_device;
  update.partition = info.parent_partition;
  update.account = key.account;
  update.container = key.container;
  update.account_row = true;
  update.entry.name = key.container;
  update.entry.timestamp = std::max(info.put_timestamp, info.delete_timestamp);
  update.entry.deleted = info.deleted();
  update.entry.size = info.bytes;
  update.entry.object_count = info.count;
  if (absl::Status sent = client_.Send(update); !sent.ok()) {
    spdlog::info("account update to {} failed ({}); kept for the updater", update.host,
                 sent.ToString());
    (void)pending_.Save(key.device, update);
  }
}

void ListingManager::FlushCounts() {
  absl::flat_hash_map<std::string, ListingKey> dirty;
  {
    absl::MutexLock lock(&mu_);
    dirty.swap(dirty_);
  }
  for (const auto& [path, key] : dirty) {
    absl::StatusOr<ListingInfo> info = ListingDb(path, &connections_).Info();
    if (info.ok()) TellAccount(key, *info);
  }
}

}  // namespace gureum::object
