// Scheduler benchmark: placement decisions per second with 1,000 simulated hosts, each
// decision a full Scheduler::Schedule (filters and weighers over the in-memory copy of
// every provider, then the claim in PostgreSQL), at several concurrencies; and the same
// with two Scheduler instances on one database (two processes' worth), and with the
// BuildInstance cast confirmed by a real RabbitMQ when GUREUM_TEST_AMQP_URL is set.
// A first row runs the same decisions over the in-memory store, to separate the
// in-process cost from the database's.
//
//   tests/lib/services.sh start /tmp/bench && source /tmp/bench/env
//   build/tests/bench/scheduler_bench [--hosts 1000] [--decisions 4000]
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"
#include "common/base/process.h"
#include "common/db/database_admin.h"
#include "common/db/migrations.h"
#include "common/db/uri.h"
#include "common/log/log.h"
#include "scheduler/fake_host_state_source.h"
#include "scheduler/fake_placement_store.h"
#include "scheduler/migrations/migrations.h"
#include "scheduler/pg_placement_store.h"
#include "scheduler/scheduler_manager.h"
#include "tests/bench/harness.h"

namespace gureum {
namespace {

using bench::Row;
using scheduler::Inventory;
using scheduler::Provider;

constexpr char kGoal[] = ">= 1000 decisions/s";

// Counts casts and drops them: the decision and the claim are measured, not a broker.
class NullBus final : public amqp::Bus {
 public:
  absl::Status Cast(const std::string&, const amqp::Message&) override {
    ++casts;
    return absl::OkStatus();
  }
  absl::Status CastBatch(const std::string&, const std::vector<amqp::Message>& m) override {
    casts += static_cast<int>(m.size());
    return absl::OkStatus();
  }
  absl::Status DeclareExchange(const std::string&, amqp::ExchangeType) override {
    return absl::OkStatus();
  }
  absl::Status Publish(const std::string&, const std::string&, const amqp::Message&) override {
    return absl::OkStatus();
  }
  std::atomic<int> casts{0};
};

// Sends every cast to one queue: the broker's confirm path is measured, not the
// declaration of a queue per simulated host.
class OneQueueBus final : public amqp::Bus {
 public:
  OneQueueBus(amqp::Bus& bus, std::string queue) : bus_(bus), queue_(std::move(queue)) {}
  absl::Status Cast(const std::string&, const amqp::Message& m) override {
    return bus_.Cast(queue_, m);
  }
  absl::Status CastBatch(const std::string&, const std::vector<amqp::Message>& m) override {
    return bus_.CastBatch(queue_, m);
  }
  absl::Status DeclareExchange(const std::string& e, amqp::ExchangeType t) override {
    return bus_.DeclareExchange(e, t);
  }
  absl::Status Publish(const std::string& e, const std::string& k,
                       const amqp::Message& m) override {
    return bus_.Publish(e, k, m);
  }

 private:
  amqp::Bus& bus_;
  const std::string queue_;
};

Provider Host(int i) {
  Provider p;
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "20000000-0000-4000-8000-%012d", i);
  p.uuid = uuid;
  p.name = absl::StrCat("sim", i);
  auto add = [&](const char* rc, int64_t total, double ratio) {
    Inventory inv;
    inv.resource_class = rc;
    inv.total = total;
    inv.max_unit = total;
    inv.allocation_ratio = ratio;
    p.inventories[rc] = inv;
  };
  add(scheduler::kVcpu, 64, 4.0);
  add(scheduler::kMemoryMb, 262144, 1.0);
  add(scheduler::kDiskGb, 4000, 1.0);
  p.traits = {"HW_ARCH_X86_64"};
  return p;
}

compute::v1::ScheduleRequest Request(long long n) {
  compute::v1::ScheduleRequest r;
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "30000000-0000-4000-8000-%012lld", n);
  r.set_task_id(absl::StrCat("bench-", n));
  r.set_attempt(1);
  auto* s = r.mutable_spec();
  s->set_uuid(uuid);
  s->set_project_id("bench");
  s->set_user_id("bench");
  s->mutable_flavor()->set_vcpus(1);
  s->mutable_flavor()->set_ram_mb(512);
  s->mutable_flavor()->set_disk_gb(1);
  (*s->mutable_image()->mutable_properties())["architecture"] = "x86_64";
  return r;
}

// `total` decisions at `concurrency` over `schedulers` (round robin by thread).
Row Run(const std::string& scenario, std::vector<scheduler::Scheduler*> schedulers, long long total,
        int concurrency, std::atomic<long long>& next_id) {
  return bench::RunClosedLoop(
      scenario, total, concurrency,
      [&](int thread) -> absl::Status {
        scheduler::Scheduler& s = *schedulers[thread % schedulers.size()];
        absl::StatusOr<scheduler::Outcome> o = s.Schedule(Request(next_id++));
        if (!o.ok()) return o.status();
        if (!o->placed) return absl::ResourceExhaustedError(o->fault_details);
        return absl::OkStatus();
      },
      kGoal);
}

int Main(int argc, char** argv) {
  CLI::App app{"scheduler benchmark"};
  int hosts = 1000;
  long long decisions = 4000;
  int subset = 1;
  app.add_option("--hosts", hosts, "Simulated compute hosts (resource providers)");
  app.add_option("--decisions", decisions, "Decisions per row");
  app.add_option("--host-subset-size", subset, "[scheduler] host_subset_size");
  CLI11_PARSE(app, argc, argv);
  InitProcess();
  (void)log::Init({.service = "scheduler_bench", .level = "warn"});

  scheduler::FakeHostStateSource states;
  for (int i = 0; i < hosts; ++i) states.AddHost(absl::StrCat("sim", i));
  scheduler::SchedulerOptions options;
  options.host_subset_size = subset;
  NullBus bus;
  std::atomic<long long> next_id{0};
  const std::string title = absl::StrCat("scheduler: ", hosts,
                                         " hosts, 1 VCPU / 512 MB / 1 GB per decision, "
                                         "host_subset_size ",
                                         subset);

  std::vector<Row> rows;
  {
    scheduler::FakePlacementStore memory;
    for (int i = 0; i < hosts; ++i) (void)memory.PutProvider(Host(i));
    scheduler::Scheduler s(memory, states, bus, RealClock::Get(), options);
    rows.push_back(Run("in-memory store (filters+weighers only)", {&s}, decisions / 4, 1, next_id));
  }

  const char* pg = std::getenv("GUREUM_TEST_PG_URI");
  if (pg == nullptr) {
    bench::PrintTable(title, rows);
    std::cerr << "GUREUM_TEST_PG_URI is not set: skipping the PostgreSQL rows "
                 "(start tests/lib/services.sh and source its env file)\n";
    return 0;
  }
  auto admin = db::ConnectionPool::Create(pg, 1);
  if (!admin.ok()) return (std::cerr << admin.status() << "\n", 1);
  const std::string db_name = "gureum_scheduler_bench";
  (void)db::DropDatabase(**admin, db_name);
  if (auto s = db::EnsureDatabase(**admin, db_name); !s.ok()) return (std::cerr << s << "\n", 1);
  auto uri = db::UriWithDatabase(std::string(pg).substr(0, std::string(pg).rfind('/')), db_name);
  auto pool_a = db::ConnectionPool::Create(*uri, 16);
  auto pool_b = db::ConnectionPool::Create(*uri, 16);
  if (!pool_a.ok() || !pool_b.ok()) return (std::cerr << "cannot connect\n", 1);
  if (auto m = db::Migrate(**pool_a, scheduler::Migrations()); !m.ok()) {
    return (std::cerr << m.status() << "\n", 1);
  }
  auto store_a = scheduler::NewPgPlacementStore(**pool_a);
  auto store_b = scheduler::NewPgPlacementStore(**pool_b);
  for (int i = 0; i < hosts; ++i) {
    if (auto p = store_a->PutProvider(Host(i)); !p.ok())
      return (std::cerr << p.status() << "\n", 1);
  }
  scheduler::Scheduler a(*store_a, states, bus, RealClock::Get(), options);
  scheduler::Scheduler b(*store_b, states, bus, RealClock::Get(), options);
  // Warm up: the first decision loads 1,000 providers.
  (void)Run("warm-up", {&a, &b}, 50, 2, next_id);
  for (int c : {1, 4, 8, 16}) {
    rows.push_back(
        Run(absl::StrCat("PostgreSQL claims, 1 scheduler"), {&a}, decisions, c, next_id));
  }
  rows.push_back(Run("PostgreSQL claims, 2 schedulers", {&a, &b}, decisions, 8, next_id));
  bench::PrintTable(title, rows);
  rows.clear();

  if (const char* amqp_url = std::getenv("GUREUM_TEST_AMQP_URL")) {
    auto amqp_options = amqp::ParseUrl(amqp_url);
    auto publisher = amqp_options.ok()
                         ? amqp::Publisher::Create(*amqp_options)
                         : absl::StatusOr<std::unique_ptr<amqp::Publisher>>(amqp_options.status());
    if (publisher.ok()) {
      OneQueueBus one_queue(**publisher, "scheduler-bench-builds");
      scheduler::Scheduler r(*store_a, states, one_queue, RealClock::Get(), options);
      rows.push_back(Run("+ confirmed cast to RabbitMQ", {&r}, decisions, 8, next_id));
      (void)(*publisher)->DeleteQueue("scheduler-bench-builds");
      (void)(*publisher)->DeleteQueue("scheduler-bench-builds.dead");
      bench::PrintTable(title + ", casts to RabbitMQ", rows);
    }
  }
  auto stats = (*pool_a)->Stats();
  std::cout << "claim transactions retried by the pool: " << stats.retries
            << "; builds cast (null bus): " << bus.casts << "\n";
  pool_a->reset();
  pool_b->reset();
  (void)db::DropDatabase(**admin, db_name);
  return 0;
}

}  // namespace
}  // namespace gureum

int main(int argc, char** argv) { return gureum::Main(argc, argv); }
