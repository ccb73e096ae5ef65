// The casts of server operations: schedule requests to the scheduler, instance actions
// to the compute hosts (proto/compute_casts.proto as protobuf bodies).
#include "compute/api/server_casts.h"

#include "compute/api/cast_codec.h"

namespace gureum::compute {

ServerCasts::ServerCasts(amqp::Bus& bus, ComputeStore& store, ComputeOptions options)
    : bus_(bus), store_(store), options_(std::move(options)) {}

namespace {

amqp::Message ProtobufMessage(const std::string& body, const std::string& request_id) {
  amqp::Message m;
  m.body = body;
  m.content_type = "application/x-protobuf";
  m.request_id = request_id;
  return m;
}

}  // namespace

absl::Status ServerCasts::Cast(const std::string& queue, const std::string& body,
                               const std::string& request_id) {
  return bus_.Cast(queue, ProtobufMessage(body, request_id));
}

absl::Status ServerCasts::CastSchedule(const RequestContext& ctx, const Instance& i, int op,
                                       const std::string& task_id,
                                       const std::string& requested_host,
                                       const std::string& migration_id) {
  return bus_.Cast(options_.scheduler_queue,
                   Schedule(ctx, i, op, task_id, requested_host, migration_id));
}

amqp::Message ServerCasts::Schedule(const RequestContext& ctx, const Instance& i, int op,
                                    const std::string& task_id, const std::string& requested_host,
                                    const std::string& migration_id) {
  v1::Cast cast;
  v1::ScheduleRequest* req = cast.mutable_schedule();
  req->set_operation(static_cast<v1::ScheduleRequest::Operation>(op));
  InstanceToSpec(i, req->mutable_spec());
  if (i.new_flavor) FlavorToProto(*i.new_flavor, req->mutable_spec()->mutable_flavor());
  if (op == v1::ScheduleRequest::RESIZE) FlavorToProto(i.flavor, req->mutable_old_flavor());
  req->set_task_id(task_id);
  req->set_requested_host(requested_host);
  req->set_attempt(1);
  req->set_migration_id(migration_id);
  // Nova's allow_resize_to_same_host (an all-in-one cloud has one host to resize on).
  if (op == v1::ScheduleRequest::RESIZE)
    req->set_allow_same_host(options_.allow_resize_to_same_host);
  if (op != v1::ScheduleRequest::BUILD) {
    req->set_source_host(i.host);
    if (op != v1::ScheduleRequest::RESIZE) req->add_ignore_hosts(i.host);
  }
  // Boot from volume: the volumes given at create travel with the spec (the root disk).
  if (absl::StatusOr<std::vector<VolumeAttachment>> rows = store_.ListVolumeAttachments(i.uuid);
      rows.ok()) {
    for (const VolumeAttachment& a : *rows) {
      if (a.boot_index < 0) continue;
      v1::BlockDevice* b = req->mutable_spec()->add_block_devices();
      b->set_volume_id(a.volume_id);
      b->set_attachment_id(a.attachment_id);
      b->set_boot_index(a.boot_index);
      b->set_delete_on_termination(a.delete_on_termination);
      b->set_source_type(a.source_type);
      // Nova's is_bfv: the root disk is the volume, not the host's, so the scheduler
      // claims no DISK_GB for it.
      if (a.boot_index == 0) req->mutable_spec()->mutable_flavor()->set_disk_gb(0);
    }
  }
  if (!i.server_group.empty()) {
    absl::StatusOr<ServerGroup> g = store_.GetServerGroup(i.server_group);
    if (g.ok()) {
      req->mutable_group()->set_uuid(g->uuid);
      req->mutable_group()->set_policy(g->policy);
      req->mutable_group()->set_max_server_per_host(g->max_server_per_host);
    }
  }
  return ProtobufMessage(cast.SerializeAsString(), ctx.request_id);
}

absl::Status ServerCasts::CastAction(const RequestContext& ctx, const Instance& i, int kind,
                                     const std::string& task_id, const std::string& migration_id,
                                     const std::string& image_id) {
  v1::Cast cast;
  v1::InstanceAction* a = cast.mutable_action();
  a->set_kind(static_cast<v1::InstanceAction::Kind>(kind));
  a->set_instance_uuid(i.uuid);
  a->set_task_id(task_id);
  InstanceToSpec(i, a->mutable_spec());
  a->set_migration_id(migration_id);
  a->set_source_host(i.host);
  a->set_image_id(image_id);
  return Cast(ComputeQueue(i.host), cast.SerializeAsString(), ctx.request_id);
}

absl::Status ServerCasts::CastToHost(const RequestContext& ctx, const std::string& host,
                                     const v1::Cast& cast) {
  return Cast(ComputeQueue(host), cast.SerializeAsString(), ctx.request_id);
}

absl::Status ServerCasts::CastScheduleBatch(const std::vector<amqp::Message>& requests) {
  return bus_.CastBatch(options_.scheduler_queue, requests);
}

}  // namespace gureum::compute
