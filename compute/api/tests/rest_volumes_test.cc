// os-volume_attachments through the Nova REST API on PostgreSQL and RabbitMQ (cloud.h):
// attach (200 with the attachment), the agent's report through the conductor, list, show,
// the server's os-extended-volumes:volumes_attached, detach (202), Nova's 404 and 400;
// boot from volume (block_device_mapping_v2 in a create body, the server's image "").
#include <catch2/catch.hpp>

#include "compute/api/tests/cloud.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

v1::Cast Report(const std::string& server, const std::string& volume, const std::string& attachment,
                const std::string& op, const std::string& status, const std::string& device = "") {
  v1::Cast c;
  v1::VolumeAttachmentUpdate* u = c.mutable_volume_attachment_update();
  u->set_instance_uuid(server);
  u->set_volume_id(volume);
  u->set_attachment_id(attachment);
  u->set_op(op);
  u->set_status(status);
  u->set_device(device);
  return c;
}

// The volume attachment cast last sent to the simulated host's queue is not consumed by
// the simulated agent: the test plays the agent by applying its report synchronously.
TEST_CASE("os-volume_attachments: attach, report, list, show, server view, detach") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string id = cloud.Boot("token-a", "vm1", "1");
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  cloud.block_storage().AddVolume("vol-1", kProjectA);
  const std::string base = "/servers/" + id + "/os-volume_attachments";

  HttpResult attached =
      cloud.Call("token-a", "POST", base, {{"volumeAttachment", {{"volumeId", "vol-1"}}}});
  REQUIRE(attached.status == 200);
  CHECK(attached.body["volumeAttachment"]["volumeId"] == "vol-1");
  CHECK(attached.body["volumeAttachment"]["serverId"] == id);
  CHECK(attached.body["volumeAttachment"]["id"] == "vol-1");
  CHECK(cloud.block_storage().volume("vol-1")->status == "reserved");
  const std::string attachment = cloud.block_storage().attachments().at(0).id;
  REQUIRE(cloud.managers()
              .volumes()
              .ApplyReport(Report(id, "vol-1", attachment, "attach", "attached", "/dev/vdb")
                               .volume_attachment_update())
              .ok());

  HttpResult list = cloud.Call("token-a", "GET", base);
  REQUIRE(list.status == 200);
  REQUIRE(list.body["volumeAttachments"].size() == 1);
  CHECK(list.body["volumeAttachments"][0]["device"] == "/dev/vdb");
  HttpResult show = cloud.Call("token-a", "GET", base + "/vol-1");
  REQUIRE(show.status == 200);
  CHECK(show.body["volumeAttachment"]["device"] == "/dev/vdb");
  json server = cloud.Call("token-a", "GET", "/servers/" + id).body["server"];
  REQUIRE(server["os-extended-volumes:volumes_attached"].size() == 1);
  CHECK(server["os-extended-volumes:volumes_attached"][0]["id"] == "vol-1");
  // delete_on_termination from 2.3 only (Tempest's 2.1 schema refuses it).
  CHECK(!server["os-extended-volumes:volumes_attached"][0].contains("delete_on_termination"));
  json server23 = cloud.Call("token-a", "GET", "/servers/" + id, nullptr, "2.3").body["server"];
  CHECK(server23["os-extended-volumes:volumes_attached"][0]["delete_on_termination"] == false);

  // Another project sees no such server; a volume that does not exist is 404; no body 400.
  CHECK(cloud.Call("token-b", "GET", base).status == 404);
  HttpResult missing =
      cloud.Call("token-a", "POST", base, {{"volumeAttachment", {{"volumeId", "nope"}}}});
  CHECK(missing.status == 404);
  CHECK(missing.text.find("Volume nope could not be found.") != std::string::npos);
  CHECK(cloud.Call("token-a", "POST", base, {{"volumeAttachment", json::object()}}).status == 400);
  CHECK(
      cloud.Call("token-a", "POST", base, {{"volumeAttachment", {{"volumeId", "vol-1"}}}}).status ==
      400);

  CHECK(cloud.Call("token-a", "DELETE", base + "/vol-1").status == 202);
  REQUIRE(cloud.managers()
              .volumes()
              .ApplyReport(
                  Report(id, "vol-1", attachment, "detach", "detached").volume_attachment_update())
              .ok());
  CHECK(cloud.Call("token-a", "GET", base + "/vol-1").status == 404);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id)
            .body["server"]["os-extended-volumes:volumes_attached"]
            .empty());
  CHECK(cloud.Call("token-a", "DELETE", base + "/vol-1").status == 404);
}

TEST_CASE("boot from volume: block_device_mapping_v2 in the create body, the server's view") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  cloud.block_storage().AddVolume("vol-root", kProjectA, 2);
  // As the openstack client sends --volume: no image, a boot_index 0 volume mapping; the
  // strings Nova's schema takes for numbers and booleans.
  json body = {{"server",
                {{"name", "bfv"},
                 {"imageRef", ""},
                 {"flavorRef", "1"},
                 {"block_device_mapping_v2",
                  {{{"uuid", "vol-root"},
                    {"source_type", "volume"},
                    {"destination_type", "volume"},
                    {"boot_index", "0"},
                    {"delete_on_termination", "true"}}}}}}};
  HttpResult created = cloud.Call("token-a", "POST", "/servers", body);
  REQUIRE(created.status == 202);
  const std::string id = created.body["server"]["id"];
  CHECK(cloud.block_storage().volume("vol-root")->status == "reserved");
  json server = cloud.Call("token-a", "GET", "/servers/" + id, nullptr, "2.3").body["server"];
  CHECK(server["image"] == "");
  REQUIRE(server["os-extended-volumes:volumes_attached"].size() == 1);
  CHECK(server["os-extended-volumes:volumes_attached"][0]["id"] == "vol-root");
  CHECK(server["os-extended-volumes:volumes_attached"][0]["delete_on_termination"] == true);
  HttpResult list = cloud.Call("token-a", "GET", "/servers/" + id + "/os-volume_attachments");
  REQUIRE(list.status == 200);
  CHECK(list.body["volumeAttachments"][0]["volumeId"] == "vol-root");
  // The root volume stays: Nova's 400.
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  HttpResult detach =
      cloud.Call("token-a", "DELETE", "/servers/" + id + "/os-volume_attachments/vol-root");
  CHECK(detach.status == 400);

  // An image source without a size, and a source type Nova does not know: 400.
  json no_size = {{"server",
                   {{"name", "bfv2"},
                    {"flavorRef", "1"},
                    {"block_device_mapping_v2",
                     {{{"uuid", kImageId},
                       {"source_type", "image"},
                       {"destination_type", "volume"},
                       {"boot_index", 0}}}}}}};
  HttpResult refused = cloud.Call("token-a", "POST", "/servers", no_size);
  CHECK(refused.status == 400);
  CHECK(refused.text.find("need to have a non-zero size specified") != std::string::npos);
  no_size["server"]["block_device_mapping_v2"][0]["source_type"] = "tape";
  CHECK(cloud.Call("token-a", "POST", "/servers", no_size).status == 400);
  no_size["server"]["block_device_mapping_v2"] = "vda";
  CHECK(cloud.Call("token-a", "POST", "/servers", no_size).status == 400);
}

}  // namespace
}  // namespace gureum::compute::testing
