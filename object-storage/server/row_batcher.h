// Group commit of listing rows: rows for one database that arrive while a transaction on
// it is running are committed together in the next one, as Swift's container server
// gathers rows in its .pending file and merges them in batches. One row alone is committed
// at once, as before. Every caller gets its row's outcome (the batch's transaction's).
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "object-storage/server/listing_db.h"

namespace gureum::object {

class RowBatcher {
 public:
  // Commits `rows` to the database at `path` in one transaction.
  using Commit =
      std::function<absl::Status(const std::string& path, const std::vector<ListingEntry>& rows)>;

  explicit RowBatcher(Commit commit) : commit_(std::move(commit)) {}

  // Returns when `row` is committed (or its batch failed).
  absl::Status Put(const std::string& path, const ListingEntry& row);
  // Rows of `path` waiting for the next commit (tests).
  size_t Queued(const std::string& path);

 private:
  struct Waiter {
    const ListingEntry* row;
    absl::Status status;
    bool done = false;
    bool lead = false;  // this caller commits the next batch
  };
  struct Queue {
    std::vector<Waiter*> waiting;
  };

  Commit commit_;
  absl::Mutex mu_;
  // A path is here while a batch of it is being committed; node-stable (references kept).
  std::unordered_map<std::string, Queue> queues_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object
