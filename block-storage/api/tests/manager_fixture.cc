#include "block-storage/api/tests/manager_fixture.h"

#include "absl/strings/str_cat.h"

namespace gureum::block_storage::testing {
namespace {

std::unique_ptr<policy::Enforcer> NewEnforcer() {
  auto e = policy::Enforcer::Create(BlockStoragePolicyDefaults());
  REQUIRE(e.ok());
  return std::move(*e);
}

amqp::Message Encode(const pb::AgentReport& report) {
  amqp::Message m;
  m.body = report.SerializeAsString();
  m.content_type = "application/x-protobuf";
  return m;
}

// What gureum-volume-agent answers to `cast` (OK, or `error` when set).
pb::AgentReport Answer(const pb::VolumeCast& cast, const std::string& error) {
  pb::AgentReport r;
  r.set_task_id(cast.task_id());
  const pb::Outcome outcome = error.empty() ? pb::OUTCOME_OK : pb::OUTCOME_ERROR;
  auto volume = [&](const std::string& id, const std::string& op, int64_t size) {
    pb::VolumeResult* v = r.mutable_volume();
    v->set_volume_id(id);
    v->set_op(op);
    v->set_outcome(outcome);
    v->set_error(error);
    v->set_size_gb(size);
  };
  switch (cast.op_case()) {
    case pb::VolumeCast::kCreateVolume:
      volume(cast.create_volume().volume_id(), "create_volume", cast.create_volume().size_gb());
      r.mutable_volume()->set_bootable(!cast.create_volume().source().image_id().empty());
      break;
    case pb::VolumeCast::kDeleteVolume:
      volume(cast.delete_volume().volume_id(), "delete_volume", 0);
      break;
    case pb::VolumeCast::kExtendVolume:
      volume(cast.extend_volume().volume_id(), "extend_volume",
             error.empty() ? cast.extend_volume().new_size_gb() : 0);
      break;
    case pb::VolumeCast::kCreateSnapshot:
    case pb::VolumeCast::kDeleteSnapshot: {
      const bool create = cast.has_create_snapshot();
      pb::SnapshotResult* s = r.mutable_snapshot();
      s->set_snapshot_id(create ? cast.create_snapshot().snapshot_id()
                                : cast.delete_snapshot().snapshot_id());
      s->set_op(create ? "create_snapshot" : "delete_snapshot");
      s->set_outcome(outcome);
      s->set_error(error);
      break;
    }
    case pb::VolumeCast::kExportVolume:
    case pb::VolumeCast::kUnexportVolume: {
      const bool exp = cast.has_export_volume();
      pb::ExportResult* e = r.mutable_export_result();
      e->set_attachment_id(exp ? cast.export_volume().attachment_id()
                               : cast.unexport_volume().attachment_id());
      e->set_op(exp ? "export" : "unexport");
      e->set_outcome(outcome);
      e->set_error(error);
      if (exp && error.empty()) {
        e->mutable_connection_info()->set_protocol("nbd");
        e->mutable_connection_info()->set_host("192.0.2.10");
        e->mutable_connection_info()->set_port(10809);
        e->mutable_connection_info()->set_export_name("secret-" + e->attachment_id());
      }
      break;
    }
    case pb::VolumeCast::kUploadVolume:
      volume(cast.upload_volume().volume_id(), "upload_volume", 0);
      break;
    default:
      break;
  }
  return r;
}

}  // namespace

World::World()
    : enforcer(NewEnforcer()),
      policy(*enforcer),
      deps{.store = store,
           .casts = casts,
           .policy = policy,
           .clock = clock,
           .ids = ids,
           .options = options,
           .images = &images,
           .new_images = &new_images,
           .notifier = &notifier,
           .compute = &compute},
      managers(deps) {
  options.service_down_time = absl::Seconds(60);
  options.export_timeout = absl::Seconds(30);
  REQUIRE(managers.types().EnsureDefault().ok());
  bus.Subscribe({.queue = kReportQueue},
                [this](const amqp::Message& m) { return managers.reports().Handle(m); });
  for (const char* key : {"volume.#", "snapshot.#"}) {
    bus.Subscribe({.exchange = amqp::kNotificationExchange,
                   .exchange_type = amqp::ExchangeType::kTopic,
                   .binding_key = key},
                  [this](const amqp::Message& m) {
                    notifications.push_back(nlohmann::json::parse(m.body));
                    return absl::OkStatus();
                  });
  }
}

void World::AddBackend(const std::string& host, const std::string& backend, int64_t total_gb) {
  pb::AgentReport report;
  pb::BackendReport* b = report.mutable_backend();
  b->set_host(host);
  b->set_backend(backend);
  b->set_driver("file");
  b->set_total_gb(total_gb);
  b->set_free_gb(total_gb);
  REQUIRE(managers.reports().Handle(Encode(report)).ok());
  if (!agents.insert(host).second) return;
  bus.Subscribe({.queue = "volume." + host}, [this, host](const amqp::Message& m) {
    pb::VolumeCast cast;
    REQUIRE(cast.ParseFromString(m.body));
    if (silent.count(host) != 0) return absl::OkStatus();
    return bus.Cast(kReportQueue, Encode(Answer(cast, failing[host])));
  });
}

std::vector<pb::VolumeCast> World::Pending(const std::string& host) {
  std::vector<pb::VolumeCast> out;
  for (const amqp::Message& m : bus.Queued("volume." + host)) {
    pb::VolumeCast cast;
    REQUIRE(cast.ParseFromString(m.body));
    out.push_back(cast);
  }
  return out;
}

Volume World::MakeVolume(const RequestContext& ctx, int64_t size_gb, const std::string& name) {
  VolumeCreate c;
  c.name = name;
  c.size_gb = size_gb;
  absl::StatusOr<Volume> v = managers.volumes().Create(ctx, c);
  REQUIRE(v.ok());
  Deliver();
  Volume now = Reload(v->id);
  REQUIRE(now.status == "available");
  return now;
}

Volume World::Reload(const std::string& id) {
  absl::StatusOr<Volume> v = store.GetVolume(id);
  REQUIRE(v.ok());
  return *v;
}

}  // namespace gureum::block_storage::testing
