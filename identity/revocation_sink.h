// Where identity announces token revocations besides its own table: the AMQP fanout
// `identity.revocations` publisher implements this (wired in main.cc); tests use
// FakeRevocationSink (fake_revocation_sink.h).
#pragma once

#include "absl/status/status.h"
#include "common/auth/revocation.h"

namespace gureum::identity {

class RevocationSink {
 public:
  virtual ~RevocationSink() = default;
  // Called after the event is committed to the database. A failure is logged and not
  // retried by the manager: services also fetch ListRevocationEvents at start-up and
  // periodically, so a lost message delays a revocation elsewhere but never loses it.
  // Must be thread-safe and should not block for long.
  virtual absl::Status Publish(const auth::RevocationEvent& event) = 0;
};

// A sink that drops everything (a deployment without AMQP, tools).
class NullRevocationSink final : public RevocationSink {
 public:
  absl::Status Publish(const auth::RevocationEvent&) override { return absl::OkStatus(); }
};

}  // namespace gureum::identity
