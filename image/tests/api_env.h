// Test harness for the REST and gRPC adapters: a real ImageManager over a fresh
// PostgreSQL database and a filesystem store in a temporary directory, served by the real
// http::Server and gRPC server on 127.0.0.1 port 0. Tokens are looked up in a fixed table
// (the adapters take any authenticate function; production wires ServiceAuth).
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include "common/grpc/server.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "image/image_rest.h"
#include "image/image_service.h"
#include "image/metadef_rest.h"
#include "image/tests/manager_fixture.h"
#include "image/tests/test_util.h"

#include "image.grpc.pb.h"

namespace gureum::image::testing {

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  httplib::Headers headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string Error() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : raw;
  }
};

class ApiEnv {
 public:
  explicit ApiEnv(ImageManagerOptions options = {}) : fixture(options), metrics_("image") {
    callers_ = {{"tok-p1", Member("p1")},
                {"tok-p2", Member("p2")},
                {"tok-admin", Admin()},
                {"tok-service", Service()},
                {"tok-reader", Reader("p1")}};
    Authenticate authn = [this](const std::string& token) -> absl::StatusOr<Caller> {
      auto it = callers_.find(token);
      if (it == callers_.end())
        return absl::UnauthenticatedError("The request you have made requires authentication.");
      return it->second;
    };
    rest_ =
        std::make_unique<ImageRest>(fixture.manager, authn, ImageRestOptions{"http://ctl:9292"});
    http::ServerOptions http_options = ImageRest::ServerOptions(&metrics_);
    http_options.host = "127.0.0.1";
    http_ = std::make_unique<http::Server>(http_options);
    rest_->Register(*http_);
    metadef_rest_ =
        std::make_unique<MetadefRest>(fixture.metadefs, authn, ImageRestOptions{"http://ctl:9292"});
    metadef_rest_->Register(*http_);
    auto port = http_->Start();
    REQUIRE(port.ok());
    rest_port = *port;
    env_.auth = authn;
    env_.metrics = &metrics_;
    service_ = std::make_unique<ImageService>(fixture.manager, env_);
    auto server = grpcx::Server::Start({.listen_address = "127.0.0.1:0"}, {service_.get()});
    REQUIRE(server.ok());
    grpc_ = *std::move(server);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_->port()),
                                   grpc::InsecureChannelCredentials());
    stub = v1::Images::NewStub(channel_);
  }
  ~ApiEnv() {
    http_->Stop();
    grpc_->Shutdown(absl::Seconds(1));
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", rest_port);
    c.set_read_timeout(60, 0);
    return c;
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = "", const std::string& type = "application/json") {
    httplib::Client c = Client();
    httplib::Headers h;
    if (!token.empty()) h.emplace("X-Auth-Token", token);
    auto send = [&]() -> httplib::Result {
      if (method == "GET") return c.Get(path.c_str(), h);
      if (method == "POST") return c.Post(path.c_str(), h, body, type.c_str());
      if (method == "PUT") return c.Put(path.c_str(), h, body, type.c_str());
      if (method == "PATCH") return c.Patch(path.c_str(), h, body, type.c_str());
      return c.Delete(path.c_str(), h);
    };
    httplib::Result r = send();
    REQUIRE(r);
    Reply out;
    out.status = r->status;
    out.raw = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  // Creates an image over REST and returns its id.
  std::string Create(const std::string& token, json body) {
    Reply r = Call("POST", "/v2/images", token, body.dump());
    REQUIRE(r.status == 201);
    return r.body["id"].get<std::string>();
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-auth-token", token);
    return ctx;
  }

  ManagerFixture fixture;
  int rest_port = 0;
  std::unique_ptr<v1::Images::Stub> stub;

 private:
  std::map<std::string, Caller> callers_;
  metrics::Metrics metrics_;
  grpcx::CallEnv env_;
  std::unique_ptr<ImageRest> rest_;
  std::unique_ptr<MetadefRest> metadef_rest_;
  std::unique_ptr<http::Server> http_;
  std::unique_ptr<ImageService> service_;
  std::unique_ptr<grpcx::Server> grpc_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace gureum::image::testing
