#include "common/auth/service_auth.h"

#include <thread>

#include <spdlog/spdlog.h>

#include "absl/time/clock.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/auth/identity_fetcher.h"

namespace gureum::auth {

ServiceAuth::~ServiceAuth() {
  if (consumer_) consumer_->Stop();
}

absl::StatusOr<std::unique_ptr<ServiceAuth>> ServiceAuth::Start(const ServiceAuthOptions& options) {
  auto self = std::unique_ptr<ServiceAuth>(new ServiceAuth());
  self->fetcher_ = std::make_unique<GrpcKeyFetcher>(options.identity_grpc, nullptr);

  // The consumer is made first and started once the authenticator exists; a second
  // fetch after it is subscribed closes the gap between the two.
  if (!options.transport_url.empty()) {
    auto amqp_options = amqp::ParseUrl(options.transport_url);
    if (!amqp_options.ok()) return amqp_options.status();
    amqp::ConsumerOptions consumer_options;
    consumer_options.exchange = kRevocationExchange;
    consumer_options.exchange_type = amqp::ExchangeType::kFanout;
    ServiceAuth* raw = self.get();
    auto consumer = amqp::Consumer::Create(
        *amqp_options, consumer_options, [raw](const amqp::Message& m) -> absl::Status {
          absl::StatusOr<RevocationEvent> event = RevocationEventFromJson(m.body);
          if (!event.ok()) {
            spdlog::warn("dropping a malformed revocation event: {}", event.status().ToString());
            return absl::OkStatus();  // retrying cannot fix it
          }
          // The authenticator exists before the consumer starts (see below).
          raw->authenticator_->Apply(*event);
          return absl::OkStatus();
        });
    if (!consumer.ok()) return consumer.status();
    self->consumer_ = *std::move(consumer);
  }

  absl::Time deadline = absl::Now() + options.startup_timeout;
  absl::Duration wait = absl::Milliseconds(200);
  while (true) {
    auto authn =
        TokenAuthenticator::Create(*self->fetcher_, RealClock::Get(), options.authenticator);
    if (authn.ok()) {
      self->authenticator_ = *std::move(authn);
      break;
    }
    if (absl::Now() + wait > deadline) {
      return absl::UnavailableError("identity at " + options.identity_grpc +
                                    " did not answer: " + std::string(authn.status().message()));
    }
    spdlog::info("waiting for identity at {}: {}", options.identity_grpc,
                 std::string(authn.status().message()));
    absl::SleepFor(wait);
    wait = std::min(wait * 2, absl::Seconds(5));
  }
  if (self->consumer_) {
    self->consumer_->Start();
    if (!self->consumer_->WaitUntilConsuming(absl::Seconds(10))) {
      spdlog::warn("not yet subscribed to {}: revocations arrive by refresh until it is",
                   kRevocationExchange);
    }
    // Events published between the first fetch and the subscription: fetch again.
    absl::Status s = self->authenticator_->Refresh();
    if (!s.ok()) spdlog::warn("refresh after subscribing failed: {}", s.ToString());
  }
  self->authenticator_->StartRefresh();
  return self;
}

}  // namespace gureum::auth
