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

#include <string>

#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "object-storage/ring/ring_holder.h"
#include "object-storage/server/object_manager.h"

namespace gureum::object {

struct ExpiryStats {
  int expired = 0;
  int dropped = 0;  // index entries of objects deleted, replaced or given another time
};

struct ExpirerDeps {
  ObjectFiles& files;
  ObjectManager& objects;
  ring::RingHolder& rings;  // where the containers' listings are
  Clock& clock;
  std::string ip;  // this server's address and port in the ring
  int port = 0;
};

class Expirer {
 public:
  explicit Expirer(ExpirerDeps deps) : d_(std::move(deps)) {}
  // A server the ring does not have still expires its objects but updates no listing
  // (its ring is not the cluster's, logged).
  ExpiryStats RunOnce();

 private:
  absl::Mutex run_mu_;  // one pass at a time (the thread, POST /passes/...)
  ExpirerDeps d_;
};

}  // namespace gureum::object
