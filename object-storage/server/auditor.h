// The object auditor, as Swift's: re-reads every object on this server's devices at a
// bounded rate (bytes per second), checks the bytes' MD5 against the ETag kept with them,
// and moves a copy that no longer matches (or whose metadata is unreadable) to
// <device>/quarantined/objects/; the partition's hash changes with it, so the replicator
// brings a good copy back from another replica.
//
// Runs in a background thread of gureum-object-server (every `auditor_interval`), or
// once on POST /passes/audit.
#pragma once

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "object-storage/server/object_files.h"

namespace gureum::object {

struct AuditStats {
  int checked = 0;
  int quarantined = 0;
  int64_t bytes = 0;
};

class Auditor {
 public:
  // `bytes_per_second` <= 0: as fast as the disk goes.
  Auditor(ObjectFiles& files, Clock& clock, int64_t bytes_per_second)
      : files_(files), clock_(clock), rate_(bytes_per_second) {}
  AuditStats RunOnce();

 private:
  absl::Mutex run_mu_;  // one pass at a time (the thread, POST /passes/...)
  // Checks one hash directory; true when it was quarantined.
  bool Check(const std::string& device, uint32_t part, const std::string& hash_dir,
             AuditStats& stats);

  ObjectFiles& files_;
  Clock& clock_;
  const int64_t rate_;
};

}  // namespace gureum::object
