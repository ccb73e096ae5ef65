#include "object-storage/server/row_batcher.h"

namespace gureum::object {

absl::Status RowBatcher::Put(const std::string& path, const ListingEntry& row) {
  Waiter me{&row};
  mu_.Lock();
  auto [it, first] = queues_.try_emplace(path);
  it->second.waiting.push_back(&me);
  me.lead = first;  // nobody commits this database now: this caller does
  mu_.Await(absl::Condition(
      +[](Waiter* w) { return w->done || w->lead; }, &me));
  if (me.done) {
    mu_.Unlock();
    return me.status;
  }
  std::vector<Waiter*> batch;
  batch.swap(it->second.waiting);
  mu_.Unlock();

  std::vector<ListingEntry> rows;
  rows.reserve(batch.size());
  for (const Waiter* w : batch) rows.push_back(*w->row);
  const absl::Status status = commit_(path, rows);

  absl::MutexLock lock(&mu_);
  for (Waiter* w : batch) {
    w->status = status;
    w->done = true;
  }
  Queue& q = queues_.find(path)->second;
  if (q.waiting.empty()) {
    queues_.erase(path);
  } else {
    q.waiting.front()->lead = true;  // those that came meanwhile: the next batch
  }
  return me.status;
}

size_t RowBatcher::Queued(const std::string& path) {
  absl::MutexLock lock(&mu_);
  auto it = queues_.find(path);
  return it == queues_.end() ? 0 : it->second.waiting.size();
}

}  // namespace gureum::object
