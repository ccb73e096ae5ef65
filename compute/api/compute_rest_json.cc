// The Nova JSON shapes (nova/api/openstack/compute/views/*, doc/api_samples).
#include <sodium.h>

#include <openssl/evp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

// Nova's hostId: sha224(project_id + host), so users can tell co-located servers apart
// without learning host names.
std::string HostId(const Instance& i) {
  if (i.host.empty()) return "";
  const std::string in = i.project_id + i.host;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(in.data(), in.size(), md, &len, EVP_sha224(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int n = 0; n < len; ++n) {
    out += kHex[md[n] >> 4];
    out += kHex[md[n] & 15];
  }
  return out;
}

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

std::string IsoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string IsoMicros(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", t, absl::UTCTimeZone());
}

json TimeOrNull(const std::optional<absl::Time>& t, bool micros) {
  if (!t) return nullptr;
  return micros ? IsoMicros(*t) : IsoTime(*t);
}

json Links(const Call& call, const std::string& collection, const std::string& id) {
  return json::array({{{"rel", "self"}, {"href", call.Link("/" + collection + "/" + id)}},
                      {{"rel", "bookmark"}, {"href", call.base + "/" + collection + "/" + id}}});
}

json FlavorJson(const Call& call, const FlavorRecord& f) {
  json j = {{"id", f.id},
            {"name", f.name},
            {"ram", f.ram_mb},
            {"vcpus", f.vcpus},
            {"disk", f.disk_gb},
            {"swap", f.swap_mb == 0 ? json("") : json(f.swap_mb)},
            {"OS-FLV-EXT-DATA:ephemeral", f.ephemeral_gb},
            {"OS-FLV-DISABLED:disabled", f.disabled},
            {"rxtx_factor", f.rxtx_factor},
            {"os-flavor-access:is_public", f.is_public},
            {"links", Links(call, "flavors", f.id)}};
  return j;
}

namespace {

// A server's `image`: "" for one booted from a volume, as Nova shows it.
json ServerImageJson(const Call& call, const Instance& i) {
  if (i.image_ref.empty()) return "";
  return {{"id", i.image_ref},
          {"links",
           json::array({{{"rel", "bookmark"}, {"href", call.base + "/images/" + i.image_ref}}})}};
}

}  // namespace

json ServerJson(Call& call, const Instance& i, bool detail) {
  json j = {{"id", i.uuid}, {"name", i.name}, {"links", Links(call, "servers", i.uuid)}};
  if (!detail) return j;
  const bool admin = call.managers().policy().IsAdmin(call.rc);
  const std::string status = ApiStatus(i.vm_state, i.task_state);
  j["status"] = status;
  j["tenant_id"] = i.project_id;
  j["user_id"] = i.user_id;
  j["metadata"] = i.metadata;
  j["hostId"] = HostId(i);
  j["image"] = ServerImageJson(call, i);
  j["flavor"] = {
      {"id", i.flavor.id},
      {"links",
       json::array({{{"rel", "bookmark"}, {"href", call.base + "/flavors/" + i.flavor.id}}})}};
  j["created"] = IsoTime(i.created_at);
  j["updated"] = IsoTime(i.updated_at);
  j["addresses"] = json::object();
  for (const Vif& v : i.vifs) {
    json& list = j["addresses"][v.network_name.empty() ? v.network_id : v.network_name];
    if (!list.is_array()) list = json::array();
    for (const VifIp& ip : v.ips) {
      list.push_back({{"addr", ip.address},
                      {"version", ip.version},
                      {"OS-EXT-IPS:type", ip.type},
                      {"OS-EXT-IPS-MAC:mac_addr", v.mac_address}});
    }
  }
  j["accessIPv4"] = i.access_ip_v4;
  j["accessIPv6"] = i.access_ip_v6;
  j["key_name"] = NullIfEmpty(i.key_name);
  if (status == "BUILD" || status == "ACTIVE" || status == "REBUILD" || status == "RESIZE") {
    j["progress"] = i.progress;
  }
  j["config_drive"] = "";
  j["OS-DCF:diskConfig"] = DiskConfigName(i.auto_disk_config);
  j["OS-EXT-AZ:availability_zone"] = i.availability_zone.empty()
                                         ? call.managers().options().default_availability_zone
                                         : i.availability_zone;
  j["OS-EXT-STS:power_state"] = i.power_state;
  j["OS-EXT-STS:task_state"] = NullIfEmpty(i.task_state);
  j["OS-EXT-STS:vm_state"] = i.vm_state;
  j["OS-SRV-USG:launched_at"] = TimeOrNull(i.launched_at, true);
  j["OS-SRV-USG:terminated_at"] = TimeOrNull(i.terminated_at, true);
  j["os-extended-volumes:volumes_attached"] = json::array();
  auto volumes = call.managers().volumes().ForServerView(i.uuid);
  for (const VolumeAttachment& a : volumes.ok() ? *volumes : std::vector<VolumeAttachment>{}) {
    json v = {{"id", a.volume_id}};
    if (call.version.AtLeast(3)) v["delete_on_termination"] = a.delete_on_termination;  // 2.3
    j["os-extended-volumes:volumes_attached"].push_back(v);
  }
  if (admin) {
    j["OS-EXT-SRV-ATTR:host"] = NullIfEmpty(i.host);
    j["OS-EXT-SRV-ATTR:hypervisor_hostname"] = NullIfEmpty(i.host);
    j["OS-EXT-SRV-ATTR:instance_name"] = "instance-" + i.uuid.substr(0, 8);
    if (call.version.AtLeast(3)) {
      j["OS-EXT-SRV-ATTR:reservation_id"] = i.reservation_id;
      j["OS-EXT-SRV-ATTR:launch_index"] = i.launch_index;
      j["OS-EXT-SRV-ATTR:hostname"] = i.hostname;
      j["OS-EXT-SRV-ATTR:kernel_id"] = "";
      j["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
      j["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda";
      j["OS-EXT-SRV-ATTR:user_data"] = NullIfEmpty(i.user_data);
    }
  }
  if (call.version.AtLeast(9)) j["locked"] = i.locked;
  if (status == "ERROR" || status == "DELETED") {
    auto faults = call.managers().servers().ServerFaults(call.rc, i);
    if (faults.ok() && !faults->empty()) {
      const InstanceFault& f = faults->front();
      j["fault"] = {{"code", f.code}, {"message", f.message}, {"created", IsoTime(f.created_at)}};
      if (admin && !f.details.empty()) j["fault"]["details"] = f.details;
    }
  }
  return j;
}

std::string NewAdminPass() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";  // no 0/O, 1/l/I
  std::string out;
  for (int n = 0; n < 12; ++n) out.push_back(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]);
  return out;
}

json ServerBasicJson(Call& call, const Instance& i) {
  json j = ServerJson(call, i, true);
  // Nova's update and rebuild answers (before 2.75) leave out the extended attributes.
  for (const char* key :
       {"OS-EXT-AZ:availability_zone", "OS-EXT-STS:power_state", "OS-EXT-STS:task_state",
        "OS-EXT-STS:vm_state", "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at", "config_drive",
        "key_name", "os-extended-volumes:volumes_attached"}) {
    j.erase(key);
  }
  for (auto& [network, ips] : j["addresses"].items()) {
    for (json& ip : ips) {  // addresses without the extended attributes too
      ip.erase("OS-EXT-IPS:type");
      ip.erase("OS-EXT-IPS-MAC:mac_addr");
    }
  }
  for (auto it = j.begin(); it != j.end();) {
    if (absl::StartsWith(it.key(), "OS-EXT-SRV-ATTR:")) {
      it = j.erase(it);
    } else {
      ++it;
    }
  }
  return j;
}

json KeypairJson(const Keypair& k, bool detail, bool with_type) {
  json j = {{"name", k.name}, {"public_key", k.public_key}, {"fingerprint", k.fingerprint}};
  if (with_type) j["type"] = k.type;  // 2.2
  if (detail) {
    j["user_id"] = k.user_id;
    j["created_at"] = IsoMicros(k.created_at);
    j["deleted"] = false;
    j["deleted_at"] = nullptr;
    j["updated_at"] = nullptr;
    j["id"] = 0;
  }
  return j;
}

json ServerGroupJson(const Call& call, const ServerGroup& g) {
  json j = {{"id", g.uuid},
            {"name", g.name},
            {"policies", json::array({g.policy})},
            {"members", g.members},
            {"metadata", json::object()}};
  if (call.version.AtLeast(13)) {  // Nova's owner fields
    j["project_id"] = g.project_id;
    j["user_id"] = g.user_id;
  }
  if (call.version.AtLeast(64)) {  // one policy with its rules (instead of policies)
    json rules = json::object();
    if (g.max_server_per_host > 0) rules["max_server_per_host"] = g.max_server_per_host;
    j["policy"] = g.policy;
    j["rules"] = rules;
  }
  return j;
}

json ServiceJson(const Call& call, const HostState& h) {
  const ServiceRecord& s = h.service;
  json j = {{"id", s.id},
            {"binary", s.binary},
            {"host", s.host},
            {"zone", h.availability_zone},
            {"status", s.enabled ? "enabled" : "disabled"},
            {"state", h.up ? "up" : "down"},
            {"updated_at", TimeOrNull(s.last_seen_at, true)},
            {"disabled_reason", NullIfEmpty(s.disabled_reason)}};
  if (call.version.AtLeast(11)) j["forced_down"] = s.forced_down;
  return j;
}

json AggregateJson(const Call& call, const Aggregate& a, bool created) {
  json j = {{"id", a.id},
            {"name", a.name},
            {"availability_zone", NullIfEmpty(a.availability_zone)},
            {"created_at", IsoMicros(a.created_at)},
            {"updated_at", IsoMicros(a.updated_at)},
            {"deleted", false},
            {"deleted_at", nullptr}};
  if (!created) {  // Nova's create answer has neither (as before it returned objects)
    j["hosts"] = a.hosts;
    j["metadata"] = a.metadata;
  }
  if (call.version.AtLeast(41)) j["uuid"] = a.uuid;
  return j;
}

json QuotaSetJson(const std::string& project, const QuotaLimits& q) {
  return {{"id", project},
          {"instances", q.instances},
          {"cores", q.cores},
          {"ram", q.ram},
          {"key_pairs", q.key_pairs},
          {"server_groups", q.server_groups},
          {"server_group_members", q.server_group_members},
          {"metadata_items", q.metadata_items},
          {"injected_files", q.injected_files},
          {"injected_file_content_bytes", q.injected_file_content_bytes},
          {"injected_file_path_bytes", q.injected_file_path_bytes},
          {"fixed_ips", q.fixed_ips},
          {"floating_ips", q.floating_ips},
          {"security_groups", q.security_groups},
          {"security_group_rules", q.security_group_rules}};
}

}  // namespace gureum::compute
