// gureum-object-proxy: the Swift v1 REST API (port 8080) in front of the object servers.
// Stateless: the ring file says where everything is, tokens are verified locally with
// identity's public keys (common/auth ServiceAuth), so any number of proxies can serve
// one cluster.
#include <spdlog/spdlog.h>

#include "common/auth/service_token.h"
#include "common/base/clock.h"
#include "common/base/signals.h"
#include "common/http/metrics_listener.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "object-storage/proxy/cluster.h"
#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/grpc_identity_client.h"
#include "object-storage/proxy/http_node_client.h"
#include "object-storage/proxy/object_controller.h"
#include "object-storage/proxy/proxy_rest.h"
#include "object-storage/proxy/s3_rest.h"
#include "object-storage/ring/ring_holder.h"

namespace gureum::object::proxy {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-object-proxy", what, status);
}

void AddProxyOptions(config::Schema& schema) {
  const std::string s = "object_proxy";
  schema.String(s, "host", "0.0.0.0", "Address the Swift API listens on.");
  schema.Int(s, "rest_port", 8080, 1, 65535, "Port of the Swift API.");
  schema.String(s, "ring_file", "/etc/gureum/object.ring",
                "The object ring (gureum-manage object ring ...); reloaded when it changes.");
  schema.Int(s, "workers", 64, 1, 4096, "Threads serving requests.");
  schema.Bool(s, "s3_api", true,
              "Serve the S3 API (path-style) on the same port; needs [service_auth] username "
              "and password of a user with the service role, to read EC2 secrets.");
  schema.String(s, "s3_domain", "",
                "With it, S3 requests to <bucket>.<s3_domain> name the bucket by the host "
                "(virtual-host style); path-style requests work either way.");
  http::AddMetricsListenerOptions(schema, s);
  auth::AddServiceTokenOptions(schema);
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddProxyOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "object_proxy", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  Clock& clock = RealClock::Get();
  auto rings = ring::RingHolder::Create(cfg->GetString("object_proxy", "ring_file"), clock);
  if (!rings.ok()) return Fail("[object_proxy] ring_file", rings.status());
  auto authn = service::StartServiceAuth(*cfg);
  if (!authn.ok()) return Fail("cannot reach identity for token verification", authn.status());

  // The S3 API reads EC2 secrets from identity as this service; without a service user it
  // stays off.
  std::unique_ptr<auth::ServiceToken> token;
  std::unique_ptr<IdentityClient> identity;
  if (cfg->GetBool("object_proxy", "s3_api")) {
    auto created = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(*cfg));
    if (created.ok()) {
      token = *std::move(created);
      identity = MakeGrpcIdentityClient(cfg->GetString("service_auth", "identity_grpc"), *token);
    } else {
      spdlog::warn("S3 API off: {}", created.status().ToString());
    }
  }

  HttpNodeClient client(clock);
  Cluster cluster(**rings, client, clock);
  ContainerController containers(cluster);
  ObjectController objects(cluster, containers);
  ProxyRest rest(
      containers, objects, [&](const std::string& token) { return (*authn)->Authenticate(token); },
      clock);
  http::ServerOptions options = ProxyRest::ServerOptions();
  options.threads = static_cast<int>(cfg->GetInt("object_proxy", "workers"));
  std::unique_ptr<S3Auth> s3_auth;
  std::unique_ptr<S3Rest> s3;
  if (identity) {
    s3_auth = std::make_unique<S3Auth>(*identity, clock);
    s3 = std::make_unique<S3Rest>(containers, objects, *s3_auth, clock,
                                  cfg->GetString("object_proxy", "s3_domain"));
  }
  auto server = service::StartRestServer(*cfg, "object_proxy", options, [&](http::Server& s) {
    rest.Register(s);
    if (s3) s3->Register(s);  // after the Swift routes, which win
  });
  if (!server.ok()) return Fail("HTTP", server.status());
  spdlog::info("gureum-object-proxy serving the Swift API on port {}",
               cfg->GetInt("object_proxy", "rest_port"));
  service::ServeUntilSignal(**server, nullptr);
  return 0;
}

}  // namespace
}  // namespace gureum::object::proxy

int main(int argc, char** argv) { return gureum::object::proxy::Main(argc, argv); }
