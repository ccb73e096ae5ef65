// GrpcBlockStorageClient against an in-process gureum.block_storage.v1 server on 127.0.0.1
// port 0: our types go out and come back as block_storage.proto says, the caller's token
// (or none, for kAsService without a service token) travels as x-auth-token, and the
// service's errors keep their code and words. Also FakeBlockStorageClient's states.
#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "compute/clients/block_storage_client.h"
#include "compute/clients/fake_block_storage_client.h"

#include "block_storage.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace bpb = ::gureum::block_storage::v1;

class BlockStorageServer final : public bpb::BlockStorage::Service {
 public:
  grpc::Status GetVolume(grpc::ServerContext* ctx, const bpb::GetVolumeRequest* req,
                         bpb::Volume* out) override {
    Seen(ctx, "GetVolume");
    if (req->volume_id() != "vol-1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "Volume nope could not be found.");
    }
    out->set_id("vol-1");
    out->set_status("in-use");
    out->set_size_gb(2);
    out->set_project_id("p1");
    out->set_multiattach(true);
    bpb::Attachment* a = out->add_attachments();
    a->set_id("att-1");
    a->set_instance_uuid("vm-1");
    a->set_mountpoint("/dev/vdb");
    return grpc::Status::OK;
  }
  grpc::Status CreateAttachment(grpc::ServerContext* ctx, const bpb::CreateAttachmentRequest* req,
                                bpb::Attachment* out) override {
    Seen(ctx, "CreateAttachment");
    absl::MutexLock l(&mu);
    create = *req;
    if (req->volume_id() == "busy") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "Invalid volume: busy");
    }
    out->set_id("att-2");
    out->set_volume_id(req->volume_id());
    out->set_instance_uuid(req->instance_uuid());
    out->set_status("reserved");
    return grpc::Status::OK;
  }
  grpc::Status UpdateAttachment(grpc::ServerContext* ctx, const bpb::UpdateAttachmentRequest* req,
                                bpb::Attachment* out) override {
    Seen(ctx, "UpdateAttachment");
    absl::MutexLock l(&mu);
    update = *req;
    out->set_id(req->attachment_id());
    out->set_status("attaching");
    out->set_host(req->connector().host());
    bpb::ConnectionInfo* c = out->mutable_connection_info();
    c->set_protocol("nbd");
    c->set_host("192.0.2.7");
    c->set_port(10811);
    c->set_export_name("exp-xyz");
    return grpc::Status::OK;
  }
  grpc::Status CompleteAttachment(grpc::ServerContext* ctx,
                                  const bpb::CompleteAttachmentRequest* req,
                                  bpb::CompleteAttachmentResponse*) override {
    Seen(ctx, "CompleteAttachment");
    absl::MutexLock l(&mu);
    complete = *req;
    return grpc::Status::OK;
  }
  grpc::Status DeleteAttachment(grpc::ServerContext* ctx, const bpb::DeleteAttachmentRequest* req,
                                bpb::DeleteAttachmentResponse*) override {
    Seen(ctx, "DeleteAttachment");
    absl::MutexLock l(&mu);
    deleted = req->attachment_id();
    return grpc::Status::OK;
  }
  void Seen(const grpc::ServerContext* ctx, const std::string& call) {
    auto it = ctx->client_metadata().find("x-auth-token");
    std::string token =
        it == ctx->client_metadata().end() ? "" : std::string(it->second.data(), it->second.size());
    absl::MutexLock l(&mu);
    calls.push_back(call + " " + token);
  }
  absl::Mutex mu;
  std::vector<std::string> calls ABSL_GUARDED_BY(mu);
  bpb::CreateAttachmentRequest create ABSL_GUARDED_BY(mu);
  bpb::UpdateAttachmentRequest update ABSL_GUARDED_BY(mu);
  bpb::CompleteAttachmentRequest complete ABSL_GUARDED_BY(mu);
  std::string deleted ABSL_GUARDED_BY(mu);
};

TEST_CASE("GrpcBlockStorageClient: attachments in our types, the caller's token") {
  BlockStorageServer service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server);
  std::unique_ptr<BlockStorageClient> client =
      NewGrpcBlockStorageClient({.target = "127.0.0.1:" + std::to_string(port)});

  absl::StatusOr<VolumeInfo> v = client->GetVolume("user-token", "vol-1");
  REQUIRE(v.ok());
  CHECK(v->status == "in-use");
  CHECK(v->size_gb == 2);
  CHECK(v->multiattach);
  REQUIRE(v->attachments.size() == 1);
  CHECK(v->attachments[0].mountpoint == "/dev/vdb");
  absl::Status missing = client->GetVolume("user-token", "nope").status();
  CHECK(missing.code() == absl::StatusCode::kNotFound);
  CHECK(missing.message() == "Volume nope could not be found.");

  absl::StatusOr<Attachment> reserved =
      client->CreateAttachment("user-token", "vol-1", "vm-1", nullptr);
  REQUIRE(reserved.ok());
  CHECK(reserved->id == "att-2");
  CHECK(reserved->status == "reserved");
  CHECK(client->CreateAttachment("user-token", "busy", "vm-1", nullptr).status().code() ==
        absl::StatusCode::kInvalidArgument);

  absl::StatusOr<Attachment> exported =
      client->UpdateAttachment(kAsService, "att-2", {.host = "node-a", .ip = "192.0.2.1"});
  REQUIRE(exported.ok());
  CHECK(exported->connection_info.protocol == "nbd");
  CHECK(exported->connection_info.host == "192.0.2.7");
  CHECK(exported->connection_info.port == 10811);
  CHECK(exported->connection_info.export_name == "exp-xyz");
  REQUIRE(client->CompleteAttachment(kAsService, "att-2", "/dev/vdb").ok());
  REQUIRE(client->DeleteAttachment(kAsService, "att-2").ok());

  absl::MutexLock l(&service.mu);
  CHECK_FALSE(service.create.has_connector());
  CHECK(service.create.instance_uuid() == "vm-1");
  CHECK(service.update.connector().host() == "node-a");
  CHECK(service.update.connector().ip() == "192.0.2.1");
  CHECK(service.complete.mountpoint() == "/dev/vdb");
  CHECK(service.deleted == "att-2");
  CHECK(service.calls ==
        std::vector<std::string>{"GetVolume user-token", "GetVolume user-token",
                                 "CreateAttachment user-token", "CreateAttachment user-token",
                                 "UpdateAttachment ", "CompleteAttachment ", "DeleteAttachment "});
}

TEST_CASE("FakeBlockStorageClient: reserved, attaching, in-use, available again") {
  FakeBlockStorageClient fake;
  fake.AddVolume("vol-1");
  absl::StatusOr<Attachment> a = fake.CreateAttachment("t", "vol-1", "vm-1", nullptr);
  REQUIRE(a.ok());
  CHECK(fake.volume("vol-1")->status == "reserved");
  CHECK(fake.CreateAttachment("t", "vol-1", "vm-2", nullptr).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(fake.CreateAttachment("t", "nope", "vm-1", nullptr).status().code() ==
        absl::StatusCode::kNotFound);
  absl::StatusOr<Attachment> e = fake.UpdateAttachment(kAsService, a->id, {.host = "node-a"});
  REQUIRE(e.ok());
  CHECK(e->connection_info.export_name == "export-" + a->id);
  REQUIRE(fake.CompleteAttachment(kAsService, a->id, "/dev/vdb").ok());
  CHECK(fake.volume("vol-1")->status == "in-use");
  fake.FailNext("DeleteAttachment", absl::UnavailableError("down"));
  CHECK(fake.DeleteAttachment(kAsService, a->id).code() == absl::StatusCode::kUnavailable);
  REQUIRE(fake.DeleteAttachment(kAsService, a->id).ok());
  CHECK(fake.volume("vol-1")->status == "available");
  CHECK(fake.DeleteAttachment(kAsService, a->id).code() == absl::StatusCode::kNotFound);
  CHECK(fake.attachments().empty());
}

}  // namespace
}  // namespace gureum::compute
