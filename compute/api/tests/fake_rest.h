// Test-only: compute-api's Nova REST API on fakes only (World of manager_fixture.h: the
// in-memory store, FakeImageClient, ...; no PostgreSQL, no RabbitMQ) on a free port.
// Tokens: "token-p1" and "token-p2" are members of projects p1 and p2 (Member()),
// "token-admin" the cloud admin (Admin()).
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/http/server.h"
#include "compute/api/compute_rest.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {

struct Reply {
  int status = 0;
  nlohmann::json body;
};

class FakeRest {
 public:
  // `with_networks`: a FakeNetworkClient as the network service (World's), else none.
  explicit FakeRest(bool with_networks = false) : w_(with_networks) {
    auto auth = [](const std::string& token) -> absl::StatusOr<Caller> {
      if (token == "token-admin") return Admin().caller;
      if (token == "token-p2") return Member("p2").caller;
      return Member().caller;
    };
    rest_ = std::make_unique<ComputeRest>(w_.managers, auth, ComputeRestOptions{});
    http_ = std::make_unique<http::Server>(ComputeRest::ServerOptions("127.0.0.1", 0, nullptr));
    rest_->Register(*http_);
    absl::StatusOr<int> port = http_->Start();
    REQUIRE(port.ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }
  ~FakeRest() { http_->Stop(); }

  // `path` under /v2.1, as `token`, at microversion `version` ("": none, 2.1).
  Reply Call(const std::string& method, const std::string& path,
             const nlohmann::json& body = nullptr, const std::string& token = "token-p1",
             const std::string& version = "") {
    httplib::Headers headers = {{"X-Auth-Token", token}};
    if (!version.empty()) headers.emplace("OpenStack-API-Version", "compute " + version);
    const std::string url = "/v2.1" + path;
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result r = method == "GET"    ? client_->Get(url, headers)
                        : method == "POST" ? client_->Post(url, headers, text, "application/json")
                        : method == "PUT"  ? client_->Put(url, headers, text, "application/json")
                                           : client_->Delete(url, headers);
    REQUIRE(r);
    Reply out{r->status, nullptr};
    if (!r->body.empty()) out.body = nlohmann::json::parse(r->body, nullptr, false);
    return out;
  }
  Reply AsAdmin(const std::string& method, const std::string& path,
                const nlohmann::json& body = nullptr) {
    return Call(method, path, body, "token-admin");
  }

  World& world() { return w_; }
  FakeImageClient& images() { return w_.images; }
  FakeNetworkClient& networks() { return w_.networks; }

 private:
  World w_;
  std::unique_ptr<ComputeRest> rest_;
  std::unique_ptr<http::Server> http_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace gureum::compute::testing
