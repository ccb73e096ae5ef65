// The REST adapter over a fixture's managers on an ephemeral port, with an httplib client
// and three tokens: "a" and "b" (members of two projects) and "admin".
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/http/server.h"
#include "network/server/network_rest.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {

class RestEnv {
 public:
  RestEnv() : server_(NetworkRest::ServerOptions("127.0.0.1", 0, nullptr)) {
    rest_ = std::make_unique<NetworkRest>(
        f.m(),
        [this](const std::string& token) -> absl::StatusOr<Caller> {
          if (token == "a") return f.a;
          if (token == "b") return f.b;
          if (token == "admin") return f.admin;
          return absl::UnauthenticatedError("The request you have made requires authentication.");
        },
        NetworkRestOptions{});
    rest_->Register(server_);
    auto port = server_.Start();
    REQUIRE(port.ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }
  ~RestEnv() { server_.Stop(); }

  std::pair<int, nlohmann::json> Do(const std::string& method, const std::string& path,
                                    const std::string& token,
                                    const nlohmann::json& body = nullptr) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("X-Auth-Token", token);
    httplib::Result r =
        method == "GET"    ? client_->Get(path, h)
        : method == "POST" ? client_->Post(path, h, body.dump(), "application/nlohmann::json")
        : method == "PUT"  ? client_->Put(path, h, body.dump(), "application/nlohmann::json")
                           : client_->Delete(path, h);
    REQUIRE(r);
    nlohmann::json j =
        r->body.empty() ? nlohmann::json() : nlohmann::json::parse(r->body, nullptr, false);
    return {r->status, j};
  }

  httplib::Client& client() { return *client_; }
  Fixture f;

 private:
  http::Server server_;
  std::unique_ptr<NetworkRest> rest_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace gureum::network::testing
