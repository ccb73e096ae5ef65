// gureum-image: the Glance v2 REST API (port 9292) and image's gRPC API (19292) over one
// ImageManager, records in PostgreSQL (database gureum_image), data in a local
// filesystem store or in object storage ([image] store = object). Callers' tokens are verified
// locally with identity's public keys (common/auth ServiceAuth), revocations arriving on the
// identity.revocations fanout.
#include <malloc.h>

#include <iostream>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/auth/service_auth.h"
#include "common/auth/service_token.h"
#include "common/base/signals.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/grpc/server.h"
#include "common/http/metrics_listener.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "common/policy/policy_config.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "image/filesystem_store.h"
#include "image/http_object_storage_client.h"
#include "image/image_manager.h"
#include "image/image_options.h"
#include "image/image_policy.h"
#include "image/image_rest.h"
#include "image/image_service.h"
#include "image/metadef_rest.h"
#include "image/migrations/migrations.h"
#include "image/pg_image_store.h"
#include "image/pg_metadef_store.h"

namespace gureum::image {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-image", what, status);
}

// The data store [image] store names, and what it needs kept alive.
struct DataStores {
  std::unique_ptr<FilesystemStore> file;
  std::unique_ptr<auth::ServiceToken> token;  // store = object: the service's own token
  std::unique_ptr<HttpObjectStorageClient> client;
  std::unique_ptr<ObjectDataStore> object;
  DataStore* active = nullptr;
  std::string where;  // for the log
};

absl::StatusOr<DataStores> OpenDataStores(const config::Config& cfg, auth::ServiceAuth& authn) {
  DataStores d;
  const std::string kind = cfg.GetString("image", "store");
  if (kind == "object") {
    auto token = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(cfg));
    if (!token.ok()) return token.status();
    d.token = *std::move(token);
    auto project_of = [&authn](const std::string& t) -> absl::StatusOr<std::string> {
      absl::StatusOr<Caller> caller = authn.Authenticate(t);
      if (!caller.ok()) return caller.status();
      if (caller->project_id.empty()) {
        return absl::FailedPreconditionError("[service_auth]: the token has no project");
      }
      return caller->project_id;
    };
    const std::string url = cfg.GetString("image", "object_store_url");
    d.client = std::make_unique<HttpObjectStorageClient>(HttpObjectStorageOptions{.url = url},
                                                         *d.token, project_of);
    d.object = std::make_unique<ObjectDataStore>(*d.client, ObjectDataStoreOptionsFromConfig(cfg));
    d.active = d.object.get();
    d.where = absl::StrCat("object storage at ", url);
    return d;
  }
  if (kind != "file") {
    return absl::InvalidArgumentError(
        absl::StrCat("[image] store must be file or object, not '", kind, "'"));
  }
  auto file = FilesystemStore::Create(cfg.GetString("image", "filesystem_store_datadir"));
  if (!file.ok()) return file.status();
  if (absl::Status s = (*file)->RemoveStalePartials(); !s.ok()) {
    spdlog::warn("could not remove partial uploads: {}", s.ToString());
  }
  d.file = *std::move(file);
  d.active = d.file.get();
  d.where = d.file->dir();
  return d;
}

int Main(int argc, char** argv) {
  // Image data passes through 1-4 MiB buffers on many threads (HTTP workers, gRPC
  // streams, the store's writer). glibc would serve each such buffer with a fresh mmap
  // (or, past its sliding threshold, keep what every thread's arena freed). A fresh mmap
  // costs a page fault and a zeroed page per 4 KiB, which halved the gRPC download rate;
  // so buffers under 4 MiB come from the heap, at most two arenas hold them, and a heap
  // keeps up to 8 MiB free at its top: memory stays flat and small (issue 4: < 64 MiB,
  // measured 43 MiB during 1 GiB transfers) and the buffers are reused hot.
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
  mallopt(M_ARENA_MAX, 2);
  BlockTerminationSignals();
  config::Schema schema;
  AddImageOptions(schema);
  http::AddMetricsListenerOptions(schema, "image");
  auth::AddServiceTokenOptions(schema);  // [service_auth] identity_grpc: where keys come from
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "image", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  auto pool =
      db::OpenCurrentDatabase(cfg->GetString("database", "connection"), "gureum_image", "image",
                              static_cast<int>(cfg->GetInt("image", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());
  std::unique_ptr<ImageStore> store = NewPgImageStore(**pool);
  auto authn = service::StartServiceAuth(*cfg);
  if (!authn.ok()) return Fail("cannot reach identity for token verification", authn.status());
  auto authenticate = [&](const std::string& token) { return (*authn)->Authenticate(token); };
  auto data = OpenDataStores(*cfg, **authn);
  if (!data.ok()) return Fail("[image] store", data.status());
  if (auto killed = store->KillInterruptedUploads(absl::Now()); !killed.ok()) {
    spdlog::warn("could not mark interrupted uploads killed: {}", killed.status().ToString());
  } else if (*killed > 0) {
    spdlog::warn("{} upload(s) interrupted by the last shutdown: images now killed", *killed);
  }

  auto enforcer = policy::EnforcerFromConfig(ImagePolicyDefaults(), *cfg, "image");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());

  ImageManager manager(*store, *data->active, **enforcer, RealClock::Get(),
                       RandomIdGenerator::Get(), ImageManagerOptionsFromConfig(*cfg));
  metrics::Metrics metrics("image");
  const std::string host = cfg->GetString("image", "host");

  grpcx::CallEnv env;
  env.auth = authenticate;
  env.metrics = &metrics;
  ImageService grpc_service(manager, env);
  // Uploads stream faster than the disk takes them; without a bound the HTTP/2 window
  // grown by BDP probing lets tens of MiB queue in the transport. A fixed 4 MiB window
  // keeps memory flat and is ample on a LAN.
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(host, cfg->GetInt("image", "grpc_port")),
       .int_channel_args = {{GRPC_ARG_HTTP2_BDP_PROBE, 0},
                            {GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 4 << 20}}},
      {&grpc_service});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());

  std::unique_ptr<MetadefStore> metadef_store = NewPgMetadefStore(**pool);
  MetadefManager metadefs(*metadef_store, **enforcer, RealClock::Get());
  const ImageRestOptions rest_options{.public_url = service::PublicBaseUrl(*cfg, "image")};
  ImageRest rest(manager, authenticate, rest_options);
  MetadefRest metadef_rest(metadefs, authenticate, rest_options);
  auto http_server = service::StartRestServer(*cfg, "image", ImageRest::ServerOptions(&metrics),
                                              [&](http::Server& s) {
                                                rest.Register(s);
                                                metadef_rest.Register(s);
                                              });
  if (!http_server.ok()) return Fail("REST", http_server.status());
  spdlog::info("gureum-image serving: REST port {}, gRPC port {}, store {}",
               cfg->GetInt("image", "rest_port"), (*grpc_server)->port(), data->where);
  service::ServeUntilSignal(**http_server, grpc_server->get());
  return 0;
}

}  // namespace
}  // namespace gureum::image

int main(int argc, char** argv) { return gureum::image::Main(argc, argv); }
