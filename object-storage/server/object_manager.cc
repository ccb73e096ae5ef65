#include "object-storage/server/object_manager.h"

#include <spdlog/spdlog.h>

#include "object-storage/server/names.h"

namespace gureum::object {

std::optional<ObjectName> SplitObjectName(const std::string& name) {
  if (name.empty() || name[0] != '/') return std::nullopt;
  const size_t a = name.find('/', 1);
  if (a == std::string::npos) return std::nullopt;
  const size_t c = name.find('/', a + 1);
  if (c == std::string::npos || c + 1 >= name.size() + 1) return std::nullopt;
  ObjectName out{name.substr(1, a - 1), name.substr(a + 1, c - a - 1), name.substr(c + 1)};
  if (out.account.empty() || out.container.empty() || out.object.empty()) return std::nullopt;
  return out;
}

absl::StatusOr<std::unique_ptr<ObjectWriter>> ObjectManager::BeginPut(const ObjectLocation& where) {
  return files_.Create(where);
}

absl::Status ObjectManager::FinishPut(const ObjectLocation& where, ObjectWriter& writer,
                                      ObjectMeta& meta,
                                      const std::optional<ListingTarget>& container) {
  meta.name = where.name;
  if (absl::Status s = writer.Commit(meta); !s.ok()) return s;
  if (container) {
    ListingEntry entry;
    entry.timestamp = meta.timestamp;
    entry.size = meta.size;
    entry.content_type = meta.content_type;
    entry.etag = meta.etag;
    UpdateContainer(where, *container, entry);
  }
  return absl::OkStatus();
}

absl::StatusOr<ObjectState> ObjectManager::Get(const ObjectLocation& where) const {
  absl::StatusOr<ObjectState> state = files_.Open(where);
  if (!state.ok() || !state->reader) return state;
  const int64_t delete_at = state->reader->meta().delete_at;
  if (delete_at > 0 && delete_at <= absl::ToUnixSeconds(clock_.Now())) state->reader.reset();
  return state;
}

absl::Status ObjectManager::Delete(const ObjectLocation& where, Timestamp ts,
                                   const std::optional<ListingTarget>& container) {
  if (absl::Status s = files_.Delete(where, ts); !s.ok()) return s;
  if (container) {
    ListingEntry entry;
    entry.timestamp = ts;
    entry.deleted = true;
    UpdateContainer(where, *container, entry);
  }
  return absl::OkStatus();
}

absl::Status ObjectManager::Post(const ObjectLocation& where, Timestamp ts,
                                 const std::map<std::string, std::string>& headers,
                                 int64_t delete_at) {
  return files_.Post(where, ts, headers, delete_at);
}

absl::Status ObjectManager::Expire(const ObjectLocation& where, Timestamp ts,
                                   const std::vector<ListingTarget>& containers) {
  if (absl::Status s = files_.Delete(where, ts); !s.ok()) return s;
  ListingEntry entry;
  entry.timestamp = ts;
  entry.deleted = true;
  for (const ListingTarget& target : containers) UpdateContainer(where, target, entry);
  return absl::OkStatus();
}

absl::Status ObjectManager::Quarantine(const ObjectLocation& where) {
  return files_.Quarantine(where.device, where.partition, Md5Hex(where.name));
}

void ObjectManager::UpdateContainer(const ObjectLocation& where, const ListingTarget& target,
                                    const ListingEntry& row) {
  std::optional<ObjectName> name = SplitObjectName(where.name);
  if (!name) return;
  ListingUpdate update;
  update.host = target.host;
  update.device = target.device;
  update.partition = target.partition;
  update.account = name->account;
  update.container = name->container;
  update.entry = row;
  update.entry.name = name->object;
  absl::Status sent = absl::ResourceExhaustedError("enough requests wait for updates already");
  if (waiting_.fetch_add(1) < max_waiting_) sent = listings_.Send(update);
  waiting_.fetch_sub(1);
  if (sent.ok()) return;
  if (!absl::IsResourceExhausted(sent)) {
    spdlog::info("container update to {} failed ({}); kept for the updater", target.host,
                 sent.ToString());
  }
  if (absl::Status saved = pending_.Save(where.device, update); !saved.ok()) {
    spdlog::error("cannot save a container update: {}", saved.ToString());
  }
}

}  // namespace gureum::object
