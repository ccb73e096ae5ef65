// auth_probe: a stand-in for "another service process" in end-to-end tests. It
// authenticates a token the way every service does (common/auth ServiceAuth: identity's
// public keys over gRPC, revocations from the identity.revocations fanout) every 10 ms,
// prints "valid" once it is, then exits 0 at the first failure after that, printing the
// epoch milliseconds at which it noticed. Exit 1 if the token never turns invalid before
// --timeout, 2 if it was never valid.
#include <chrono>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "common/auth/service_auth.h"
#include "common/log/log.h"

int main(int argc, char** argv) {
  CLI::App app{"auth_probe"};
  std::string identity, transport, token;
  int timeout_s = 30;
  app.add_option("--identity", identity, "identity gRPC host:port")->required();
  app.add_option("--transport-url", transport, "amqp:// URL");
  app.add_option("--token", token, "token to watch")->required();
  app.add_option("--timeout", timeout_s, "seconds");
  CLI11_PARSE(app, argc, argv);
  (void)gureum::log::Init({.service = "auth_probe", .level = "warn"});

  auto auth =
      gureum::auth::ServiceAuth::Start({.identity_grpc = identity, .transport_url = transport});
  if (!auth.ok()) {
    std::cerr << auth.status() << "\n";
    return 2;
  }
  using Clock = std::chrono::system_clock;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
  bool was_valid = false;
  while (Clock::now() < deadline) {
    bool valid = (*auth)->Authenticate(token).ok();
    if (valid && !was_valid) {
      was_valid = true;
      std::cout << "valid" << std::endl;
    } else if (!valid && was_valid) {
      auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
              .count();
      std::cout << "invalid " << ms << std::endl;
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return was_valid ? 1 : 2;
}
