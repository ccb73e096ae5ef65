// The object expirer: objects past their X-Delete-At are deleted for good (a tombstone at
// the X-Delete-At time, so every replica writes the same one, and the row removed from
// every replica of the container's listing). Where Swift keeps a cluster-wide queue of
// expiring objects, each device here keeps an index of its own (ObjectFiles::Expiring),
// filled when data or a POST with X-Delete-At is written; reads already hide an expired
// object before its pass.
//
// Runs in a background thread of gureum-object-server (every `expirer_interval`), or once
// on POST /passes/expire.
#pragma once

#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "object-storage/ring/ring_holder.h"
#include "object-storage/server/object_manager.h"

namespace gureum::object {

struct ExpiryStats {
  int expired = 0;
  int dropped = 0;  // index entries of objects deleted, replaced or given another time
};

class Expirer {
 public:
  Expirer(ObjectFiles& files, ObjectManager& objects, ring::RingHolder& rings, Clock& clock)
      : files_(files), objects_(objects), rings_(rings), clock_(clock) {}
  ExpiryStats RunOnce();

 private:
  absl::Mutex run_mu_;  // one pass at a time (the thread, POST /passes/...)
  ObjectFiles& files_;
  ObjectManager& objects_;
  ring::RingHolder& rings_;
  Clock& clock_;
};

}  // namespace gureum::object
