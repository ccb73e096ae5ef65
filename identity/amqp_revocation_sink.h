// The RevocationSink of a deployed identity: publishes each event as JSON to the
// identity.revocations fanout (common/auth/authenticator.h), where every service's
// TokenAuthenticator applies it within milliseconds.
#pragma once

#include "common/amqp/bus.h"
#include "identity/revocation_sink.h"

namespace gureum::identity {

class AmqpRevocationSink final : public RevocationSink {
 public:
  // `bus` must outlive the sink. Declares the exchange on first publish.
  explicit AmqpRevocationSink(amqp::Bus& bus) : bus_(bus) {}
  absl::Status Publish(const auth::RevocationEvent& event) override;

 private:
  amqp::Bus& bus_;
};

}  // namespace gureum::identity
