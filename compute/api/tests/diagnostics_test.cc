// Server diagnostics on fakes: admins only, a DIAGNOSTICS cast to the server's host, the
// agent's answer through the conductor (stored with its time), the wait for it on the
// FakeClock (DeadlineExceeded without one), 409 for a server without a host or whose
// domain does not run, and the REST route's 2.1 shape.
#include <catch2/catch.hpp>

#include "compute/api/conductor.h"
#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

// What the agent's answer leaves in the store, stamped `ahead` of the clock now.
void Answered(World& w, const std::string& uuid, std::map<std::string, int64_t> stats,
              absl::Duration ahead = absl::Seconds(1)) {
  REQUIRE(w.store
              .MutateInstance(uuid,
                              [&](Instance& x) {
                                x.diagnostics = stats;
                                x.diagnostics_at = w.clock.Now() + ahead;
                                return absl::OkStatus();
                              })
              .ok());
}

TEST_CASE("diagnostics: asked of the host, answered from the agent's push") {
  World w;
  w.AddFlavorAndImage();
  w.AddHost("h1");
  Instance i = w.ActiveServer("h1");
  ServerManager& m = w.managers.servers();
  CHECK(absl::IsPermissionDenied(m.GetDiagnostics(Member(), i.uuid).status()));
  CHECK(absl::IsNotFound(m.GetDiagnostics(Admin(), "nope").status()));

  // No answer: DeadlineExceeded after the timeout, with the cast sent.
  absl::Status late = m.GetDiagnostics(Admin(), i.uuid).status();
  CHECK(absl::IsDeadlineExceeded(late));
  auto casts = w.Casts(ComputeQueue("h1"));
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].action().kind() == v1::InstanceAction::DIAGNOSTICS);

  Answered(w, i.uuid, {{"cpu0_time", 17}, {"memory", 524288}});
  auto stats = m.GetDiagnostics(Admin(), i.uuid);
  REQUIRE(stats.ok());
  CHECK(*stats == std::map<std::string, int64_t>{{"cpu0_time", 17}, {"memory", 524288}});
  // An old answer is not taken for a new one.
  w.clock.Advance(absl::Seconds(5));
  CHECK(absl::IsDeadlineExceeded(m.GetDiagnostics(Admin(), i.uuid).status()));
  // Not running: 409 as Nova.
  Answered(w, i.uuid, {});
  absl::Status off = m.GetDiagnostics(Admin(), i.uuid).status();
  CHECK(absl::IsFailedPrecondition(off));
  CHECK(off.message() == "Instance " + i.uuid +
                             " in power state Running. Cannot get_diagnostics while the instance "
                             "is in this state.");
  auto unscheduled = m.CreateServers(Member(), w.Request());
  REQUIRE(unscheduled.ok());
  CHECK(absl::IsFailedPrecondition(
      m.GetDiagnostics(Admin(), unscheduled->instances[0].uuid).status()));
}

TEST_CASE("diagnostics: the conductor stores the agent's push with its time") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer("h1");
  Conductor conductor{w.store, w.bus, w.placement, w.clock, nullptr, w.managers.instance_events()};
  v1::InstanceUpdate u;
  u.set_instance_uuid(i.uuid);
  u.set_power_state(-1);
  u.set_keep_task_state(true);
  u.set_has_diagnostics(true);
  (*u.mutable_diagnostics())["memory"] = 1024;
  REQUIRE(conductor.ApplyInstanceUpdate(u).ok());
  Instance got = *w.store.GetInstance(i.uuid);
  CHECK(got.diagnostics == std::map<std::string, int64_t>{{"memory", 1024}});
  CHECK(got.diagnostics_at == w.clock.Now());
  CHECK(got.vm_state == vm::kActive);  // nothing else changed
}

TEST_CASE("diagnostics: the REST route, admins only") {
  FakeRest api;
  api.world().AddFlavorAndImage();
  api.world().AddHost("h1");
  Instance i = api.world().ActiveServer("h1");
  CHECK(api.Call("GET", "/servers/" + i.uuid + "/diagnostics").status == 403);
  Answered(api.world(), i.uuid, {{"memory", 2048}, {"vda_read", 5}}, absl::Hours(1));
  Reply r = api.AsAdmin("GET", "/servers/" + i.uuid + "/diagnostics");
  REQUIRE(r.status == 200);
  CHECK(r.body == nlohmann::json{{"memory", 2048}, {"vda_read", 5}});
}

}  // namespace
}  // namespace gureum::compute::testing
