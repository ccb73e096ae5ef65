#include "object-storage/server/db_replicator.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/server/listing_db.h"
#include "object-storage/server/replicator.h"

namespace gureum::object {
namespace {

namespace fs = std::filesystem;

// Rows per request: the server takes bodies up to 1 MiB, and a row is at most about 1.4 KB
// (a 1024-byte name, a 256-byte content type).
constexpr int kBatchRows = 500;

std::vector<std::string> Children(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec)) out.push_back(entry.path().filename().string());
  }
  return out;
}

}  // namespace

void DbReplicator::Run(const ring::Ring& ring, DbReplicationStats& stats) {
  for (const std::string& device : LocalDevices(root_)) {
    for (const std::string kind : {"accounts", "containers"}) {
      const std::string kind_dir = absl::StrCat(root_, "/", device, "/", kind);
      for (const std::string& part_name : Children(kind_dir)) {
        uint32_t part = 0;
        if (!absl::SimpleAtoi(part_name, &part) || part >= ring.partition_count()) continue;
        for (const std::string& hash : Children(kind_dir + "/" + part_name)) {
          if (hash.size() == 32) Database(ring, device, kind, part, hash, stats);
        }
      }
    }
  }
}

void DbReplicator::Database(const ring::Ring& ring, const std::string& device,
                            const std::string& kind, uint32_t part, const std::string& hash,
                            DbReplicationStats& stats) {
  const std::string path =
      absl::StrCat(root_, "/", device, "/", kind, "/", part, "/", hash, "/", hash, ".db");
  if (!fs::exists(path)) return;
  ++stats.databases;
  absl::StatusOr<std::string> before = ListingDb(path).Digest();
  bool primary = false, all = before.ok();
  for (const ring::Device* d : ring.Primaries(part)) {
    if (d->ip == ip_ && d->port == port_ && d->device == device) {
      primary = true;
      continue;
    }
    const Peer peer{absl::StrCat(d->ip, ":", d->port), d->device};
    if (absl::Status s = Sync(path, kind, part, hash, peer, stats); !s.ok()) {
      all = false;
      ++stats.errors;
      spdlog::info("replicator: {} to {} {}: {}", path, peer.host, peer.device, s.ToString());
    }
  }
  if (primary || !all) return;
  // A handoff's copy that every primary has: removed, unless it changed meanwhile.
  absl::StatusOr<std::string> after = ListingDb(path).Digest();
  if (!after.ok() || *after != *before) return;
  std::error_code ec;
  fs::remove_all(fs::path(path).parent_path(), ec);
  if (connections_ != nullptr) connections_->Forget(path);
  ++stats.handoffs_removed;
}

absl::Status DbReplicator::Sync(const std::string& path, const std::string& kind, uint32_t part,
                                const std::string& hash, const Peer& peer,
                                DbReplicationStats& stats) {
  ListingDb db(path);
  absl::StatusOr<std::string> mine = db.Digest();
  if (!mine.ok()) return mine.status();
  absl::StatusOr<std::string> theirs = client_.DbDigest(peer, kind, part, hash);
  if (theirs.ok() && *theirs == *mine) return absl::OkStatus();
  if (!theirs.ok() && !absl::IsNotFound(theirs.status())) return theirs.status();
  absl::StatusOr<ListingInfo> info = db.Info();
  if (!info.ok()) return info.status();
  std::string after;
  while (true) {
    ListingDump dump{*info, {}};
    absl::StatusOr<std::vector<ListingEntry>> rows = db.Rows(after, kBatchRows);
    if (!rows.ok()) return rows.status();
    dump.rows = *std::move(rows);
    if (absl::Status s = client_.SendDb(peer, kind, part, hash, dump); !s.ok()) return s;
    if (dump.rows.size() < static_cast<size_t>(kBatchRows)) break;
    after = dump.rows.back().name;
  }
  ++stats.synced;
  return absl::OkStatus();
}

}  // namespace gureum::object
