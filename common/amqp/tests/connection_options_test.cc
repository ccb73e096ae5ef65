#include "common/amqp/connection_options.h"

#include <catch2/catch.hpp>

#include "common/amqp/backoff.h"

namespace gureum::amqp {
namespace {

TEST_CASE("ParseUrl reads every part and decodes the vhost", "[amqp]") {
  absl::StatusOr<ConnectionOptions> o = ParseUrl("amqp://gureum:s3cret@10.0.0.5:5673/%2f");
  REQUIRE(o.ok());
  CHECK(o->host == "10.0.0.5");
  CHECK(o->port == 5673);
  CHECK(o->user == "gureum");
  CHECK(o->password == "s3cret");
  CHECK(o->vhost == "/");

  o = ParseUrl("amqp://u:p@rabbit/cloud");
  REQUIRE(o.ok());
  CHECK(o->port == 5672);
  CHECK(o->vhost == "cloud");
}

TEST_CASE("ParseUrl refuses what it cannot use", "[amqp]") {
  CHECK(absl::IsInvalidArgument(ParseUrl("http://u:p@host/").status()));
  CHECK(absl::IsInvalidArgument(ParseUrl("amqps://u:p@host/").status()));
  absl::Status s = ParseUrl("amqp://u:topsecret@host:notaport/").status();
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message().find("topsecret") == std::string::npos);
}

TEST_CASE("ToString never shows the password", "[amqp]") {
  ConnectionOptions o = *ParseUrl("amqp://gureum:s3cret@h:5672/%2f");
  CHECK(o.ToString() == "amqp://gureum:***@h:5672/%2f");
}

TEST_CASE("Backoff doubles up to the cap and restarts after Reset", "[amqp]") {
  Backoff b(absl::Milliseconds(100), absl::Milliseconds(500));
  CHECK(b.Next() == absl::Milliseconds(100));
  CHECK(b.Next() == absl::Milliseconds(200));
  CHECK(b.Next() == absl::Milliseconds(400));
  CHECK(b.Next() == absl::Milliseconds(500));
  CHECK(b.Next() == absl::Milliseconds(500));
  b.Reset();
  CHECK(b.Next() == absl::Milliseconds(100));
}

}  // namespace
}  // namespace gureum::amqp
