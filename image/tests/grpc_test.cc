// The gRPC API against a real PostgreSQL database and real files: streamed upload and
// download, a cancelled upload, visibility, and the service role the compute agents use.
#include <thread>

#include "image/tests/api_env.h"

namespace gureum::image {
namespace {

using testing::ApiEnv;

v1::Image CreateRaw(ApiEnv& env, const std::string& token, const std::string& visibility = "") {
  v1::CreateImageRequest req;
  req.set_name("g");
  req.set_disk_format("raw");
  req.set_container_format("bare");
  req.set_visibility(visibility);
  v1::Image out;
  REQUIRE(env.stub->CreateImage(env.Ctx(token).get(), req, &out).ok());
  return out;
}

TEST_CASE("grpc: upload in 1 MiB messages, download the same bytes, GetImage hashes match",
          "[grpc]") {
  ApiEnv env;
  v1::Image image = CreateRaw(env, "tok-p1", "private");
  std::string data = testing::RandomBytes(6 * (1 << 20) + 5);
  {
    auto ctx = env.Ctx("tok-p1");
    v1::Image done;
    auto writer = env.stub->UploadImage(ctx.get(), &done);
    v1::UploadImageRequest msg;
    msg.set_id(image.id());
    for (size_t off = 0; off < data.size(); off += 1 << 20) {
      msg.set_data(data.substr(off, 1 << 20));
      REQUIRE(writer->Write(msg));
      msg.clear_id();
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    REQUIRE(s.ok());
    CHECK(done.status() == "active");
    CHECK(done.size() == static_cast<int64_t>(data.size()));
  }
  v1::GetImageRequest get;
  get.set_id(image.id());
  v1::Image shown;
  REQUIRE(env.stub->GetImage(env.Ctx("tok-service").get(), get, &shown).ok());
  CHECK(shown.os_hash_value() == testing::HexDigest(EVP_sha512(), data));
  CHECK(shown.checksum() == testing::HexDigest(EVP_md5(), data));

  v1::DownloadImageRequest dl;
  dl.set_id(image.id());
  auto ctx = env.Ctx("tok-service");  // a compute agent's token
  auto reader = env.stub->DownloadImage(ctx.get(), dl);
  std::string got;
  v1::ImageChunk chunk;
  while (reader->Read(&chunk)) {
    CHECK(chunk.data().size() <= (1u << 20));
    got += chunk.data();
  }
  REQUIRE(reader->Finish().ok());
  CHECK(got == data);

  // Another project: NOT_FOUND for get and download.
  CHECK(env.stub->GetImage(env.Ctx("tok-p2").get(), get, &shown).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  auto ctx2 = env.Ctx("tok-p2");
  auto reader2 = env.stub->DownloadImage(ctx2.get(), dl);
  while (reader2->Read(&chunk)) {
  }
  CHECK(reader2->Finish().error_code() == grpc::StatusCode::NOT_FOUND);
  // No token.
  grpc::ClientContext bare;
  CHECK(env.stub->GetImage(&bare, get, &shown).error_code() == grpc::StatusCode::UNAUTHENTICATED);
}

TEST_CASE("grpc: a cancelled upload leaves the image killed and nothing stored", "[grpc]") {
  ApiEnv env;
  v1::Image image = CreateRaw(env, "tok-p1");
  auto ctx = env.Ctx("tok-p1");
  v1::Image done;
  auto writer = env.stub->UploadImage(ctx.get(), &done);
  v1::UploadImageRequest msg;
  msg.set_id(image.id());
  msg.set_data(testing::RandomBytes(1 << 20));
  REQUIRE(writer->Write(msg));
  msg.clear_id();
  REQUIRE(writer->Write(msg));
  v1::GetImageRequest get;
  get.set_id(image.id());
  v1::Image shown;
  for (int i = 0; i < 100; ++i) {  // wait until the server has started saving
    REQUIRE(env.stub->GetImage(env.Ctx("tok-p1").get(), get, &shown).ok());
    if (shown.status() == "saving") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(shown.status() == "saving");
  ctx->TryCancel();
  (void)writer->Finish();
  for (int i = 0; i < 200; ++i) {
    REQUIRE(env.stub->GetImage(env.Ctx("tok-p1").get(), get, &shown).ok());
    if (shown.status() != "saving") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(shown.status() == "killed");
  CHECK(env.fixture.StoredFiles() == 0);
  // Downloading it is FAILED_PRECONDITION (no data).
  v1::DownloadImageRequest dl;
  dl.set_id(image.id());
  auto dctx = env.Ctx("tok-p1");
  auto reader = env.stub->DownloadImage(dctx.get(), dl);
  v1::ImageChunk chunk;
  while (reader->Read(&chunk)) {
  }
  CHECK(reader->Finish().error_code() == grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_CASE("grpc: update, members, tags, protected delete, usage", "[grpc]") {
  ApiEnv env;
  v1::Image image = CreateRaw(env, "tok-p1");
  v1::UpdateImageRequest up;
  up.set_id(image.id());
  up.add_set_fields("protected");
  up.set_protected_(true);
  (*up.mutable_set_properties())["architecture"] = "x86_64";
  v1::Image updated;
  REQUIRE(env.stub->UpdateImage(env.Ctx("tok-p1").get(), up, &updated).ok());
  CHECK(updated.protected_());
  CHECK(updated.properties().at("architecture") == "x86_64");
  v1::DeleteImageRequest del;
  del.set_id(image.id());
  v1::Empty empty;
  CHECK(env.stub->DeleteImage(env.Ctx("tok-p1").get(), del, &empty).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  v1::MemberRequest add;
  add.set_image_id(image.id());
  add.set_member_id("p2");
  v1::Member member;
  REQUIRE(env.stub->AddMember(env.Ctx("tok-p1").get(), add, &member).ok());
  CHECK(member.status() == "pending");
  v1::UpdateMemberRequest accept;
  accept.set_image_id(image.id());
  accept.set_member_id("p2");
  accept.set_status("accepted");
  REQUIRE(env.stub->UpdateMember(env.Ctx("tok-p2").get(), accept, &member).ok());
  v1::ListImagesRequest list;
  v1::ListImagesResponse listed;
  REQUIRE(env.stub->ListImages(env.Ctx("tok-p2").get(), list, &listed).ok());
  CHECK(listed.images_size() == 1);
  v1::TagRequest tag;
  tag.set_image_id(image.id());
  tag.set_tag("gold");
  REQUIRE(env.stub->AddTag(env.Ctx("tok-p1").get(), tag, &empty).ok());
  v1::QuotaUsage usage;
  REQUIRE(env.stub->GetUsage(env.Ctx("tok-p1").get(), v1::GetUsageRequest(), &usage).ok());
  CHECK(usage.image_count() == 1);
  CHECK(usage.image_count_limit() == -1);
}

}  // namespace
}  // namespace gureum::image
