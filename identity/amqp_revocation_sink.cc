#include "identity/amqp_revocation_sink.h"

#include "common/auth/authenticator.h"
#include "common/status/macros.h"

namespace gureum::identity {

absl::Status AmqpRevocationSink::Publish(const auth::RevocationEvent& event) {
  GUREUM_RETURN_IF_ERROR(
      bus_.DeclareExchange(auth::kRevocationExchange, amqp::ExchangeType::kFanout));
  amqp::Message message;
  message.body = auth::RevocationEventToJson(event);
  return bus_.Publish(auth::kRevocationExchange, "", message);
}

}  // namespace gureum::identity
