// The JSON shapes of Cinder's volumes, snapshots, types and attachments.
#include "block-storage/api/block_storage_rest_internal.h"

namespace gureum::block_storage {

json VolumeSummary(const Call& call, const Volume& v) {
  return {{"id", v.id},
          {"name", v.name},
          {"links", json::array({{{"rel", "self"}, {"href", call.Link("/volumes/" + v.id)}}})}};
}

json VolumeJson(const Call& call, const Volume& v, const std::vector<Attachment>& attachments,
                const std::string& type_name, bool extended) {
  json atts = json::array();
  for (const Attachment& a : attachments) {
    if (a.status != attachment_status::kAttached) continue;
    atts.push_back({{"id", v.id},
                    {"attachment_id", a.id},
                    {"volume_id", v.id},
                    {"server_id", a.instance_uuid},
                    {"host_name", a.connector_host},
                    {"device", a.mountpoint},
                    {"attached_at", Time(a.updated_at)}});
  }
  json j = VolumeSummary(call, v);
  j.update({{"status", v.status},
            {"size", v.size_gb},
            {"availability_zone", v.availability_zone},
            {"created_at", Time(v.created_at)},
            {"updated_at", Time(v.updated_at)},
            {"description", v.description},
            {"volume_type", type_name},
            {"bootable", v.bootable ? "true" : "false"},
            {"multiattach", v.multiattach},
            {"encrypted", false},
            {"metadata", v.metadata},
            {"attachments", atts},
            {"user_id", v.user_id},
            {"snapshot_id", v.snapshot_id.empty() ? json() : json(v.snapshot_id)},
            {"source_volid", v.source_volume_id.empty() ? json() : json(v.source_volume_id)},
            {"replication_status", nullptr},
            {"consistencygroup_id", nullptr}});
  j["metadata"]["readonly"] = v.read_only ? "True" : "False";  // Cinder's admin metadata
  if (!extended) return j;
  j["os-vol-tenant-attr:tenant_id"] = v.project_id;
  j["os-vol-mig-status-attr:migstat"] = nullptr;
  j["os-vol-mig-status-attr:name_id"] = nullptr;
  if (!v.image_metadata.empty()) j["volume_image_metadata"] = v.image_metadata;
  if (call.managers.policy().IsAdmin(call.rc)) {
    j["os-vol-host-attr:host"] = v.backend_key.empty() ? json() : json(v.backend_key + "#pool");
    j["migration_status"] = nullptr;  // Cinder shows it to admins; volumes never migrate here
  }
  if (call.AtLeast(13)) j["group_id"] = nullptr;
  if (call.AtLeast(21)) j["provider_id"] = nullptr;
  if (call.AtLeast(48)) j["shared_targets"] = false;
  if (call.AtLeast(48)) j["service_uuid"] = nullptr;
  if (call.AtLeast(61)) j["cluster_name"] = nullptr;
  if (call.AtLeast(63)) j["volume_type_id"] = v.volume_type_id;
  if (call.AtLeast(65)) j["consumes_quota"] = true;
  return j;
}

json SnapshotJson(const Call& call, const Snapshot& s, bool extended) {
  json j = {{"id", s.id},
            {"name", s.name},
            {"description", s.description},
            {"status", s.status},
            {"size", s.size_gb},
            {"volume_id", s.volume_id},
            {"created_at", Time(s.created_at)},
            {"updated_at", Time(s.updated_at)},
            {"metadata", s.metadata}};
  if (extended) {
    j["os-extended-snapshot-attributes:project_id"] = s.project_id;
    j["os-extended-snapshot-attributes:progress"] =
        s.status == snapshot_status::kAvailable ? "100%" : "0%";
  }
  if (call.AtLeast(14)) j["group_snapshot_id"] = nullptr;
  if (call.AtLeast(41)) j["user_id"] = s.user_id;
  if (call.AtLeast(65)) j["consumes_quota"] = true;
  return j;
}

json TypeJson(const VolumeType& t, TypeView view) {
  json j = {{"id", t.id},
            {"name", t.name},
            {"description", t.description.empty() ? json() : json(t.description)},
            {"is_public", t.is_public},
            {"extra_specs", t.extra_specs}};
  if (view != TypeView::kUpdate) j["os-volume-type-access:is_public"] = t.is_public;
  if (view == TypeView::kShow) j["qos_specs_id"] = nullptr;
  return j;
}

json AttachmentJson(const Attachment& a, bool with_connection) {
  json j = {
      {"id", a.id},
      {"status", a.status},
      {"instance", a.instance_uuid.empty() ? json() : json(a.instance_uuid)},
      {"volume_id", a.volume_id},
      {"attach_mode", a.mode},
      {"attached_at", a.status == attachment_status::kAttached ? json(Time(a.updated_at)) : json()},
      {"detached_at", nullptr}};
  if (with_connection) {
    const ConnectionInfo& c = a.connection_info;
    if (c.protocol.empty()) {
      j["connection_info"] = json::object();
    } else {
      j["connection_info"] = {{"driver_volume_type", c.protocol},
                              {"host", c.host},
                              {"port", c.port},
                              {"name", c.export_name},
                              {"path", c.path},
                              {"format", c.format},
                              {"access_mode", c.read_only ? "ro" : "rw"},
                              {"attachment_id", a.id},
                              {"volume_id", a.volume_id}};
    }
  }
  return j;
}

}  // namespace gureum::block_storage
