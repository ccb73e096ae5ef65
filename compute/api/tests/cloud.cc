#include "compute/api/tests/cloud.h"

#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "common/db/migrations.h"
#include "common/testing/test_env.h"
#include "compute/api/cast_codec.h"
#include "compute/api/migrations/migrations.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

Caller MakeCaller(const std::string& user, const std::string& project,
                  std::vector<std::string> roles) {
  Caller c;
  c.user_id = user;
  c.user_name = user;
  c.project_id = project;
  c.roles = std::move(roles);
  return c;
}

absl::StatusOr<Caller> FakeAuth(const std::string& token) {
  if (token == "token-a") return MakeCaller("user-a", kProjectA, {"member", "reader"});
  if (token == "token-a2") return MakeCaller("user-a2", kProjectA, {"member", "reader"});
  if (token == "token-b") return MakeCaller("user-b", kProjectB, {"member", "reader"});
  // A project-scoped token with only a role Nova's policy does not know.
  if (token == "token-a-norole") return MakeCaller("user-a3", kProjectA, {"observer"});
  if (token == "token-admin") {  // admin-openrc: the admin role on the admin project
    Caller admin = MakeCaller("admin", "project-admin", {"admin", "member", "reader"});
    admin.is_admin_project = true;
    return admin;
  }
  // What a domain admin can make: the admin role on one ordinary project.
  if (token == "token-c-admin")
    return MakeCaller("user-c", kProjectC, {"admin", "member", "reader"});
  return absl::UnauthenticatedError("bad token");
}

}  // namespace

Cloud::Cloud(bool with_scheduler, bool legacy_admin, bool with_networks) : clock_(absl::Now()) {
  pool_ = db_.NewPool(8);
  auto migrated = db::Migrate(*pool_, Migrations());
  INFO(migrated.status().ToString());
  REQUIRE(migrated.ok());
  store_ = NewPgComputeStore(*pool_);
  auto amqp = amqp::ParseUrl(gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
  REQUIRE(amqp.ok());
  amqp_ = *amqp;
  auto bus = amqp::Publisher::Create(amqp_);
  REQUIRE(bus.ok());
  bus_ = *std::move(bus);
  images_.Add({.id = kImageId,
               .name = "cirros",
               .status = "active",
               .disk_format = "qcow2",
               .container_format = "bare",
               .size = 1 << 20});
  auto enforcer =
      policy::Enforcer::CreateFromYaml(ComputePolicyDefaults(), "", {.legacy_admin = legacy_admin});
  REQUIRE(enforcer.ok());
  enforcer_ = *std::move(enforcer);
  host_ = gureum::testing::UniqueName("host");
  conductor_queue_ = gureum::testing::UniqueName("conductor");
  ComputeOptions options;
  options.scheduler_queue = gureum::testing::UniqueName("scheduler");
  networks_.SetTokenProject("token-a", kProjectA);
  networks_.SetTokenProject("token-b", kProjectB);
  managers_ = std::make_unique<ComputeManagers>(
      ComputeDeps{.store = *store_,
                  .bus = *bus_,
                  .images = images_,
                  .placement = placement_,
                  .networks = with_networks ? &networks_ : nullptr,
                  .enforcer = *enforcer_,
                  .clock = clock_,
                  .ids = ids_,
                  .block_storage = &block_storage_,
                  .block_storage_as_service = &block_storage_},
      options);
  conductor_ =
      std::make_unique<Conductor>(*store_, *bus_, placement_, clock_, &managers_->volumes());

  auto start = [&](const std::string& queue, amqp::Handler handler) {
    amqp::ConsumerOptions in;
    in.queue = queue;
    auto c = amqp::Consumer::Create(amqp_, in, std::move(handler));
    REQUIRE(c.ok());
    (*c)->Start();
    REQUIRE((*c)->WaitUntilConsuming(absl::Seconds(10)));
    return *std::move(c);
  };
  conductor_consumer_ =
      start(conductor_queue_, [this](const amqp::Message& m) { return conductor_->Handle(m); });
  auto sim = SimulatedHost::Start(amqp_, *bus_, host_, conductor_queue_,
                                  with_scheduler ? options.scheduler_queue : "");
  REQUIRE(sim.ok());
  sim_ = *std::move(sim);
  rest_ = std::make_unique<ComputeRest>(*managers_, FakeAuth, ComputeRestOptions{});
  http_ = std::make_unique<http::Server>(ComputeRest::ServerOptions("127.0.0.1", 0, nullptr));
  rest_->Register(*http_);
  auto port = http_->Start();
  REQUIRE(port.ok());
  client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  Heartbeat(host_);
}

Cloud::~Cloud() {
  sim_.reset();
  conductor_consumer_->Stop();
  http_->Stop();
}

HttpResult Cloud::Call(const std::string& token, const std::string& method, const std::string& path,
                       const json& body, const std::string& version) {
  return CallUrl(token, method, "/v2.1" + path, body, version);
}

HttpResult Cloud::CallUrl(const std::string& token, const std::string& method,
                          const std::string& url, const json& body, const std::string& version) {
  httplib::Headers headers = {{"X-Auth-Token", token}};
  if (!version.empty()) headers.emplace("OpenStack-API-Version", "compute " + version);
  const std::string text = body.is_null() ? "" : body.dump();
  httplib::Result r = method == "GET"    ? client_->Get(url, headers)
                      : method == "POST" ? client_->Post(url, headers, text, "application/json")
                      : method == "PUT"  ? client_->Put(url, headers, text, "application/json")
                                         : client_->Delete(url, headers);
  REQUIRE(r);
  HttpResult out{r->status, nullptr, r->body, {r->headers.begin(), r->headers.end()}};
  if (!r->body.empty()) out.body = json::parse(r->body, nullptr, false);
  return out;
}

json Cloud::WaitForStatus(const std::string& token, const std::string& id,
                          const std::string& status) {
  json last;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    HttpResult r = Call(token, "GET", "/servers/" + id);
    last = r.body;
    if (r.status == 200 && r.body["server"]["status"] == status) return r.body["server"];
    absl::SleepFor(absl::Milliseconds(10));
  }
  FAIL("server " << id << " did not reach " << status << "; last: " << last.dump());
  return last;
}

bool Cloud::WaitForGone(const std::string& token, const std::string& id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (Call(token, "GET", "/servers/" + id).status == 404) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

void Cloud::CreateFlavor(const std::string& id, int vcpus, int ram_mb, int disk_gb) {
  HttpResult r = Call(
      "token-admin", "POST", "/flavors",
      {{"flavor",
        {{"name", "f-" + id}, {"id", id}, {"vcpus", vcpus}, {"ram", ram_mb}, {"disk", disk_gb}}}});
  REQUIRE(r.status == 200);
}

std::string Cloud::Boot(const std::string& token, const std::string& name,
                        const std::string& flavor) {
  HttpResult r =
      Call(token, "POST", "/servers",
           {{"server", {{"name", name}, {"imageRef", kImageId}, {"flavorRef", flavor}}}});
  INFO(r.text);
  REQUIRE(r.status == 202);
  return r.body["server"]["id"];
}

void Cloud::SendToConductor(const v1::Cast& cast) {
  amqp::Message m;
  m.body = cast.SerializeAsString();
  REQUIRE(bus_->Cast(conductor_queue_, m).ok());
}

void Cloud::Heartbeat(const std::string& host, const std::map<std::string, int>& power,
                      absl::Time at) {
  v1::Cast cast;
  auto* hb = cast.mutable_heartbeat();
  hb->set_host(host);
  hb->set_binary("gureum-compute-agent");
  hb->set_node_uuid("node-" + host);
  hb->set_hypervisor_type("test");
  hb->set_at_unix_ms(absl::ToUnixMillis(at));
  for (const auto& [k, v] : power) (*hb->mutable_power_states())[k] = v;
  // Straight through the conductor, so the caller sees the effect on return.
  REQUIRE(conductor_->ApplyHeartbeat(*hb).ok());
}

}  // namespace gureum::compute::testing
