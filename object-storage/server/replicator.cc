#include "object-storage/server/replicator.h"

#include <algorithm>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gureum::object {
namespace {

namespace fs = std::filesystem;

std::string Stem(const std::string& file) { return file.substr(0, file.find_last_of('.')); }

// The newest data or tombstone and the newest .meta of a directory's files.
struct Newest {
  std::string state, meta;
};

Newest NewestOf(const std::vector<std::string>& files) {
  Newest n;
  for (const std::string& f : files) {
    const bool meta = absl::EndsWith(f, ".meta");
    if (!meta && !absl::EndsWith(f, ".data") && !absl::EndsWith(f, ".ts")) continue;
    std::string& slot = meta ? n.meta : n.state;
    if (slot.empty() || Stem(f) > Stem(slot)) slot = f;
  }
  return n;
}

}  // namespace

std::vector<std::string> FilesToSend(const std::vector<std::string>& local,
                                     const std::vector<std::string>* remote) {
  const Newest here = NewestOf(local);
  const Newest there = remote ? NewestOf(*remote) : Newest();
  std::vector<std::string> out;
  if (here.state.empty()) return out;
  const bool newer = there.state.empty() || Stem(here.state) > Stem(there.state);
  if (newer) out.push_back(here.state);
  const bool same_data = newer || Stem(here.state) == Stem(there.state);
  if (!here.meta.empty() && absl::EndsWith(here.state, ".data") && same_data &&
      Stem(here.meta) > Stem(here.state) &&
      (there.meta.empty() || Stem(here.meta) > Stem(there.meta))) {
    out.push_back(here.meta);
  }
  return out;
}

std::vector<std::string> SuffixesToSync(const SuffixHashes& local, const SuffixHashes& remote) {
  std::vector<std::string> out;
  for (const auto& [suffix, hash] : local) {
    auto it = remote.find(suffix);
    if (it == remote.end() || it->second != hash) out.push_back(suffix);
  }
  return out;
}

bool InRing(const ring::Ring& ring, const std::string& ip, int port) {
  for (const ring::Device& d : ring.data().devices) {
    if (d.ip == ip && d.port == port) return true;
  }
  return false;
}

std::vector<std::string> LocalDevices(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory(ec)) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint32_t> LocalPartitions(const std::string& device_dir) {
  std::vector<uint32_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(device_dir + "/objects", ec)) {
    uint32_t part = 0;
    if (entry.is_directory(ec) && absl::SimpleAtoi(entry.path().filename().string(), &part)) {
      out.push_back(part);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

ReplicationStats Replicator::RunOnce() {
  absl::MutexLock lock(&run_mu_);
  ReplicationStats stats;
  std::shared_ptr<const ring::Ring> ring = d_.rings.Get();
  stats.in_ring = InRing(*ring, d_.ip, d_.port);
  if (!stats.in_ring) {
    spdlog::warn("replicator: {}:{} is not in the ring; not replicating", d_.ip, d_.port);
    return stats;
  }
  for (const std::string& device : LocalDevices(d_.files.root())) {
    for (uint32_t part : LocalPartitions(d_.files.DeviceDir(device))) {
      if (part >= ring->partition_count()) continue;  // another ring's partition
      ++stats.partitions;
      Partition(*ring, device, part, stats);
    }
  }
  databases_.Run(*ring, stats.databases);
  return stats;
}

void Replicator::Partition(const ring::Ring& ring, const std::string& device, uint32_t part,
                           ReplicationStats& stats) {
  bool primary = false;
  std::vector<Peer> peers;
  for (const ring::Device* d : ring.Primaries(part)) {
    if (d->ip == d_.ip && d->port == d_.port && d->device == device) {
      primary = true;
      continue;
    }
    peers.push_back({absl::StrCat(d->ip, ":", d->port), d->device});
  }
  absl::StatusOr<SuffixHashes> before = d_.files.hashes().Get(device, part);
  bool all = before.ok();
  for (const Peer& peer : peers) all = Sync(device, part, peer, stats) && all;
  if (primary || !all) return;
  // A handoff's copy: every primary has it all now, unless a write came meanwhile (then
  // the next pass sends that too).
  absl::StatusOr<SuffixHashes> after = d_.files.hashes().Get(device, part);
  if (!after.ok() || *after != *before) return;
  std::error_code ec;
  fs::remove_all(d_.files.PartitionDir(device, part), ec);
  ++stats.handoffs_removed;
  spdlog::info("replicator: partition {} of {} handed back to its primaries", part, device);
}

bool Replicator::Sync(const std::string& device, uint32_t part, const Peer& peer,
                      ReplicationStats& stats) {
  absl::StatusOr<SuffixHashes> local = d_.files.hashes().Get(device, part);
  absl::StatusOr<SuffixHashes> remote =
      local.ok() ? d_.client.Hashes(peer, part) : absl::StatusOr<SuffixHashes>(local.status());
  if (!remote.ok()) {
    ++stats.errors;
    spdlog::info("replicator: {} {} partition {}: {}", peer.host, peer.device, part,
                 remote.status().ToString());
    return false;
  }
  bool ok = true;
  for (const std::string& suffix : SuffixesToSync(*local, *remote)) {
    ++stats.suffixes;
    absl::StatusOr<HashDirListing> theirs = d_.client.ListSuffix(peer, part, suffix);
    if (!theirs.ok()) {
      ++stats.errors;
      ok = false;
      continue;
    }
    for (const auto& [hash_dir, files] : d_.files.ListSuffix(device, part, suffix)) {
      auto it = theirs->find(hash_dir);
      ok = SyncHashDir(device, part, hash_dir, files, it == theirs->end() ? nullptr : &it->second,
                       peer, stats) &&
           ok;
    }
  }
  return ok;
}

bool Replicator::SyncHashDir(const std::string& device, uint32_t part, const std::string& hash_dir,
                             const std::vector<std::string>& files,
                             const std::vector<std::string>* remote, const Peer& peer,
                             ReplicationStats& stats) {
  const std::string dir = absl::StrCat(d_.files.PartitionDir(device, part), "/", hash_dir);
  for (const std::string& file : FilesToSend(files, remote)) {
    if (absl::EndsWith(file, ".data")) {
      absl::StatusOr<ObjectState> state = d_.files.OpenHashDir(dir);
      absl::Status good = !state.ok()      ? state.status()
                          : !state->reader ? absl::OkStatus()
                                           : CheckObject(*state->reader, nullptr);
      if (absl::IsDataLoss(good)) {
        spdlog::warn("replicator: {}; quarantined", good.ToString());
        if (d_.files.Quarantine(device, part, hash_dir).ok()) ++stats.quarantined;
        return false;
      }
    }
    if (absl::Status sent = d_.client.Send(peer, part, hash_dir, file, dir + "/" + file);
        !sent.ok()) {
      ++stats.errors;
      spdlog::info("replicator: {} to {}: {}", file, peer.host, sent.ToString());
      return false;
    }
    ++stats.files_sent;
  }
  return true;
}

}  // namespace gureum::object
